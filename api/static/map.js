// The relationship map (关系图谱): the account as an org chart, drawn by Cytoscape.js and laid out
// by ELK (the Eclipse Layout Kernel), both vendored under /static/vendor (see its README).
//
// Layout, in two ELK runs: each top-level department is a layered chart along the reporting line
// (sub-departments nested inside, a boss's reports who lead nobody stacked in one column under
// them, so a department stays narrow); then the departments are packed into the shape of the
// screen. Our employees stand in a column beside the account. Reporting lines between departments
// and every INFLUENCES / KNOWS tie are drawn but do not move anything: the structure stays put
// whatever ties there are.
import { t, te } from './i18n.js';
import { h, statusOf, scoresText, STATUSES, BLOCKING_ROLES } from './dom.js'; // the vocabulary of GET /meta

const W = 110, H = 38, GAP = 7, INDENT = 14; // person box, gap in a stack, stack indent
const FONT_PX = 12;
const FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
const FIT_PADDING = 16, MAX_FIT_ZOOM = 1.3;
const COLORS = {
  opposes: ['#fde8e8', '#c62828'], unclear: ['#fef3c7', '#d97706'], ok: ['#e6f4ea', '#2e7d32'],
  unknown: ['#eef0f3', '#9aa5b1'], employee: ['#e0ecff', '#5b7fc7'],
};
const ACCENT = '#1d4ed8', PATH = '#f59e0b';
const byName = (a, b) => String(a.name ?? '').localeCompare(String(b.name ?? ''));

// ---- loading the vendored libraries ------------------------------------------------------------

let libraries = null;

/** Cytoscape (an ES module) and ELK (a browser bundle that sets window.ELK), loaded once. */
export function loadLibraries() {
  libraries ??= Promise.all([import('./vendor/cytoscape/cytoscape.esm.min.mjs'), loadScript('/static/vendor/elkjs/elk.bundled.js')])
    .then(([cy]) => ({ cytoscape: cy.default, ELK: window.ELK }))
    .catch((err) => { libraries = null; throw err; });
  return libraries;
}

function loadScript(src) {
  if (window.ELK) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const el = h('script', { src });
    el.addEventListener('load', resolve);
    el.addEventListener('error', () => reject(new Error(t('map.loadfail'))));
    document.head.append(el);
  });
}

// Cytoscape adds an inline <style> with `.__________cytoscape_container { position: relative }`
// unless an element with this id exists. The CSP refuses inline styles; map.css has the rule.
function cytoscapeWithoutInlineStyle() {
  if (!document.getElementById('__________cytoscape_stylesheet')) {
    document.head.append(h('meta', { id: '__________cytoscape_stylesheet', name: 'cytoscape-stylesheet' }));
  }
}

// ---- the account's structure ---------------------------------------------------------------------

/** Departments, persons, employees and ties of the map, with the reporting line resolved. */
function structure(map) {
  const depts = map.nodes.filter((n) => n.kind === 'department');
  const persons = map.nodes.filter((n) => n.kind === 'key_person');
  const deptIds = new Set(depts.map((d) => d.id));
  const personIds = new Set(persons.map((p) => p.id));
  const parentOf = new Map(depts.map((d) => [d.id, deptIds.has(d.parent_id) && d.parent_id !== d.id ? d.parent_id : null]));
  const boss = new Map(map.edges.filter((e) => e.type === 'REPORTS_TO' && personIds.has(e.source) && personIds.has(e.target) && e.source !== e.target)
    .map((e) => [e.source, e.target]));
  const deptOf = new Map(persons.map((p) => [p.id, deptIds.has(p.department_id) ? p.department_id : NO_DEPT]));
  const topOf = (deptId) => {
    let cur = deptId;
    const seen = new Set();
    while (parentOf.get(cur) && !seen.has(cur)) { seen.add(cur); cur = parentOf.get(cur); }
    return cur;
  };
  const linked = new Set(map.edges.map((e) => e.source));
  const employees = map.nodes.filter((n) => n.kind === 'employee' && linked.has(n.id)).sort(byName);
  const nodeIds = new Set([...personIds, ...employees.map((e) => e.id)]);
  const ties = map.edges.filter((e) => e.type !== 'ON_TEAM' && nodeIds.has(e.source) && nodeIds.has(e.target));
  const occupied = new Set([...deptOf.values(), ...parentOf.values()]);
  const isEmpty = (deptId) => !occupied.has(deptId);
  return { depts, persons, employees, ties, parentOf, boss, deptOf, topOf, isEmpty };
}

const NO_DEPT = '~nodept';

/** A boss's reports who lead nobody, in the boss's own top-level department: stacked in a column. */
function stacksOf(S) {
  const leads = new Set(S.boss.values());
  const groups = new Map();
  for (const p of S.persons) {
    const b = S.boss.get(p.id);
    if (!b || leads.has(p.id) || S.topOf(S.deptOf.get(b)) !== S.topOf(S.deptOf.get(p.id))) continue;
    const key = `${b}|${S.deptOf.get(p.id)}`;
    if (!groups.has(key)) groups.set(key, { id: `~stack:${key}`, boss: b, dept: S.deptOf.get(p.id), members: [] });
    groups.get(key).members.push(p);
  }
  return [...groups.values()].filter((s) => s.members.length > 1);
}

// ---- layout ----------------------------------------------------------------------------------------

const GROUP_PADDING = '[top=24,left=8,bottom=8,right=8]';
const DEPARTMENT_LAYOUT = {
  'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '22', 'elk.spacing.nodeNode': '10',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX', 'elk.padding': GROUP_PADDING,
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES', 'elk.layered.thoroughness': '1',
};

/** ELK's graph of the departments (each laid out on its own), with stacks as tall boxes. */
function departmentsGraph(S, stacks) {
  const groups = new Map();
  const group = (id) => ({ id, children: [], edges: [], layoutOptions: { 'elk.padding': GROUP_PADDING } });
  const tops = [];
  const orderedDepts = [...S.depts];
  if (S.persons.some((p) => S.deptOf.get(p.id) === NO_DEPT)) orderedDepts.push({ id: NO_DEPT, name: t('map.nodept') });
  for (const d of orderedDepts) groups.set(d.id, group(d.id));
  for (const d of orderedDepts) {
    const parent = groups.get(S.parentOf.get(d.id));
    if (parent) parent.children.push(groups.get(d.id));
    else { groups.get(d.id).layoutOptions = { ...DEPARTMENT_LAYOUT }; tops.push(groups.get(d.id)); }
  }
  const stacked = new Set();
  for (const s of stacks) {
    groups.get(s.dept).children.push({ id: s.id, width: W + INDENT, height: s.members.length * (H + GAP) - GAP });
    for (const p of s.members) stacked.add(p.id);
    groups.get(S.topOf(s.dept)).edges.push({ id: `${s.id}:edge`, sources: [s.boss], targets: [s.id] });
  }
  for (const p of S.persons) if (!stacked.has(p.id)) groups.get(S.deptOf.get(p.id)).children.push({ id: p.id, width: W, height: H });
  for (const g of groups.values()) if (!g.children.length) Object.assign(g, { width: W, height: 24 }); // an empty department
  for (const [report, b] of S.boss) {
    const top = S.topOf(S.deptOf.get(report));
    if (!stacked.has(report) && top === S.topOf(S.deptOf.get(b))) {
      groups.get(top).edges.push({ id: `${report}>${b}`, sources: [b], targets: [report] });
    }
  }
  // The department holding the top of the reporting line comes first, so it is packed top-left.
  const rank = (g) => (S.persons.some((p) => !S.boss.has(p.id) && S.topOf(S.deptOf.get(p.id)) === g.id) ? 0 : 1);
  tops.sort((a, b) => rank(a) - rank(b));
  // Only the departments' insides are laid out here ('fixed' leaves them where they are): packDepartments places them.
  return { id: 'root', layoutOptions: { 'elk.algorithm': 'fixed', 'elk.hierarchyHandling': 'SEPARATE_CHILDREN' }, children: tops, edges: [] };
}

/** Top-left corners of everything inside each top-level department, relative to that department. */
function flatten(group, dx, dy, out) {
  for (const c of group.children || []) {
    out.set(c.id, { x: dx + c.x, y: dy + c.y, w: c.width, h: c.height });
    if (c.children?.length) flatten(c, dx + c.x, dy + c.y, out);
  }
  return out;
}

/**
 * Pack the laid-out departments for the box's shape: of a few packings (target aspect ratios
 * around the box's), the one that allows the largest zoom. One ELK run lays out all of them.
 */
async function packDepartments(elk, tops, box, extraWidth) {
  const aspect = Math.max(0.5, (box.width - extraWidth) / Math.max(1, box.height));
  const factors = [0.55, 0.7, 0.85, 1, 1.2, 1.45, 1.75, 2.1];
  const packed = await elk.layout({
    id: 'packings', layoutOptions: { 'elk.algorithm': 'fixed', 'elk.hierarchyHandling': 'SEPARATE_CHILDREN' },
    children: factors.map((factor, i) => ({
      id: `~${i}`, layoutOptions: { 'elk.algorithm': 'rectpacking', 'elk.aspectRatio': String(aspect * factor), 'elk.spacing.nodeNode': '14', 'elk.padding': '[top=0,left=0,bottom=0,right=0]' },
      children: tops.map((g) => ({ id: `~${i}:${g.id}`, width: g.width, height: g.height })),
    })),
  });
  const zoom = (p) => Math.min(box.width / (p.width + extraWidth), box.height / p.height);
  const best = packed.children.reduce((a, b) => (zoom(b) > zoom(a) ? b : a));
  return { children: best.children.map((c) => ({ ...c, id: c.id.slice(c.id.indexOf(':') + 1) })) };
}

/** Positions (centres) of every person and employee, and the geometry of the stacks. */
async function layout(elk, S, box) {
  const stacks = stacksOf(S);
  const laid = await elk.layout(departmentsGraph(S, stacks));
  const employeeRows = Math.max(8, Math.ceil(S.employees.length / 2));
  const employeeCols = S.employees.length ? Math.ceil(S.employees.length / employeeRows) : 0;
  const employeeWidth = employeeCols ? employeeCols * (W + 10) + 60 : 0;
  const packed = await packDepartments(elk, laid.children, box, employeeWidth);
  const at = new Map();
  for (const p of packed.children) {
    const top = laid.children.find((g) => g.id === p.id);
    at.set(top.id, { x: p.x, y: p.y, w: top.width, h: top.height });
    flatten(top, p.x, p.y, at);
  }
  const pos = new Map();
  const stackOf = new Map();
  for (const s of stacks) {
    const b = at.get(s.id);
    s.members.forEach((p, i) => {
      pos.set(p.id, { x: b.x + INDENT + W / 2, y: b.y + i * (H + GAP) + H / 2 });
      stackOf.set(p.id, { spineX: b.x + INDENT / 2, top: b.y });
    });
  }
  for (const p of S.persons) if (!pos.has(p.id)) { const b = at.get(p.id); pos.set(p.id, { x: b.x + W / 2, y: b.y + H / 2 }); }
  S.employees.forEach((e, i) => {
    const col = Math.floor(i / employeeRows), row = i % employeeRows;
    pos.set(e.id, { x: -employeeWidth + 30 + col * (W + 10) + W / 2, y: row * (H + 14) + H / 2 + 28 });
  });
  const empties = new Map(S.depts.filter((d) => S.isEmpty(d.id)).map((d) => {
    const b = at.get(d.id);
    return [d.id, { x: b.x + b.w / 2, y: b.y + b.h / 2 }];
  }));
  return { pos, stackOf, empties };
}

// ---- labels ----------------------------------------------------------------------------------------

let measureCtx = null;

/** `text` cut with an ellipsis to fit `width` pixels at the map's font size (full text on hover). */
function fit(text, width) {
  const str = String(text ?? '');
  measureCtx ??= document.createElement('canvas').getContext('2d');
  measureCtx.font = `${FONT_PX}px ${FONT}`;
  if (measureCtx.measureText(str).width <= width) return str;
  let lo = 0, hi = str.length;
  while (lo < hi) { // the longest prefix that fits with the ellipsis
    const mid = Math.ceil((lo + hi) / 2);
    if (measureCtx.measureText(`${str.slice(0, mid)}…`).width <= width) lo = mid; else hi = mid - 1;
  }
  return `${str.slice(0, lo)}…`;
}

const BADGED = ['veto', 'approver']; // the roles with a mark on their box
const hasBadge = (p) => BADGED.includes(p.decision_role);

function personLabel(p) {
  const nameWidth = W - (hasBadge(p) ? 44 : 12);
  return [fit(p.name, nameWidth), fit(p.title || te('dr', p.decision_role), W - 12)].join('\n');
}

function badgeImage(role) {
  const fill = role === 'veto' ? '#c62828' : '#6d28d9';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="15" fill="${fill}" stroke="#fff" stroke-width="2"/>`
    + `<text x="16" y="21.5" font-size="16" font-weight="700" text-anchor="middle" fill="#fff" font-family="${FONT.replace(/"/g, "'")}">${t(`drb.${role}`)}</text></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

// ---- Cytoscape elements and style ----------------------------------------------------------------

function elements(map, S, L) {
  const els = [{ group: 'nodes', data: { id: '~account', label: map.account?.name ?? '', labelWidth: W }, classes: 'account' }];
  const deptName = new Map(S.depts.map((d) => [d.id, d.name]));
  for (const d of S.depts) {
    const empty = L.empties.has(d.id);
    els.push({
      group: 'nodes', classes: empty ? 'dept empty' : 'dept', position: empty ? L.empties.get(d.id) : undefined,
      data: { id: d.id, parent: S.parentOf.get(d.id) || '~account', label: empty ? `${d.name} · ${t('map.emptydept')}` : d.name, full: deptPath(d.id, S, deptName), labelWidth: W },
    });
  }
  if (S.persons.some((p) => S.deptOf.get(p.id) === NO_DEPT)) {
    els.push({ group: 'nodes', classes: 'dept', data: { id: NO_DEPT, parent: '~account', label: t('map.nodept'), full: t('map.nodept'), labelWidth: W } });
  }
  for (const p of S.persons) {
    const st = statusOf(p);
    els.push({
      group: 'nodes', classes: `person st-${st}${hasBadge(p) ? ` role-${p.decision_role}` : ''}`, position: { ...L.pos.get(p.id) },
      data: { id: p.id, parent: S.deptOf.get(p.id), label: personLabel(p), status: st },
    });
  }
  if (S.employees.length) els.push({ group: 'nodes', data: { id: '~ours', label: t('map.employees'), labelWidth: W }, classes: 'ours' });
  for (const e of S.employees) {
    els.push({ group: 'nodes', classes: 'employee', position: { ...L.pos.get(e.id) },
      data: { id: e.id, parent: '~ours', label: [fit(e.name, W - 12), fit(e.title ?? '', W - 12)].filter(Boolean).join('\n') } });
  }
  const seen = new Set();
  for (const e of S.ties) {
    const id = `${e.type}:${e.source}>${e.target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    els.push(tieElement(e, id, S, L));
  }
  return els;
}

function deptPath(id, S, names) {
  const trail = [];
  for (let cur = id, n = 0; cur && n < 20; cur = S.parentOf.get(cur), n += 1) trail.unshift(names.get(cur));
  return trail.join(' › ');
}

function tieElement(e, id, S, L) {
  const fromEmployee = !S.deptOf.has(e.source);
  if (e.type === 'REPORTS_TO') {
    // Drawn from the boss down to the report; between departments it is a plain thin curve.
    const sameTop = S.topOf(S.deptOf.get(e.source)) === S.topOf(S.deptOf.get(e.target));
    const stack = L.stackOf.get(e.source);
    const data = { id, source: e.target, target: e.source, type: e.type };
    if (stack && sameTop) return { group: 'edges', data: { ...data, spine: spine(L.pos.get(e.target), L.pos.get(e.source), stack) }, classes: 'reports stacked' };
    return { group: 'edges', data, classes: sameTop ? 'reports' : 'reports far' };
  }
  const kind = e.type === 'INFLUENCES' ? 'influence' : 'knows';
  return {
    group: 'edges', data: { id, source: e.source, target: e.target, type: e.type },
    classes: fromEmployee ? `tie emp emp-${kind}` : `tie person-${kind}`,
  };
}

/**
 * A stacked report's line: down from the boss to the stack, along its left side, then into the
 * report's left edge (as segments, each bend given relative to the line between the endpoints).
 */
function spine(boss, leaf, stack) {
  const sx = Math.max(boss.x - W / 2 + 8, Math.min(boss.x + W / 2 - 8, stack.spineX));
  const S = { x: sx, y: boss.y + H / 2 }, T = { x: leaf.x - W / 2, y: leaf.y };
  const turnY = stack.top - GAP;
  const bends = sx === stack.spineX ? [{ x: sx, y: T.y }] : [{ x: sx, y: turnY }, { x: stack.spineX, y: turnY }, { x: stack.spineX, y: T.y }];
  const vx = T.x - S.x, vy = T.y - S.y, l2 = vx * vx + vy * vy, l = Math.sqrt(l2);
  const weights = bends.map((b) => ((b.x - S.x) * vx + (b.y - S.y) * vy) / l2);
  const distances = bends.map((b) => ((b.x - S.x) * -vy + (b.y - S.y) * vx) / l);
  return {
    'curve-style': 'segments', 'edge-distances': 'endpoints', 'segment-weights': weights, 'segment-distances': distances,
    'source-endpoint': `${sx - boss.x}px ${H / 2}px`, 'target-endpoint': `${-W / 2}px 0px`,
  };
}

function styles() {
  const status = STATUSES.filter((st) => COLORS[st]).map((st) => ({ selector: `node.st-${st}`, style: { 'background-color': COLORS[st][0], 'border-color': COLORS[st][1] } }));
  return [
    { selector: 'node', style: { 'font-family': FONT, 'font-size': FONT_PX, color: '#1f2933', 'min-zoomed-font-size': 4 } },
    { selector: 'node.person, node.employee', style: {
      shape: 'round-rectangle', width: W, height: H, label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': W,
      'text-valign': 'center', 'text-halign': 'center', 'line-height': 1.3, 'border-width': 1.5,
    } },
    ...status,
    { selector: 'node.employee', style: { shape: 'round-rectangle', 'background-color': COLORS.employee[0], 'border-color': COLORS.employee[1] } },
    { selector: 'node.role-veto, node.role-approver', style: {
      'background-width': 16, 'background-height': 16, 'background-position-x': W - 19, 'background-position-y': 3,
      'background-clip': 'none', 'background-fit': 'none', 'bounds-expansion': 2,
    } },
    { selector: 'node.role-veto', style: { 'background-image': badgeImage('veto') } },
    { selector: 'node.role-approver', style: { 'background-image': badgeImage('approver') } },
    { selector: ':parent, node.dept', style: {
      shape: 'round-rectangle', label: 'data(label)', 'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': -2,
      'font-weight': 600, color: '#334e68', 'text-wrap': 'ellipsis', 'text-max-width': 'data(labelWidth)',
      'background-color': '#f1f4f8', 'border-color': '#cbd2d9', 'border-width': 1, padding: 8,
      'compound-sizing-wrt-labels': 'include',
    } },
    { selector: 'node.dept node.dept', style: { 'background-color': '#e6ebf1' } },
    { selector: 'node.dept.empty', style: { width: W, height: 24, 'text-valign': 'center', 'text-margin-y': 0, 'font-weight': 400, 'font-style': 'italic', color: '#616e7c' } },
    { selector: 'node.account, node.ours', style: {
      shape: 'round-rectangle', label: 'data(label)', 'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': -2,
      'font-size': 13, 'font-weight': 700, color: '#102a43', 'background-color': '#fbfcfd', 'border-color': '#9fb3c8', 'border-width': 1,
      'border-style': 'dashed', padding: 12, 'text-max-width': 'data(labelWidth)', 'text-wrap': 'ellipsis',
    } },
    { selector: 'node.ours', style: { 'background-color': '#f3f7ff', 'border-color': '#5b7fc7' } },
    { selector: 'edge', style: { width: 1.3, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8 } },
    { selector: 'edge.reports', style: {
      'curve-style': 'taxi', 'taxi-direction': 'downward', 'taxi-turn': 12, 'taxi-turn-min-distance': 4,
      'line-color': '#7b8794', 'target-arrow-shape': 'none', width: 1.2,
    } },
    { selector: 'edge.reports.far', style: { 'curve-style': 'bezier', 'line-style': 'dashed', 'line-dash-pattern': [4, 4], 'line-color': '#9aa5b1', width: 1 } },
    { selector: 'edge.person-influence', style: { 'line-color': '#9333ea', 'target-arrow-color': '#9333ea', 'line-style': 'dashed', 'line-dash-pattern': [6, 3] } },
    { selector: 'edge.emp-influence', style: { 'line-color': '#2563eb', 'target-arrow-color': '#2563eb' } },
    { selector: 'edge.emp-knows', style: { 'line-color': '#93b4ec', 'target-arrow-color': '#93b4ec', 'line-style': 'dotted' } },
    { selector: '.hidden', style: { display: 'none' } },
    { selector: 'node.faded', style: { opacity: 0.22 } },
    { selector: 'edge.faded', style: { opacity: 0.08 } },
    { selector: 'node.match', style: { 'border-width': 3, 'border-color': ACCENT } },
    { selector: 'node.person.selected', style: { 'border-width': 4, 'border-color': ACCENT } },
    { selector: 'edge.near', style: { width: 2.4, opacity: 1, 'z-index': 5 } },
    { selector: 'edge.onpath', style: { width: 4, 'line-color': PATH, 'target-arrow-color': PATH, 'line-style': 'solid', opacity: 1, 'z-index': 10 } },
    { selector: 'node.onpath', style: { 'border-width': 4, 'border-color': PATH, opacity: 1 } },
    { selector: 'node.person.selected.onpath', style: { 'border-color': ACCENT } },
  ];
}

// ---- the map widget ----------------------------------------------------------------------------------

let current = null; // the map on screen; destroyed when another is drawn

/**
 * Draw the map of `map` (the API's /accounts/{id}/map). Returns the element to insert, and
 * `select(id)` / `showPath(path)` for the person panel. `onSelect(id)` is called when a person
 * is picked on the map (click, keyboard or search).
 */
export async function renderMap(map, { onSelect }) {
  current?.destroy();
  const { cytoscape, ELK } = await loadLibraries();
  cytoscapeWithoutInlineStyle();
  const S = structure(map);
  const canvas = h('div', { class: 'map-canvas', 'data-testid': 'map-canvas', role: 'img', 'aria-label': t('map.title') });
  const overlay = h('div', { class: 'map-a11y', 'data-testid': 'map-nodes', role: 'group', 'aria-label': t('map.list') });
  const tip = h('div', { class: 'map-tip', role: 'tooltip', hidden: true, 'data-testid': 'map-tip' });
  const stage = h('div', { class: 'map-stage', 'data-testid': 'map-svg' }, canvas, overlay, tip);
  const widget = new MapWidget({ map, S, cytoscape, elk: new ELK(), canvas, overlay, tip, stage, onSelect });
  current = widget;
  stage.append(viewControls(widget));
  const element = h('div', { class: 'map-widget' }, toolbar(widget, S), stage);
  return { element, select: (id) => widget.select(id), showPath: (path) => widget.showPath(path) };
}

class MapWidget {
  constructor(opts) {
    Object.assign(this, opts);
    this.byId = new Map(this.map.nodes.map((n) => [n.id, n]));
    // Our employees' ties are many and cross the whole map: off at first; a selected person's ties
    // and the highlighted path are always drawn.
    this.filters = { statuses: new Set(STATUSES), role: '', employeeTies: false, personTies: true, query: '' };
    this.path = null;
    this.selected = null;
    this.started = performance.now();
    // Laid out once the stage is in the document and has a size (the view is inserted after it resolves).
    this.sizer = new ResizeObserver(() => this.onResize());
    this.sizer.observe(this.canvas);
  }

  destroy() {
    this.sizer.disconnect();
    this.cy?.destroy();
    this.cy = null;
    this.destroyed = true;
  }

  onResize() {
    if (!this.canvas.clientWidth || this.destroyed) return;
    if (!this.cy && !this.building) {
      // On open the map fills the window below its toolbar, so that fitting it shows it whole.
      const top = this.canvas.getBoundingClientRect().top;
      this.canvas.style.height = `${Math.max(420, Math.round(window.innerHeight - top - 20))}px`;
      const { clientWidth: width, clientHeight: height } = this.canvas;
      this.build({ width, height }).catch((err) => this.fail(err));
      return;
    }
    this.cy?.resize();
    this.placeOverlay();
  }

  fail(err) {
    this.stage.replaceChildren(h('div', { class: 'error', role: 'alert', 'data-testid': 'map-error' }, t('map.loadfail'), ' ', String(err?.message ?? err)));
  }

  async build(box) {
    this.building = true;
    const L = await layout(this.elk, this.S, box);
    if (this.destroyed) return;
    const cy = this.cytoscape({
      container: this.canvas, elements: elements(this.map, this.S, L), style: styles(), layout: { name: 'preset' },
      minZoom: 0.1, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: true, autounselectify: true,
    });
    this.cy = cy;
    // Set once the edges exist: as a creation-time bypass Cytoscape takes them for loops and draws them straight.
    cy.edges('.stacked').forEach((e) => { e.style(e.data('spine')); });
    cy.nodes(':parent, node.dept, node.account, node.ours').forEach((n) => n.data('labelWidth', Math.max(40, n.boundingBox({ includeLabels: false }).w - 12)));
    cy.on('tap', 'node.person', (ev) => this.pick(ev.target.id()));
    cy.on('mouseover', 'node', (ev) => this.showTip(ev.target));
    cy.on('mouseout', 'node', () => this.hideTip());
    cy.on('viewport resize', () => { this.hideTip(); this.placeOverlay(); this.stage.dataset.zoom = cy.zoom().toFixed(3); });
    this.fit();
    this.buildOverlay();
    this.applyFilters();
    if (this.selected) this.select(this.selected);
    if (this.path) this.showPath(this.path);
    this.stage.dataset.employees = String(this.S.employees.length);
    this.stage.dataset.layoutMs = String(Math.round(performance.now() - this.started));
    this.stage.dataset.ready = 'true';
    this.building = false;
  }

  /** The whole map in view; small maps are not blown up past MAX_FIT_ZOOM. */
  fit() {
    const cy = this.cy;
    if (!cy) return;
    cy.fit(undefined, FIT_PADDING);
    if (cy.zoom() > MAX_FIT_ZOOM) { cy.zoom(MAX_FIT_ZOOM); cy.center(); }
    this.stage.dataset.zoom = cy.zoom().toFixed(3);
  }

  zoomBy(factor) {
    const cy = this.cy;
    if (!cy) return;
    const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
    cy.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    this.stage.dataset.zoom = cy.zoom().toFixed(3);
  }

  pick(id) {
    this.onSelect(id);
  }

  /** Mark a person as selected and bring them into view. */
  select(id) {
    if (id !== this.selected) this.showPath(null); // the panel highlights the new person's best path once loaded
    this.selected = id;
    const cy = this.cy;
    if (!cy) return;
    cy.nodes('.selected').removeClass('selected');
    const node = cy.getElementById(id);
    if (!node.length) return;
    node.addClass('selected');
    this.applyFilters();
    this.stage.dataset.selected = id;
    for (const b of this.overlay.children) b.setAttribute('aria-pressed', String(b.dataset.id === id));
    const bb = node.renderedBoundingBox();
    if (bb.x1 < 0 || bb.y1 < 0 || bb.x2 > cy.width() || bb.y2 > cy.height()) cy.center(node);
  }

  /** Highlight one reach path (nodes: employee → … → key person) and bring it into view. */
  showPath(path) {
    this.path = path;
    const cy = this.cy;
    if (!cy) return;
    cy.elements('.onpath').removeClass('onpath');
    const ids = path?.nodes || [];
    const on = cy.collection();
    ids.forEach((id, i) => {
      on.merge(cy.getElementById(id));
      if (i) on.merge(cy.edges(`[source = "${cssId(ids[i - 1])}"][target = "${cssId(id)}"][type != "REPORTS_TO"]`));
    });
    on.addClass('onpath');
    this.applyFilters();
    // What is highlighted, for tests and tools: the path's persons on this map, and its ties.
    this.stage.dataset.path = on.nodes().map((n) => n.id()).join(' ');
    this.stage.dataset.pathTies = String(on.edges().length);
    const nodes = on.nodes();
    if (nodes.length) {
      const bb = nodes.renderedBoundingBox();
      if (bb.x1 < 0 || bb.y1 < 0 || bb.x2 > cy.width() || bb.y2 > cy.height()) this.fit();
    }
  }

  setFilter(key, value) {
    this.filters[key] = value;
    this.applyFilters();
  }

  /** Fade persons outside the status/role filter and search; hide the ties switched off. */
  applyFilters() {
    const cy = this.cy;
    if (!cy) return;
    const { statuses, role, employeeTies, personTies, query } = this.filters;
    const q = query.trim().toLowerCase();
    let matches = 0;
    cy.batch(() => {
      cy.nodes('.person').forEach((n) => {
        const p = this.person(n.id());
        const roleOk = !role || (role === 'blocking' ? BLOCKING_ROLES.includes(p.decision_role) : p.decision_role === role);
        n.toggleClass('faded', !statuses.has(n.data('status')) || !roleOk);
        const hit = Boolean(q) && [p.name, p.title].some((s) => String(s ?? '').toLowerCase().includes(q));
        n.toggleClass('match', hit);
        if (hit) matches += 1;
      });
      cy.edges('.emp').toggleClass('hidden', !employeeTies);
      cy.edges('.person-influence').toggleClass('hidden', !personTies);
      cy.edges().forEach((e) => e.toggleClass('faded', e.source().hasClass('faded') || e.target().hasClass('faded')));
      const chosen = this.selected ? cy.getElementById(this.selected).connectedEdges() : cy.collection();
      cy.edges('.near').removeClass('near');
      chosen.addClass('near').removeClass('hidden faded');
      cy.edges('.onpath').removeClass('hidden faded');
    });
    for (const b of this.overlay.children) b.classList.toggle('faded', cy.getElementById(b.dataset.id).hasClass('faded'));
    this.stage.dataset.matches = String(matches);
    this.stage.dataset.hiddenTies = String(cy.edges('.hidden').length);
  }

  person(id) {
    return this.byId.get(id);
  }

  /** The persons matching the search text, best first (name starts with it, then contains it). */
  search(text) {
    this.setFilter('query', text);
    const q = text.trim().toLowerCase();
    if (!q) return [];
    return this.S.persons.filter((p) => [p.name, p.title].some((s) => String(s ?? '').toLowerCase().includes(q)))
      .sort((a, b) => Number(!String(a.name).toLowerCase().startsWith(q)) - Number(!String(b.name).toLowerCase().startsWith(q)) || byName(a, b));
  }

  // Focusable buttons over the canvas: keyboard and screen-reader access to every person.
  buildOverlay() {
    const nodes = this.cy.nodes('.person').sort((a, b) => a.position('y') - b.position('y') || a.position('x') - b.position('x'));
    this.overlay.replaceChildren(...nodes.map((n) => {
      const p = this.person(n.id());
      const st = n.data('status');
      const b = h('button', {
        type: 'button', class: 'map-node', tabindex: 0, 'data-testid': 'map-node', 'data-id': p.id, 'data-status': st, 'aria-pressed': 'false',
        'data-badge': hasBadge(p) ? t(`drb.${p.decision_role}`) : null, // the mark drawn on the box
        'aria-label': `${p.name}, ${te('dr', p.decision_role)}, ${t(`st.${st}`)}, ${scoresText(p)}`,
      });
      b.addEventListener('click', () => this.pick(p.id));
      b.addEventListener('focus', () => { if (b.matches(':focus-visible')) this.showTip(n); }); // keyboard focus, not a click
      b.addEventListener('blur', () => this.hideTip());
      return b;
    }));
    this.placeOverlay();
  }

  placeOverlay() {
    const cy = this.cy;
    if (!cy) return;
    for (const b of this.overlay.children) {
      const bb = cy.getElementById(b.dataset.id).renderedBoundingBox({ includeLabels: false, includeOverlays: false });
      b.style.transform = `translate(${bb.x1}px, ${bb.y1}px)`;
      b.style.width = `${bb.w}px`;
      b.style.height = `${bb.h}px`;
    }
  }

  showTip(node) {
    const lines = this.tipLines(node);
    if (!lines.length) return;
    this.tip.replaceChildren(...lines.map((line, i) => h(i ? 'div' : 'strong', {}, line)));
    const bb = node.renderedBoundingBox({ includeLabels: false });
    this.tip.hidden = false;
    const x = Math.min(Math.max(4, bb.x1), this.cy.width() - this.tip.offsetWidth - 4);
    const below = bb.y2 + 6 + this.tip.offsetHeight < this.cy.height();
    this.tip.style.transform = `translate(${x}px, ${below ? bb.y2 + 6 : Math.max(4, bb.y1 - this.tip.offsetHeight - 6)}px)`;
  }

  hideTip() {
    this.tip.hidden = true;
  }

  tipLines(node) {
    const n = this.person(node.id());
    if (node.hasClass('dept')) return [node.data('full')];
    if (!n) return node.data('label') ? [node.data('label')] : [];
    if (n.kind === 'employee') return [n.name, n.title].filter(Boolean);
    const dept = node.parent().data('full');
    return [n.name, [n.title, dept].filter(Boolean).join(' · '), `${te('dr', n.decision_role)} · ${t(`st.${statusOf(n)}`)}`,
      `${t('map.scores')}: ${scoresText(n)}`];
  }

  /** The map as a PNG file (the whole map, as filtered, at twice the screen's resolution). */
  exportPng(fileName) {
    const blob = this.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: fileName });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

const cssId = (id) => String(id).replace(/["\\]/g, '\\$&');

// ---- the toolbar -------------------------------------------------------------------------------------

function toolbar(widget, S) {
  const search = h('input', { type: 'search', id: 'map-search', list: 'map-search-names', autocomplete: 'off', placeholder: t('map.search'), 'aria-label': t('map.search'), 'data-testid': 'map-search' });
  const names = h('datalist', { id: 'map-search-names' }, [...S.persons].sort(byName).map((p) => h('option', { value: p.name }, p.title ?? '')));
  const found = h('span', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'map-search-count' });
  const run = (pickFirst) => {
    const hits = widget.search(search.value);
    found.textContent = search.value.trim() ? t('map.found', { n: hits.length }) : '';
    if (pickFirst && hits.length) widget.pick(hits[0].id);
  };
  search.addEventListener('input', () => run(S.persons.some((p) => p.name === search.value)));
  search.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); run(true); } });

  const statusChips = h('fieldset', { class: 'map-chips', 'data-testid': 'map-status-filter' }, h('legend', { class: 'sr-only' }, t('map.show')),
    STATUSES.map((st) => h('label', { class: `chip lg-${st}` },
      h('input', { type: 'checkbox', checked: true, value: st, 'data-testid': `map-filter-${st}`,
        onchange: (ev) => { const set = widget.filters.statuses; if (ev.target.checked) set.add(st); else set.delete(st); widget.applyFilters(); } }),
      t(`st.${st}`))));
  const roles = h('select', { 'aria-label': t('map.roles'), 'data-testid': 'map-role-filter', onchange: (ev) => widget.setFilter('role', ev.target.value) },
    h('option', { value: '' }, t('map.roles.all')), h('option', { value: 'blocking' }, t('map.roles.blocking')),
    [...new Set(S.persons.map((p) => p.decision_role).filter(Boolean))].map((r) => h('option', { value: r }, te('dr', r))));
  const toggle = (key, label, testid, on) => h('label', { class: 'check-inline' },
    h('input', { type: 'checkbox', checked: on, 'data-testid': testid, onchange: (ev) => widget.setFilter(key, ev.target.checked) }), label);
  return h('div', { class: 'map-toolbar', role: 'toolbar', 'aria-label': t('map.tools') },
    h('div', { class: 'map-find' }, search, names, found),
    statusChips, roles,
    toggle('employeeTies', t('map.empTies'), 'map-filter-employee-ties', widget.filters.employeeTies),
    toggle('personTies', t('map.personTies'), 'map-filter-person-ties', widget.filters.personTies));
}

/** Zoom, fit and export, floating in the map's top-right corner. */
function viewControls(widget) {
  const button = (label, testid, onclick, text) => h('button', { type: 'button', class: 'tool', title: label, 'aria-label': label, 'data-testid': testid, onclick }, text ?? label);
  const fileName = `${(widget.map.account?.name || widget.map.account?.id || 'map').replace(/[\\/:*?"<>|]/g, '_')}-${t('map.title')}.png`;
  return h('div', { class: 'map-zoom' },
    button(t('map.zoomIn'), 'map-zoom-in', () => widget.zoomBy(1.25), '+'),
    button(t('map.zoomOut'), 'map-zoom-out', () => widget.zoomBy(1 / 1.25), '−'),
    button(t('map.fit'), 'map-fit', () => widget.fit()),
    button(t('map.export'), 'map-export', () => widget.exportPng(fileName)));
}

/** The legend under the map: role marks and tie kinds, in words (statuses are the filter chips). */
export function mapLegend() {
  const line = (cls, label) => h('li', {}, h('span', { class: `lg-line ${cls}`, 'aria-hidden': 'true' }), label);
  const mark = (role) => h('li', {}, h('span', { class: `badge dr-${role}` }, t(`drb.${role}`)), ' ', t(`dr.${role}`));
  return h('ul', { class: 'legend', 'aria-label': t('map.legend'), 'data-testid': 'map-legend' },
    mark('veto'), mark('approver'),
    line('reports', t('map.reports')), line('person-influence', t('map.influences')),
    line('emp-influence', `${t('map.employees')} ${t('map.influences')}`), line('emp-knows', `${t('map.employees')} ${t('map.knows')}`),
    line('path', t('map.pathLegend')));
}
