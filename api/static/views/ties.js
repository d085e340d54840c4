// The ties into a key person, in the map's person panel: each with a remove button (a contact
// lost), and a form to add one or change its strength (choose our employee by name).
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { h, errorBox, showError, field, onSubmit, setFlash } from '../dom.js';

const TYPES = ['knows', 'influences'];

/** The panel's ties section for key person `p` of `map`; `me` is the signed-in employee. */
export function tiesSection(p, map, me) {
  const nodes = new Map(map.nodes.map((n) => [n.id, n]));
  const ties = map.edges.filter((e) => e.target === p.id && (e.type === 'KNOWS' || e.type === 'INFLUENCES'));
  const box = errorBox('tie-error');
  const items = ties.map((e) => tieItem(p, e, nodes.get(e.source), box));
  return [
    h('h3', {}, t('tie.title')),
    h('ul', { class: 'ties', 'data-testid': 'person-ties' },
      items.length ? items : h('li', { class: 'muted' }, t('tie.none'))),
    box,
    tieForm(p, employeesOf(map, me)),
  ];
}

function tieItem(p, e, source, box) {
  const type = e.type.toLowerCase();
  const remove = h('button', { type: 'button', class: 'secondary', 'data-testid': 'tie-remove', onclick: async () => {
    remove.disabled = true;
    try {
      await api(`/key-persons/${enc(p.id)}/ties/${type}/${enc(e.source)}`, { method: 'DELETE' });
      setFlash(t('tie.removed'));
      window.dispatchEvent(new Event('graphbrm:reload'));
    } catch (err) {
      if (err?.status !== 401) showError(box, err);
      remove.disabled = false;
    }
  } }, t('tie.remove'));
  return h('li', { 'data-testid': 'tie-item', 'data-source': e.source, 'data-type': type },
    source?.name ?? e.source, ' · ', t(`tie.${type}`), ' ', String(e.strength ?? '?'), ' ', remove);
}

/** Our employees on this map (the account team, those with ties into it) and me, by name. */
function employeesOf(map, me) {
  const found = new Map(map.nodes.filter((n) => n.kind === 'employee').map((n) => [n.id, n.name ?? n.id]));
  if (me?.employee_id && !found.has(me.employee_id)) found.set(me.employee_id, me.name ?? me.employee_id);
  return [...found].sort((a, b) => a[1].localeCompare(b[1]));
}

function tieForm(p, employees) {
  const who = h('select', { id: 'tie-employee', name: 'employee', 'data-testid': 'tie-employee' },
    employees.map(([id, name]) => h('option', { value: id }, name)));
  const type = h('select', { id: 'tie-type', name: 'type', 'data-testid': 'tie-type' },
    TYPES.map((k) => h('option', { value: k }, t(`tie.${k}`))));
  const strength = h('input', { type: 'number', min: 0, max: 100, step: 1, id: 'tie-strength', name: 'strength', required: true, 'data-testid': 'tie-strength' });
  const box = errorBox('tie-form-error');
  const form = h('form', { class: 'stack', 'data-testid': 'tie-form' },
    h('h3', {}, t('tie.add')),
    h('div', { class: 'row' }, field(t('tie.employee'), who), field(t('tie.type'), type), field(t('tie.strength'), strength)),
    box,
    h('button', { type: 'submit', 'data-testid': 'tie-save' }, t('tie.save')));
  onSubmit(form, box, async () => {
    const body = { strength: Number(strength.value) };
    await api(`/key-persons/${enc(p.id)}/ties/${type.value}/${enc(who.value)}`, { method: 'PUT', body });
    setFlash(t('tie.saved'));
    window.dispatchEvent(new Event('graphbrm:reload'));
  });
  return form;
}
