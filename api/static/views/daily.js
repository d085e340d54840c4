// Daily (D): whom I influence or know, whom to turn around next, and my activities.
import { t, te } from '../i18n.js';
import { api, enc } from '../api.js';
import {
  h, fmt, DIMS, personHref, statusBadge, roleLabel, scoreCell, pathText,
  table, section, errorBox, field, onSubmit, setFlash,
} from '../dom.js';

export async function dailyView({ query }, ctx) {
  const employeeId = query.get('employee') || ctx.me.employee_id;
  if (!employeeId) return h('div', {}, h('h1', { tabindex: -1 }, t('daily.title')), h('p', { class: 'muted' }, t('daily.noEmployee')));
  const d = await api(`/employees/${enc(employeeId)}/daily`);
  const influences = d.influences || [];
  return h('div', {},
    h('h1', { tabindex: -1 }, t('daily.title')),
    employeeId !== ctx.me.employee_id ? h('p', { class: 'muted' }, `${t('daily.for')}: ${employeeId}`) : null,
    potentialCard(d.potential),
    section(t('daily.next'), { 'data-testid': 'daily-next-steps' }, nextSteps(d.next_steps || [])),
    section(t('daily.influences'), { 'data-testid': 'daily-influences' }, influenceTable(influences)),
    section(t('daily.activities'), { 'data-testid': 'daily-activities' }, activityList(d.activities || [])),
    employeeId === ctx.me.employee_id ? activityForm(influences, d.next_steps || []) : null);
}

/** The potential object's shape is open: show each number, ratios as %. */
function potentialCard(potential) {
  if (!potential || typeof potential !== 'object') return null;
  const entries = Object.entries(potential).filter(([, v]) => typeof v === 'number' || v == null);
  const show = (k, v) => (/share|ratio|potential|rate/.test(k) || (typeof v === 'number' && v > 0 && v < 1) ? fmt.pct(v) : fmt.int(v));
  return section(t('daily.potential'), { 'data-testid': 'daily-potential' },
    h('dl', { class: 'figs' }, entries.map(([k, v]) => h('div', { class: 'fig' }, h('dt', {}, t(`pot.${k}`, {}, k)), h('dd', {}, show(k, v))))));
}

function nextSteps(steps) {
  if (!steps.length) return h('p', { class: 'muted' }, t('daily.nonext'));
  return h('ol', { class: 'steps' }, steps.map((s) => h('li', { 'data-testid': 'next-step' },
    h('a', { href: personHref(s.account_id, s.person_id) }, s.name ?? s.person_id), ' ',
    roleLabel(s.decision_role), ' ', statusBadge(s.status),
    s.path ? h('div', { class: 'path' }, `${t('daily.path')}: ${pathText(s.path)}`) : null)));
}

function influenceTable(rows) {
  if (!rows.length) return h('p', { class: 'muted' }, t('daily.none'));
  const sorted = [...rows].sort((a, b) => (a.type === b.type ? (b.strength ?? 0) - (a.strength ?? 0) : a.type === 'INFLUENCES' ? -1 : 1));
  return h('div', { class: 'scroll-x' }, table(
    [t('col.name'), t('person.role'), t('daily.type'), t('daily.strength'), ...DIMS.map((d) => t(`dim.${d}`))],
    sorted.map((r) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: personHref(r.account_id, r.person_id) }, r.name ?? r.person_id)),
      h('td', {}, roleLabel(r.decision_role)),
      h('td', {}, te('tie', r.type)),
      h('td', { class: 'num' }, fmt.score(r.strength)),
      DIMS.map((d) => scoreCell(r[d], 0)))),
    { 'data-testid': 'influences-table' }));
}

function activityList(items) {
  if (!items.length) return h('p', { class: 'muted' }, t('daily.noactivities'));
  const sorted = [...items].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  return h('div', { class: 'scroll-x' }, table(
    [t('act.at'), t('act.kind'), t('act.type'), t('act.note'), t('act.persons')],
    sorted.map((a) => [fmt.datetime(a.at), te('act', a.kind), a.type ?? '', a.note ?? '', (a.person_ids || []).join(', ')])));
}

function activityForm(influences, steps) {
  const known = new Map();
  for (const r of [...steps, ...influences]) if (!known.has(r.person_id)) known.set(r.person_id, r.name ?? r.person_id);
  const kind = h('select', { id: 'activity-kind', 'data-testid': 'activity-kind' },
    h('option', { value: 'prescribed' }, t('act.prescribed')), h('option', { value: 'optional' }, t('act.optional')));
  const type = h('input', { type: 'text', id: 'activity-type', list: 'activity-types', required: true, 'data-testid': 'activity-type' });
  const types = h('datalist', { id: 'activity-types' }, t('act.types').split('|').map((x) => h('option', { value: x })));
  const at = h('input', { type: 'datetime-local', id: 'activity-at', required: true, value: nowLocal(), 'data-testid': 'activity-at' });
  const note = h('textarea', { id: 'activity-note', rows: 2, 'data-testid': 'activity-note' });
  const boxes = [...known].map(([id, name], i) => ({ id, cb: h('input', { type: 'checkbox', id: `activity-person-${i}`, value: id }), name }));
  const other = h('input', { type: 'text', id: 'activity-other-ids', 'data-testid': 'activity-other-ids' });
  const box = errorBox('activity-error');
  const form = h('form', { class: 'card stack', 'data-testid': 'activity-form' },
    h('h2', {}, t('daily.log')),
    h('div', { class: 'row' }, field(t('act.kind'), kind), field(t('act.type'), type), types, field(t('act.at'), at)),
    boxes.length ? h('fieldset', { class: 'checks' }, h('legend', {}, t('act.persons')),
      boxes.map(({ cb, name }) => h('label', { class: 'check' }, cb, ' ', name))) : null,
    field(t('act.otherIds'), other),
    field(t('act.note'), note),
    box,
    h('button', { type: 'submit', id: 'activity-submit', 'data-testid': 'activity-submit' }, t('act.submit')));
  onSubmit(form, box, async () => {
    const ids = boxes.filter(({ cb }) => cb.checked).map(({ id }) => id);
    for (const x of other.value.split(/[,,\s]+/).map((v) => v.trim()).filter(Boolean)) if (!ids.includes(x)) ids.push(x);
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
