// Accounts list and one account with its relationship map.
import { t, te } from '../i18n.js';
import { api, enc } from '../api.js';
import {
  h, fmt, DIMS, ROLES, STATUSES, GOOD, isLow, bandBadge, statusOf, statusBadge, roleLabel, scoreCell, pathText, hrefWith,
  table, numHead, section, errorBox, showError, field, onSubmit, setFlash,
} from '../dom.js';
import { renderMap, mapLegend, loadLibraries as loadMapLibraries } from '../map.js';
import { tiesSection } from './ties.js';

const PAGE = 25;

export async function accountsView({ query }) {
  const q = query.get('q') || '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const res = await api('/accounts', { query: { limit: PAGE, offset: (page - 1) * PAGE, q } });
  const rows = res.data || [];
  return h('div', {},
    h('h1', { tabindex: -1 }, t('acc.title')),
    searchForm(q),
    rows.length ? accountsTable(rows) : h('p', { class: 'muted' }, t('acc.empty')),
    h('p', { class: 'hint', 'data-testid': 'accounts-legend' }, h('span', { class: 'key-low' }, t('acc.low', { good: GOOD })), ' ',
      h('span', { class: 'key-gap' }, t('acc.gaps'))),
    pager(q, page, rows.length, res.count ?? rows.length));
}

function searchForm(q) {
  const input = h('input', { type: 'search', id: 'accounts-search', name: 'q', value: q, 'data-testid': 'accounts-search' });
  const form = h('form', { class: 'toolbar', role: 'search' },
    field(t('acc.search'), input),
    h('button', { type: 'submit', 'data-testid': 'accounts-search-submit' }, t('search')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = hrefWith('/accounts', { q: input.value.trim() }); });
  return form;
}

function accountsTable(rows) {
  const headers = [t('acc.name'), t('acc.region'), t('acc.tier'), t('acc.band'), numHead(t('acc.identifiedShort')), numHead(t('acc.unknown')),
    ...DIMS.map((d) => numHead(t(`dim.${d}`))), t('acc.review')];
  const row = (a) => h('tr', { 'data-testid': 'account-row', 'data-id': a.id },
    h('th', { scope: 'row' }, h('a', { href: `#/accounts/${enc(a.id)}` }, a.name)),
    h('td', {}, a.region ?? ''),
    h('td', {}, te('tier', a.tier)),
    h('td', {}, bandBadge(a.band)),
    // Gaps in the map are amber text, not the orange of a weak score (see the legend below the table).
    h('td', { class: a.missing > 0 ? 'num gap' : 'num' }, `${fmt.int(a.identified)} / ${fmt.int(a.expected)}`),
    h('td', { class: a.unknown > 0 ? 'num gap' : 'num' }, fmt.int(a.unknown)),
    DIMS.map((d) => scoreCell(a.averages?.[d])),
    h('td', {}, h('a', { href: `#/accounts/${enc(a.id)}/review` }, t('acc.review'))));
  return h('div', { class: 'scroll-x' }, table(headers, rows.map(row), { 'data-testid': 'accounts-table' }));
}

function pager(q, page, shown, count) {
  const from = count ? (page - 1) * PAGE + 1 : 0;
  const to = (page - 1) * PAGE + shown;
  const link = (p, label, enabled) => (enabled
    ? h('a', { class: 'button', href: hrefWith('/accounts', { q, page: p }), 'data-testid': `pager-${p < page ? 'prev' : 'next'}` }, label)
    : h('span', { class: 'button disabled', 'aria-disabled': 'true' }, label));
  return h('nav', { class: 'pager', 'aria-label': t('acc.title'), 'data-testid': 'accounts-pager' },
    link(page - 1, t('prev'), page > 1),
    h('span', {}, t('acc.count', { from, to, count })),
    link(page + 1, t('next'), to < count));
}

// ---- one account ------------------------------------------------------------------------

export function accountHeader(a, extra) {
  // mark: 'low' for a weak or unknown average, 'gap' for a hole in the map (as in the accounts list).
  const fig = (label, value, mark) => h('div', { class: mark ? `fig ${mark}` : 'fig' }, h('dt', {}, label), h('dd', {}, value));
  return h('header', { class: 'acct-head', 'data-testid': 'account-header' },
    h('h1', { tabindex: -1 }, a.name, ' ', bandBadge(a.band)),
    h('p', { class: 'muted' }, [a.industry, a.region, te('tier', a.tier)].filter(Boolean).join(' · ')),
    h('dl', { class: 'figs' },
      fig(t('acc.identified'), `${fmt.int(a.identified)} / ${fmt.int(a.expected)}`, a.missing > 0 && 'gap'),
      fig(t('acc.missing'), fmt.int(a.missing), a.missing > 0 && 'gap'),
      fig(t('acc.unknown'), fmt.int(a.unknown), a.unknown > 0 && 'gap'),
      DIMS.map((d) => fig(t(`dim.${d}`), fmt.avg(a.averages?.[d]), (a.averages?.[d] == null || isLow(a.averages[d])) && 'low'))),
    extra);
}

export async function accountView({ params: [id], query }, { me } = {}) {
  loadMapLibraries().catch(() => {}); // while the map loads; renderMap reports a failure
  const map = await api(`/accounts/${enc(id)}/map`);
  const acc = map.account || { id, name: id };
  const people = new Map(map.nodes.map((n) => [n.id, n]));
  const panel = h('aside', { class: 'card person-panel', 'aria-live': 'polite', 'data-testid': 'person-panel' }, h('p', { class: 'muted' }, t('map.hint')));
  const select = (pid, fromList = false) => {
    const p = people.get(pid);
    if (!p || p.kind !== 'key_person') return;
    panel.replaceChildren(...personPanel(p, people, id, drawn), ...tiesSection(p, map, me));
    drawn.select(pid); // after the panel, whose size may move the map
    history.replaceState(null, '', hrefWith(`/accounts/${enc(id)}`, { person: pid }));
    if (fromList) panel.querySelector('h2').focus(); // keyboard users land on what they picked
  };
  const drawn = await renderMap(map, { onSelect: (pid) => select(pid) });
  const view = h('div', { class: 'account-page' },
    accountHeader(acc, h('p', {}, h('a', { class: 'button', href: `#/accounts/${enc(id)}/review`, 'data-testid': 'review-link' }, t('acc.review')))),
    h('div', { class: 'map-layout' },
      section(t('map.title'), { 'data-testid': 'account-map' }, drawn.element, mapLegend()),
      panel),
    section(t('map.list'), {}, personsTable(map, select)));
  const wanted = query.get('person');
  if (wanted) setTimeout(() => { if (panel.isConnected) select(wanted); }, 0); // once in the document
  return view;
}

function personsTable(map, select) {
  const dept = new Map(map.nodes.filter((n) => n.kind === 'department').map((d) => [d.id, d.name]));
  const persons = map.nodes.filter((n) => n.kind === 'key_person');
  const rank = (p) => STATUSES.indexOf(statusOf(p)); // worst first
  persons.sort((a, b) => rank(a) - rank(b) || String(a.name).localeCompare(String(b.name)));
  return h('div', { class: 'scroll-x' }, table(
    [t('col.name'), t('person.department'), t('person.role'), ...DIMS.map((d) => numHead(t(`dim.${d}`))), t('person.status')],
    persons.map((p) => h('tr', {},
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'linklike', onclick: () => select(p.id, true) }, p.name)),
      h('td', {}, dept.get(p.department_id) ?? ''),
      h('td', {}, roleLabel(p.decision_role)),
      DIMS.map((d) => scoreCell(p[d], 0)),
      h('td', {}, statusBadge(statusOf(p))))),
    { 'data-testid': 'persons-table' }));
}

/** Panel content for one key person: scores, the edit form and the best reach paths. */
function personPanel(p, people, accountId, drawn) {
  const dept = people.get(p.department_id)?.name;
  const pathsList = h('ol', { class: 'paths', 'data-testid': 'person-paths' }, h('li', { class: 'muted' }, t('loading')));
  loadPaths(p.id, pathsList, drawn);
  return [
    h('h2', { tabindex: -1 }, p.name, ' ', statusBadge(statusOf(p))),
    h('p', { class: 'muted' }, [p.title, dept].filter(Boolean).join(' · ')),
    h('p', {}, roleLabel(p.decision_role)),
    h('dl', { class: 'figs small' }, DIMS.map((d) => h('div', { class: isLow(p[d]) ? 'fig low' : 'fig' },
      h('dt', {}, t(`dim.${d}`)), h('dd', {}, fmt.score(p[d]))))),
    editForm(p, accountId),
    h('h3', {}, t('person.paths')),
    pathsList,
  ];
}

/** The best reach paths; the one picked (at first the best) is highlighted on the map. */
async function loadPaths(personId, list, drawn) {
  try {
    const res = await api(`/key-persons/${enc(personId)}/paths`, { query: { k: 5, max_hops: 4 } });
    const paths = res.paths || [];
    const buttons = paths.map((path) => h('button', { type: 'button', class: 'linklike path-pick', title: t('map.pathHint'), 'aria-pressed': 'false',
      onclick: () => show(path) }, pathText(path)));
    const show = (path) => {
      buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(paths[i] === path)));
      drawn.showPath(path);
    };
    list.replaceChildren(...(paths.length ? buttons.map((b) => h('li', {}, b)) : [h('li', { class: 'muted' }, t('person.nopaths'))]));
    if (paths.length) show(paths[0]);
  } catch (err) {
    const box = errorBox('paths-error');
    showError(box, err);
    list.replaceChildren(h('li', {}, box));
  }
}

function editForm(p, accountId) {
  const inputs = Object.fromEntries(DIMS.map((d) => [d, h('input', {
    type: 'number', min: 0, max: 100, step: 1, id: `person-${d}`, name: d, value: p[d] ?? '', 'data-testid': `person-${d}`,
  })]));
  const role = h('select', { id: 'person-decision_role', name: 'decision_role', value: p.decision_role ?? '', 'data-testid': 'person-decision_role' },
    h('option', { value: '' }, t('dr.none')), ROLES.map((r) => h('option', { value: r }, t(`dr.${r}`))));
  const box = errorBox('person-error');
  const form = h('form', { class: 'stack', 'data-testid': 'person-form' },
    h('h3', {}, t('person.edit')),
    h('div', { class: 'row' }, DIMS.map((d) => field(t(`dim.${d}`), inputs[d]))),
    h('p', { class: 'hint' }, t('person.scoreHint')),
    field(t('person.role'), role),
    box,
    h('button', { type: 'submit', id: 'person-save', 'data-testid': 'person-save' }, t('save')));
  onSubmit(form, box, async () => {
    const body = {};
    for (const d of DIMS) {
      const raw = inputs[d].value.trim();
      const v = raw === '' ? null : Number(raw);
      if (v !== (p[d] ?? null)) body[d] = v;
    }
    if (role.value && role.value !== (p.decision_role ?? '')) body.decision_role = role.value;
    if (!Object.keys(body).length) throw new Error(t('person.nochange'));
    await api(`/key-persons/${enc(p.id)}`, { method: 'PATCH', body });
    setFlash(t('saved'));
    window.dispatchEvent(new Event('graphbrm:reload'));
  });
  return form;
}
