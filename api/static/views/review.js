// Monthly review (M): three questions on the quantified relationship map, with action items.
import { t, getLang } from '../i18n.js';
import { api, enc } from '../api.js';
import {
  h, fmt, DIMS, GOOD, today, hrefWith, personHref, statusBadge, roleLabel, scoreCell, pathText,
  table, numHead, section, errorBox, showError, field, onSubmit, setFlash,
} from '../dom.js';
import { accountHeader } from './accounts.js';

const actionText = (a) => (getLang() === 'zh-CN' && a.text_zh ? a.text_zh : a.text);

export async function reviewView({ params: [id], query }) {
  const asOf = query.get('as_of') || today();
  const [rev, past, map] = await Promise.all([
    api(`/accounts/${enc(id)}/review`, { query: { as_of: asOf } }),
    api(`/accounts/${enc(id)}/reviews`).catch((error) => ({ error })),
    api(`/accounts/${enc(id)}/map`).catch((error) => ({ error })),
  ]);
  const team = teamOf(map);
  const fig = rev.figures || { id, name: id };
  return h('div', {},
    accountHeader(fig, h('p', { class: 'no-print' }, h('a', { href: `#/accounts/${enc(id)}` }, t('rev.back')), ' ',
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'review-print', onclick: () => window.print() }, t('rev.print')))),
    h('h2', { class: 'pagetitle' }, `${t('rev.title')} · ${rev.as_of ?? asOf}`),
    asOfForm(id, asOf),
    h('div', { class: 'questions' }, (rev.questions || []).map((q, i) => questionCard(q, i, fig, id))),
    section(t('rev.actions'), { 'data-testid': 'review-actions' }, actionList(rev.actions, id, t('rev.noactions'))),
    section(rev.previous ? t('rev.previous', { date: rev.previous.date }) : t('rev.noprevious'), { 'data-testid': 'review-previous' },
      rev.previous ? actionList(rev.previous.actions, id, t('none')) : null),
    recordForm(id, rev, asOf, team),
    section(t('rev.history'), { 'data-testid': 'review-history' }, historyTable(past, team)));
}

/** Our employees on the account team (from the map), owner first, for the rep picker and names. */
function teamOf(map) {
  const names = new Map((map?.nodes || []).filter((n) => n.kind === 'employee').map((n) => [n.id, n.name]));
  const roles = new Map((map?.edges || []).filter((e) => e.type === 'ON_TEAM').map((e) => [e.source, e.team_role]));
  const members = [...roles.keys()].filter((e) => names.has(e))
    .sort((a, b) => (roles.get(b) === 'owner') - (roles.get(a) === 'owner') || String(names.get(a)).localeCompare(String(names.get(b))));
  return { names, roles, members, error: map?.error };
}

function asOfForm(id, asOf) {
  const input = h('input', { type: 'date', id: 'review-as-of', value: asOf, required: true, 'data-testid': 'review-as-of' });
  const form = h('form', { class: 'toolbar no-print' }, field(t('rev.asOf'), input), h('button', { type: 'submit' }, t('apply')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = hrefWith(`/accounts/${enc(id)}/review`, { as_of: input.value });
  });
  return form;
}

function questionCard(q, index, fig, accountId) {
  const key = ['coverage', 'averages', 'blockers'].includes(q.key) ? q.key : 'other';
  const verdict = h('span', { class: `badge ${q.passed ? 'pass' : 'fail'}`, 'data-testid': 'review-verdict' },
    q.passed ? `✓ ${t('rev.passed')}` : `✗ ${t('rev.failed')}`);
  const render = { coverage: coverageEvidence, averages: averagesEvidence, blockers: blockersEvidence }[key];
  return h('section', { class: `card question ${q.passed ? 'passed' : 'failed'}`, 'data-testid': `review-question-${key}`, 'data-passed': String(Boolean(q.passed)) },
    h('h3', {}, `${index + 1}. `, t(`rev.q.${key}`, { good: GOOD }, q.key), ' ', verdict),
    render ? render(q.evidence || {}, fig, accountId) : h('pre', {}, JSON.stringify(q.evidence, null, 2)));
}

function coverageEvidence(ev, fig, accountId) {
  const unknown = ev.unknown_persons || [];
  return h('div', {},
    ev.expected_unset ? h('p', { 'data-testid': 'expected-unset' }, t('rev.expectedUnset', { identified: fig.identified ?? '?' })) : null,
    ev.missing > 0 ? h('p', {}, t('rev.missing', { missing: ev.missing, expected: fig.expected ?? '?', identified: fig.identified ?? '?' })) : null,
    unknown.length ? h('p', {}, t('rev.unknownPersons'), ' ',
      unknown.map((p, i) => [i ? t('sep') : '', h('a', { href: personHref(accountId, p.id) }, p.name ?? p.id)])) : null);
}

function averagesEvidence(ev) {
  const short = new Set(ev.short || []);
  return h('div', {},
    h('dl', { class: 'figs small' }, DIMS.map((d) => h('div', { class: short.has(d) ? 'fig low' : 'fig' },
      h('dt', {}, t(`dim.${d}`)), h('dd', {}, fmt.avg(ev.averages?.[d]))))),
    short.size ? h('p', {}, t('rev.short', { good: GOOD }), ' ', [...short].map((d) => t(`dim.${d}`)).join(t('sep'))) : null);
}

function blockersEvidence(ev, fig, accountId) {
  const persons = ev.persons || [];
  if (!persons.length) return h('p', { class: 'muted' }, t('rev.noblockers'));
  return h('div', { class: 'scroll-x' }, table(
    [t('col.name'), t('person.role'), ...DIMS.map((d) => numHead(t(`dim.${d}`))), t('person.status'), t('person.paths')],
    persons.map((p) => h('tr', { 'data-testid': 'blocker-row' },
      h('th', { scope: 'row' }, h('a', { href: personHref(accountId, p.id) }, p.name ?? p.id)),
      h('td', {}, roleLabel(p.decision_role)),
      DIMS.map((d) => scoreCell(p[d], 0)),
      h('td', {}, statusBadge(p.status)),
      h('td', {}, (p.paths || []).length
        ? h('ol', { class: 'paths' }, p.paths.slice(0, 3).map((path) => h('li', {}, pathText(path))))
        : h('span', { class: 'muted' }, t('person.nopaths')))))));
}

function actionList(actions, accountId, emptyText) {
  if (!actions?.length) return h('p', { class: 'muted' }, emptyText);
  return h('ul', { class: 'actions' }, actions.map((a) => h('li', {}, actionText(a),
    a.person_id ? [' ', h('a', { href: personHref(accountId, a.person_id), class: 'muted no-print', title: t('rev.showOnMap'), 'aria-label': t('rev.showOnMap') }, '↗')] : null)));
}

function recordForm(accountId, rev, asOf, team) {
  const date = h('input', { type: 'date', id: 'review-date', value: asOf, required: true, 'data-testid': 'review-date' });
  // The owner is listed first and chosen by default: the review is about their account.
  const rep = h('select', { id: 'review-rep', required: true, value: team.members[0] ?? '', 'data-testid': 'review-rep' },
    team.members.map((e) => h('option', { value: e }, `${team.names.get(e) ?? e} (${t(team.roles.get(e) === 'owner' ? 'rev.owner' : 'rev.member')})`)));
  const teamNote = team.error ? teamErrorBox(team.error) : team.members.length ? null : h('p', { class: 'muted', 'data-testid': 'review-noteam' }, t('rev.noteam'));
  const notes = h('textarea', { id: 'review-notes', rows: 3, 'data-testid': 'review-notes' });
  const extra = h('textarea', { id: 'review-extra', rows: 3, 'data-testid': 'review-extra-actions' });
  const suggested = (rev.actions || []).map((a, i) => ({ a, box: h('input', { type: 'checkbox', id: `review-action-${i}`, checked: true }) }));
  const box = errorBox('review-error');
  const form = h('form', { class: 'card stack no-print', 'data-testid': 'review-form' },
    h('h2', {}, t('rev.record')),
    h('div', { class: 'row' }, field(t('rev.date'), date), field(t('rev.rep'), rep)), teamNote,
    suggested.length ? h('fieldset', {}, h('legend', {}, t('rev.suggested')),
      suggested.map(({ a, box: cb }) => h('label', { class: 'check' }, cb, ' ', actionText(a)))) : null,
    field(t('rev.extra'), extra),
    field(t('rev.notes'), notes),
    box,
    h('button', { type: 'submit', id: 'review-submit', 'data-testid': 'review-submit' }, t('rev.submit')));
  onSubmit(form, box, async () => {
    // The text agreed on is the one the manager read, in the language shown.
    const actions = suggested.filter(({ box: cb }) => cb.checked)
      .map(({ a }) => (a.person_id ? { text: actionText(a), person_id: a.person_id } : { text: actionText(a) }));
    for (const line of extra.value.split('\n').map((x) => x.trim()).filter(Boolean)) actions.push({ text: line });
    await api(`/accounts/${enc(accountId)}/reviews`, {
      method: 'POST', body: { date: date.value, rep_id: rep.value, notes: notes.value, actions },
    });
    setFlash(t('rev.savedFlash'));
    window.dispatchEvent(new Event('graphbrm:reload'));
  });
  return form;
}

function teamErrorBox(error) {
  const box = errorBox('review-team-error');
  showError(box, error);
  box.prepend(h('div', {}, t('rev.teamError')));
  return box;
}

function historyTable(past, team) {
  if (past?.error) {
    const box = errorBox('review-history-error');
    showError(box, past.error);
    return box;
  }
  const rows = past?.data || [];
  if (!rows.length) return h('p', { class: 'muted' }, t('none'));
  const who = (eid) => (eid ? team.names.get(eid) ?? eid : '');
  return h('div', { class: 'scroll-x' }, table(
    [t('rev.date'), t('rev.rep'), t('rev.reviewer'), t('rev.actions'), t('rev.notes')],
    rows.map((r) => [
      r.date ?? '', r.rep_name ?? who(r.rep_id), r.reviewer_name ?? who(r.reviewer_id),
      h('ul', { class: 'actions' }, (r.actions || []).map((a) => h('li', {}, actionText(a)))),
      r.notes ?? '',
    ])));
}
