// Daily (D): whom I influence or know, whom to turn around next, and my activities.
import { t, te } from '../i18n.js';
import { api, enc } from '../api.js';
import { myOpenAlerts } from './alerts.js';
import {
  h, fmt, DIMS, personHref, statusBadge, roleLabel, scoreCell, pathText, hrefWith,
  table, section, errorBox, field, onSubmit, setFlash,
} from '../dom.js';

const PICKER_SHOWN = 12;
const collator = () => new Intl.Collator(document.documentElement.lang || 'en', { numeric: true });

export async function dailyView({ query }, ctx) {
  const employeeId = query.get('employee') || ctx.me.employee_id;
  if (!employeeId) return h('div', {}, h('h1', { tabindex: -1 }, t('daily.title')), h('p', { class: 'muted' }, t('daily.noEmployee')));
  const d = await api(`/employees/${enc(employeeId)}/daily`);
  const influences = d.influences || [];
  const mine = employeeId === ctx.me.employee_id;
  const alerts = mine ? await myOpenAlerts() : null;
  return h('div', {},
    h('h1', { tabindex: -1 }, t('daily.title')),
    alerts,
    mine ? null : h('p', { class: 'muted', 'data-testid': 'daily-for' }, `${t('daily.for')}: ${d.name ?? employeeId}`),
    potentialCard(d.potential, d.team || [], influences),
    section(t('daily.next'), { 'data-testid': 'daily-next-steps' }, nextSteps(d.next_steps || [])),
    section(t('daily.influences'), { 'data-testid': 'daily-influences' }, influenceTable(influences, query, employeeId)),
    section(t('daily.activities'), { 'data-testid': 'daily-activities' }, activityList(d.activities || [])),
    mine ? activityForm(candidates(d)) : null);
}

/** The influence potential says what it counts: the key persons of the employee's team accounts. */
function potentialCard(potential, team, influences) {
  if (!potential) return null;
  const accounts = new Set(team.map((p) => p.account_id)).size;
  const ties = (type) => influences.filter((r) => r.type === type).length;
  const fig = (key, value) => h('div', { class: 'fig', 'data-testid': `potential-${key}` }, h('dt', {}, t(`pot.${key}`)), h('dd', {}, value));
  return section(t('daily.potential'), { 'data-testid': 'daily-potential' },
    h('dl', { class: 'figs' },
      fig('team_key_persons', fmt.int(potential.team_key_persons)),
      fig('influenced', fmt.int(potential.influenced)),
      fig('share', fmt.pct(potential.share))),
    h('p', { class: 'hint', 'data-testid': 'potential-what' }, t('daily.potentialWhat', { accounts })),
    h('p', { class: 'hint', 'data-testid': 'potential-ties' }, t('daily.tieCounts', { influences: ties('INFLUENCES'), knows: ties('KNOWS') })));
}

function nextSteps(steps) {
  if (!steps.length) return h('p', { class: 'muted' }, t('daily.nonext'));
  return h('ol', { class: 'steps' }, steps.map((s) => h('li', { 'data-testid': 'next-step' },
    h('a', { href: personHref(s.account_id, s.person_id) }, s.name ?? s.person_id), ' ',
    h('span', { class: 'muted' }, s.account_name ?? s.account_id), ' ',
    roleLabel(s.decision_role), ' ', statusBadge(s.status),
    s.path ? h('div', { class: 'path' }, `${t('daily.path')}: ${pathText(s.path)}`) : null)));
}

// ---- the ties table: sortable and filterable, its state kept in the address -------------------

// A function, not a constant: the dimensions come from the API after sign-in.
const tieColumns = () => [
  { key: 'name', label: () => t('col.name'), text: (r) => r.name ?? r.person_id },
  { key: 'account', label: () => t('daily.account'), text: (r) => r.account_name ?? r.account_id },
  { key: 'department', label: () => t('person.department'), text: (r) => r.department ?? '' },
  { key: 'role', label: () => t('person.role'), text: (r) => te('dr', r.decision_role) },
  { key: 'type', label: () => t('daily.type'), text: (r) => te('tie', r.type) },
  { key: 'strength', label: () => t('daily.strength'), num: (r) => r.strength },
  ...DIMS.map((d) => ({ key: d, label: () => t(`dim.${d}`), num: (r) => r[d] })),
];

function sortRows(rows, key, dir) {
  const col = tieColumns().find((c) => c.key === key);
  if (!col) { // by default: influence ties first, strongest first
    return [...rows].sort((a, b) => (a.type === b.type ? (b.strength ?? 0) - (a.strength ?? 0) : a.type === 'INFLUENCES' ? -1 : 1));
  }
  const cmp = collator().compare;
  const sign = dir === 'desc' ? -1 : 1;
  // Unknown numbers sort last whichever the direction.
  const byNum = (a, b) => (col.num(a) == null) - (col.num(b) == null) || sign * ((col.num(a) ?? 0) - (col.num(b) ?? 0));
  return [...rows].sort((a, b) => (col.num ? byNum(a, b) : sign * cmp(col.text(a), col.text(b))) || cmp(a.person_id, b.person_id));
}

function matches(r, words, tie) {
  if (tie && r.type !== tie) return false;
  const hay = [r.name, r.account_name, r.account_id, r.department].filter(Boolean).join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

function influenceTable(rows, query, employeeId) {
  if (!rows.length) return h('p', { class: 'muted' }, t('daily.none'));
  const state = { sort: query.get('sort') || '', dir: query.get('dir') === 'desc' ? 'desc' : 'asc', q: query.get('q') || '', tie: query.get('tie') || '' };
  const search = h('input', { type: 'search', id: 'daily-filter', value: state.q, 'data-testid': 'daily-filter' });
  const tie = h('select', { id: 'daily-tie', value: state.tie, 'data-testid': 'daily-tie' },
    h('option', { value: '' }, t('daily.allTies')), ['INFLUENCES', 'KNOWS'].map((x) => h('option', { value: x }, te('tie', x))));
  const count = h('span', { class: 'muted', role: 'status', 'data-testid': 'daily-shown' });
  const headRow = h('tr', {});
  const body = h('tbody', {});
  const draw = () => {
    const words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = sortRows(rows.filter((r) => matches(r, words, state.tie)), state.sort, state.dir);
    headRow.replaceChildren(...tieColumns().map((c) => sortHeader(c, state, () => { toggleSort(state, c.key); remember(); draw(); })));
    body.replaceChildren(...shown.map(tieRow));
    count.textContent = t('daily.shown', { shown: shown.length, total: rows.length });
  };
  const remember = () => history.replaceState(null, '', hrefWith('/daily', {
    employee: query.get('employee'), sort: state.sort, dir: state.sort ? state.dir : '', q: state.q, tie: state.tie,
  }));
  search.addEventListener('input', () => { state.q = search.value.trim(); remember(); draw(); });
  tie.addEventListener('change', () => { state.tie = tie.value; remember(); draw(); });
  draw();
  return h('div', {},
    h('div', { class: 'toolbar' }, field(t('daily.filter'), search), field(t('daily.type'), tie), count),
    h('div', { class: 'scroll-x' }, h('table', { class: 'grid', 'data-testid': 'influences-table', 'data-employee': employeeId }, h('thead', {}, headRow), body)));
}

function toggleSort(state, key) {
  if (state.sort === key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
  else { state.sort = key; state.dir = tieColumns().find((c) => c.key === key).num ? 'desc' : 'asc'; }
}

function sortHeader(col, state, onClick) {
  const active = state.sort === col.key;
  const arrow = active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : '';
  return h('th', { scope: 'col', class: col.num ? 'num' : null, 'aria-sort': active ? (state.dir === 'asc' ? 'ascending' : 'descending') : null, 'data-key': col.key },
    h('button', { type: 'button', class: 'sorter', title: t('daily.sortBy', { column: col.label() }), 'data-testid': `sort-${col.key}`, onclick: onClick }, col.label(), arrow));
}

function tieRow(r) {
  return h('tr', { 'data-testid': 'tie-row', 'data-id': r.person_id },
    h('th', { scope: 'row' }, h('a', { href: personHref(r.account_id, r.person_id) }, r.name ?? r.person_id)),
    h('td', {}, h('a', { href: `#/accounts/${enc(r.account_id)}` }, r.account_name ?? r.account_id)),
    h('td', {}, r.department ?? ''),
    h('td', {}, roleLabel(r.decision_role)),
    h('td', {}, te('tie', r.type)),
    h('td', { class: 'num' }, fmt.score(r.strength)),
    DIMS.map((d) => scoreCell(r[d], 0)));
}

// ---- activities ---------------------------------------------------------------------------------

function personLink(p) {
  const where = [p.account_name, p.department].filter(Boolean).join(' · ');
  return h('a', { href: personHref(p.account_id, p.id), title: where, 'data-testid': 'activity-person' }, p.name ?? p.id);
}

function activityList(items) {
  if (!items.length) return h('p', { class: 'muted' }, t('daily.noactivities'));
  const sorted = [...items].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  const persons = (a) => {
    const labelled = a.persons?.length ? a.persons : (a.person_ids || []).map((id) => ({ id, name: id }));
    return labelled.map((p, i) => [i ? t('sep') : '', personLink(p)]);
  };
  return h('div', { class: 'scroll-x' }, table(
    [t('act.at'), t('act.kind'), t('act.type'), t('act.note'), t('act.persons')],
    sorted.map((a) => [fmt.datetime(a.at), te('act', a.kind), a.type ?? '', a.note ?? '', h('td', {}, persons(a))]),
    { 'data-testid': 'activities-table' }));
}

/** Everyone the employee may log an activity with: their team accounts' key persons and their ties. */
function candidates(d) {
  const byId = new Map();
  for (const p of [...(d.team || []), ...(d.influences || []), ...(d.next_steps || [])]) {
    if (!byId.has(p.person_id)) {
      byId.set(p.person_id, { id: p.person_id, name: p.name ?? p.person_id, account_name: p.account_name ?? p.account_id, department: p.department ?? '' });
    }
  }
  const cmp = collator().compare;
  return [...byId.values()].sort((a, b) => cmp(a.name, b.name) || cmp(a.account_name, b.account_name) || cmp(a.id, b.id));
}

/** A searchable picker: type a name, account or department, pick from the matches. */
function personPicker(people) {
  const chosen = new Map();
  const search = h('input', { type: 'search', id: 'activity-person-search', autocomplete: 'off', 'aria-controls': 'activity-person-options', 'data-testid': 'activity-person-search' });
  const options = h('ul', { id: 'activity-person-options', class: 'options', 'data-testid': 'activity-person-options' });
  const chips = h('ul', { class: 'chips', 'aria-live': 'polite', 'data-testid': 'activity-chosen' });
  const where = (p) => [p.account_name, p.department].filter(Boolean).join(' · ');
  const drawChips = () => chips.replaceChildren(...(chosen.size ? [...chosen.values()].map((p) => h('li', { class: 'chip', 'data-id': p.id },
    h('span', {}, p.name, ' ', h('small', {}, where(p))),
    h('button', { type: 'button', class: 'linklike', 'aria-label': t('act.remove', { name: p.name }), onclick: () => { chosen.delete(p.id); drawChips(); drawOptions(); } }, '×')))
    : [h('li', { class: 'muted' }, t('act.noneChosen'))]));
  const drawOptions = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const found = people.filter((p) => !chosen.has(p.id) && words.every((w) => `${p.name} ${p.account_name} ${p.department}`.toLowerCase().includes(w)));
    options.replaceChildren(...found.slice(0, PICKER_SHOWN).map((p) => h('li', {},
      h('button', { type: 'button', class: 'option', 'data-id': p.id, 'data-testid': 'activity-person-option', onclick: () => { chosen.set(p.id, p); search.value = ''; drawChips(); drawOptions(); search.focus(); } },
        h('strong', {}, p.name), ' ', h('span', { class: 'muted' }, where(p))))),
    found.length > PICKER_SHOWN ? h('li', { class: 'muted' }, t('act.more', { n: found.length - PICKER_SHOWN })) : null,
    found.length ? null : h('li', { class: 'muted' }, t('act.nomatch')));
  };
  search.addEventListener('input', drawOptions);
  drawChips();
  drawOptions();
  const node = h('fieldset', { class: 'picker', 'data-testid': 'activity-picker' }, h('legend', {}, t('act.persons')),
    h('div', { class: 'label' }, t('act.chosen')), chips, field(t('act.search'), search), options);
  return { node, ids: () => [...chosen.keys()] };
}

function activityForm(people) {
  const kind = h('select', { id: 'activity-kind', 'data-testid': 'activity-kind' },
    h('option', { value: 'prescribed' }, t('act.prescribed')), h('option', { value: 'optional' }, t('act.optional')));
  const type = h('input', { type: 'text', id: 'activity-type', list: 'activity-types', required: true, 'data-testid': 'activity-type' });
  const types = h('datalist', { id: 'activity-types' }, t('act.types').split('|').map((x) => h('option', { value: x })));
  const at = h('input', { type: 'datetime-local', id: 'activity-at', required: true, value: nowLocal(), 'data-testid': 'activity-at' });
  const note = h('textarea', { id: 'activity-note', rows: 2, 'data-testid': 'activity-note' });
  const picker = personPicker(people);
  const box = errorBox('activity-error');
  const form = h('form', { class: 'card stack', 'data-testid': 'activity-form' },
    h('h2', {}, t('daily.log')),
    h('div', { class: 'row' }, field(t('act.kind'), kind), field(t('act.type'), type), types, field(t('act.at'), at)),
    picker.node,
    field(t('act.note'), note),
    box,
    h('button', { type: 'submit', id: 'activity-submit', 'data-testid': 'activity-submit' }, t('act.submit')));
  onSubmit(form, box, async () => {
    const ids = picker.ids();
    if (!ids.length) throw new Error(t('act.pickOne'));
    await api('/activities', {
      method: 'POST',
      body: { kind: kind.value, type: type.value.trim(), at: new Date(at.value).toISOString(), note: note.value, person_ids: ids },
    });
    setFlash(t('act.savedFlash'));
    window.dispatchEvent(new Event('graphbrm:reload'));
  });
  return form;
}

function nowLocal() {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}
