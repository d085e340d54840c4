// The relationship map (关系图谱) as inline SVG: departments as columns, key persons as nodes
// coloured by relationship status, our employees in a column on the left.
import { t, te } from './i18n.js';
import { h, s, statusOf, scoresText } from './dom.js';

const NODE_W = 150, NODE_H = 46, COL_W = 178, ROW_H = 58, HEAD = 34, PAD = 12, EMP_GAP = 70;
const ROLE_ORDER = ['veto', 'approver', 'decision_maker', 'influencer', 'evaluator', 'coach', 'user', 'other'];

const byName = (a, b) => String(a.name ?? '').localeCompare(String(b.name ?? ''));
const clip = (text, n) => { const str = String(text ?? ''); return str.length > n ? `${str.slice(0, n - 1)}…` : str; };

/** Departments in tree order (parents before their sub-departments), each with a path label. */
function departmentColumns(depts) {
  const ids = new Set(depts.map((d) => d.id));
  const kids = new Map();
  for (const d of depts) {
    const key = ids.has(d.parent_id) ? d.parent_id : '';
    if (!kids.has(key)) kids.set(key, []);
    kids.get(key).push(d);
  }
  const out = [], seen = new Set();
  const visit = (parent, trail) => {
    for (const d of (kids.get(parent) || []).sort(byName)) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      const label = [...trail, d.name].join(' › ');
      out.push({ id: d.id, label, persons: [] });
      visit(d.id, [...trail, d.name]);
    }
  };
  visit('', []);
  for (const d of depts) if (!seen.has(d.id)) out.push({ id: d.id, label: d.name, persons: [] }); // cycles
  return out;
}

/** Hops up the REPORTS_TO line, so bosses sit above their reports. */
function levels(edges) {
  const boss = new Map(edges.filter((e) => e.type === 'REPORTS_TO').map((e) => [e.source, e.target]));
  return (id) => {
    let depth = 0, cur = id;
    const seen = new Set();
    while (boss.has(cur) && !seen.has(cur)) { seen.add(cur); cur = boss.get(cur); depth += 1; }
    return depth;
  };
}

function layout(map) {
  const depts = map.nodes.filter((n) => n.kind === 'department');
  const persons = map.nodes.filter((n) => n.kind === 'key_person');
  const linked = new Set(map.edges.map((e) => e.source));
  const employees = map.nodes.filter((n) => n.kind === 'employee' && linked.has(n.id)).sort(byName);
  const cols = departmentColumns(depts);
  const colOf = new Map(cols.map((c) => [c.id, c]));
  const orphan = { id: '', label: t('map.nodept'), persons: [] };
  for (const p of persons) (colOf.get(p.department_id) || orphan).persons.push(p);
  if (orphan.persons.length) cols.push(orphan);
  const level = levels(map.edges);
  const rank = (p) => { const i = ROLE_ORDER.indexOf(p.decision_role); return i < 0 ? ROLE_ORDER.length : i; };
  for (const c of cols) c.persons.sort((a, b) => level(a.id) - level(b.id) || rank(a) - rank(b) || byName(a, b));

  const pos = new Map();
  const x0 = PAD + (employees.length ? NODE_W + EMP_GAP : 0);
  employees.forEach((e, i) => pos.set(e.id, { x: PAD, y: HEAD + i * ROW_H, col: -1 }));
  cols.forEach((c, ci) => {
    c.x = x0 + ci * COL_W;
    c.persons.forEach((p, i) => pos.set(p.id, { x: c.x, y: HEAD + i * ROW_H, col: ci }));
  });
  const rows = Math.max(1, employees.length, ...cols.map((c) => c.persons.length));
  return { cols, employees, persons, pos, width: x0 + cols.length * COL_W + PAD, height: HEAD + rows * ROW_H + PAD };
}

function edgePath(a, b, type) {
  const ay = a.y + NODE_H / 2, by = b.y + NODE_H / 2;
  if (a.col === b.col && a.col >= 0) {
    // Same column: bend out to the left (formal line) or right (influence).
    const left = type === 'REPORTS_TO';
    const x = left ? a.x : a.x + NODE_W;
    const bulge = (left ? -1 : 1) * (18 + Math.min(40, Math.abs(by - ay) / 6));
    return `M${x},${ay} C${x + bulge},${ay} ${x + bulge},${by} ${x},${by}`;
  }
  const forward = b.x >= a.x;
  const x1 = forward ? a.x + NODE_W : a.x, x2 = forward ? b.x : b.x + NODE_W;
  const dx = (forward ? 1 : -1) * Math.max(30, Math.abs(x2 - x1) / 3);
  return `M${x1},${ay} C${x1 + dx},${ay} ${x2 - dx},${by} ${x2},${by}`;
}

function markers() {
  const mk = (id) => s('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    s('path', { d: 'M0,0 L10,5 L0,10 z', class: id }));
  return s('defs', {}, mk('arrow-reports'), mk('arrow-influence'), mk('arrow-employee'));
}

const EDGE_CLASS = { REPORTS_TO: 'reports', INFLUENCES: 'influence', KNOWS: 'knows' };

function drawEdges(map, L, persons) {
  const out = [];
  for (const e of map.edges) {
    const kind = EDGE_CLASS[e.type];
    const a = L.pos.get(e.source), b = L.pos.get(e.target);
    if (!kind || !a || !b) continue;
    const fromEmployee = a.col === -1;
    const cls = fromEmployee ? `edge emp-${kind}` : `edge ${kind}`;
    const marker = e.type === 'REPORTS_TO' ? 'arrow-reports' : fromEmployee ? 'arrow-employee' : 'arrow-influence';
    const label = `${persons.get(e.source)?.name ?? e.source} ${t(`map.${kind === 'influence' ? 'influences' : kind}`)} ${persons.get(e.target)?.name ?? e.target}${e.strength != null ? ` (${e.strength})` : ''}`;
    const el = s('path', { d: edgePath(a, b, e.type), class: cls, 'marker-end': `url(#${marker})` }, s('title', {}, label));
    out.push({ el, source: e.source, target: e.target });
  }
  return out;
}

function personNode(p, at, onSelect) {
  const st = statusOf(p);
  const role = te('dr', p.decision_role);
  const g = s('g', {
    class: `node person st-${st}`, transform: `translate(${at.x},${at.y})`, tabindex: 0, role: 'button',
    'aria-label': `${p.name}, ${role}, ${t(`st.${st}`)}, ${scoresText(p)}`, 'data-testid': 'map-node', 'data-id': p.id, 'data-status': st,
  });
  g.append(s('title', {}, `${p.name}${p.title ? ` · ${p.title}` : ''} · ${role} · ${t('map.scores')}: ${scoresText(p)}`),
    s('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
    s('text', { x: 8, y: 18, class: 'name' }, clip(p.name, 12)),
    s('text', { x: 8, y: 36, class: 'sub' }, `${scoresText(p)}  ${clip(p.title, 8)}`));
  if (p.decision_role === 'veto' || p.decision_role === 'approver') {
    g.append(s('g', { class: `rolemark dr-${p.decision_role}`, 'data-testid': 'map-role-badge' },
      s('circle', { cx: NODE_W - 14, cy: 14, r: 10 }),
      s('text', { x: NODE_W - 14, y: 18, 'text-anchor': 'middle' }, t(`drb.${p.decision_role}`))));
  }
  const pick = () => onSelect(p.id);
  g.addEventListener('click', pick);
  g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(); } });
  return g;
}

function employeeNode(e, at) {
  return s('g', { class: 'node employee', transform: `translate(${at.x},${at.y})`, 'data-id': e.id },
    s('title', {}, `${e.name}${e.title ? ` · ${e.title}` : ''}`),
    s('rect', { width: NODE_W, height: NODE_H, rx: 23 }),
    s('text', { x: 14, y: 19, class: 'name' }, clip(e.name, 12)),
    s('text', { x: 14, y: 36, class: 'sub' }, clip(e.title, 14)));
}

/** Render the map; returns the SVG and a `select(id)` that highlights a person and their ties. */
export function renderMap(map, onSelect) {
  const L = layout(map);
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const svg = s('svg', {
    class: 'map', width: L.width, height: L.height, viewBox: `0 0 ${L.width} ${L.height}`,
    role: 'group', 'aria-label': t('map.title'), 'data-testid': 'map-svg',
  });
  svg.append(markers());
  if (L.employees.length) {
    svg.append(s('text', { x: PAD, y: 20, class: 'colhead' }, t('map.employees')));
  }
  for (const c of L.cols) {
    svg.append(s('rect', { x: c.x - 8, y: 4, width: COL_W - 16, height: L.height - 8, rx: 8, class: 'dept', 'data-testid': 'map-department' }),
      s('text', { x: c.x, y: 22, class: 'colhead' }, s('title', {}, c.label), clip(c.label, 14)));
    if (!c.persons.length) svg.append(s('text', { x: c.x, y: HEAD + 24, class: 'empty' }, t('map.emptydept')));
  }
  const edges = drawEdges(map, L, byId);
  svg.append(s('g', { class: 'edges' }, edges.map((e) => e.el)));
  const nodeEls = new Map();
  for (const e of L.employees) { const el = employeeNode(e, L.pos.get(e.id)); nodeEls.set(e.id, el); svg.append(el); }
  for (const p of L.persons) { const el = personNode(p, L.pos.get(p.id), onSelect); nodeEls.set(p.id, el); svg.append(el); }

  // Scroll the map's own box so the node is visible (SVG scrollIntoView is unreliable).
  function reveal(id) {
    const at = L.pos.get(id), box = svg.parentElement;
    if (!at || !box) return;
    const { scrollLeft: sl, scrollTop: st, clientWidth: cw, clientHeight: ch } = box;
    if (at.x < sl || at.x + NODE_W > sl + cw) box.scrollLeft = at.x - (cw - NODE_W) / 2;
    if (at.y < st || at.y + NODE_H > st + ch) box.scrollTop = at.y - (ch - NODE_H) / 2;
  }

  function select(id) {
    reveal(id);
    svg.classList.toggle('has-sel', Boolean(id && nodeEls.has(id)));
    const near = new Set([id]);
    for (const e of edges) {
      const on = e.source === id || e.target === id;
      e.el.classList.toggle('hl', on);
      if (on) { near.add(e.source); near.add(e.target); }
    }
    for (const [nid, el] of nodeEls) {
      el.classList.toggle('selected', nid === id);
      el.classList.toggle('near', near.has(nid));
      if (el.classList.contains('person')) el.setAttribute('aria-pressed', String(nid === id));
    }
  }
  return { svg, select };
}

/** The legend under the map: statuses, role marks and edge kinds, in words. */
export function mapLegend() {
  const box = (st) => h('li', {}, h('span', { class: `swatch lg-${st}`, 'aria-hidden': 'true' }), t(`st.${st}`));
  const line = (cls, label) => h('li', {}, s('svg', { width: 28, height: 10, 'aria-hidden': 'true', class: 'lg-line' }, s('path', { d: 'M0,5 L28,5', class: `edge ${cls}` })), ' ', label);
  const mark = (role) => h('li', {}, h('span', { class: `badge dr-${role}` }, t(`drb.${role}`)), ' ', t(`dr.${role}`));
  return h('ul', { class: 'legend', 'aria-label': t('map.legend'), 'data-testid': 'map-legend' },
    ['opposes', 'unclear', 'ok', 'unknown'].map(box), mark('veto'), mark('approver'),
    line('reports', t('map.reports')), line('influence', t('map.influences')),
    line('emp-influence', `${t('map.employees')} ${t('map.influences')}`), line('emp-knows', `${t('map.employees')} ${t('map.knows')}`));
}
