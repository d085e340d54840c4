// Small DOM helpers and formatters. Data only ever goes in as text nodes or attributes.
import { t, te, getLang } from './i18n.js';
import { errorLines } from './api.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

// The thresholds and the vocabulary are the API's (GET /api/v1/meta, read at sign-in), so a
// changed setting such as GRAPHBRM_GOOD=70 changes the UI too. Live bindings: set by useMeta.
export let BANDS = [];
export let DIMS = [];
export let ROLES = [];
export let BLOCKING_ROLES = [];
export let STATUSES = []; // worst first
export let GOOD = null;
export let EXCELLENT = null;

export function useMeta(meta) {
  BANDS = meta.bands;
  DIMS = meta.dimensions;
  ROLES = meta.decision_roles;
  BLOCKING_ROLES = meta.blocking_roles;
  STATUSES = meta.statuses;
  GOOD = meta.thresholds.good;
  EXCELLENT = meta.thresholds.excellent;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if ((k === 'value' || k === 'checked') && k in el) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function addChildren(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Create an HTML element: h('a', {href, class}, 'text', childNode, …). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  const { value, ...rest } = attrs || {};
  setAttrs(el, rest);
  addChildren(el, children);
  if (value != null) el.value = value; // after children, so a <select> can pick its option
  return el;
}

/** Create an SVG element. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  addChildren(el, children);
  return el;
}

// ---- formatting -------------------------------------------------------------------------

const locale = () => (getLang() === 'zh-CN' ? 'zh-CN' : 'en');
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

export const fmt = {
  avg: (v) => (isNum(v) ? v.toFixed(1) : t('na')),
  score: (v) => (isNum(v) ? String(Math.round(v)) : t('na')),
  pct: (v) => (isNum(v) ? new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(v) : t('na')),
  int: (v) => (isNum(v) ? new Intl.NumberFormat(locale()).format(v) : t('na')),
  amount: (v) => (isNum(v) ? new Intl.NumberFormat(locale(), { notation: 'compact', maximumFractionDigits: 1 }).format(v) : t('na')),
  strength: (v) => (isNum(v) ? v.toFixed(2) : t('na')),
  datetime: (v) => (v ? String(v).slice(0, 16).replace('T', ' ') : t('na')),
  delta: (v) => {
    if (!isNum(v)) return { text: t('na'), cls: 'flat' };
    if (Math.abs(v) < 0.05) return { text: `= ${Math.abs(v).toFixed(1)}`, cls: 'flat' };
    return v > 0 ? { text: `▲ +${v.toFixed(1)}`, cls: 'up' } : { text: `▼ −${Math.abs(v).toFixed(1)}`, cls: 'down' };
  },
};

/** Today as YYYY-MM-DD in local time. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// ---- badges and cells -------------------------------------------------------------------

const oneOf = (v, allowed, dflt) => (allowed.includes(v) ? v : dflt);

export function bandBadge(band) {
  const b = oneOf(band, BANDS, 'unknown');
  const label = t(`band.${b}`);
  return h('span', { class: `badge band-${b}`, 'data-testid': 'band-badge', 'data-band': b, title: t('band.title', { band: label }) }, label);
}

/** Relationship status of a key person as the API worked it out with its thresholds. */
export function statusOf(p) {
  return STATUSES.includes(p.status) ? p.status : 'unknown';
}

export function statusBadge(status) {
  const st = oneOf(status, STATUSES, 'unknown');
  return h('span', { class: `badge st-${st}`, 'data-testid': 'status-badge', 'data-status': st }, t(`st.${st}`));
}

export function roleBadge(role) {
  if (role !== 'veto' && role !== 'approver') return null;
  return h('span', { class: `badge dr-${role}`, title: t(`dr.${role}`) }, t(`drb.${role}`));
}

export function roleLabel(role) {
  return h('span', { class: 'role' }, roleBadge(role), ' ', te('dr', role));
}

/** A score or average below the good threshold: weak. */
export const isLow = (v) => isNum(v) && v < GOOD;

/** A table cell for a score or average; below the good threshold is highlighted, unknown is marked. */
export function scoreCell(v, digits = 1) {
  const cls = !isNum(v) ? 'num unknown' : isLow(v) ? 'num low' : 'num';
  return h('td', { class: cls, title: isNum(v) ? null : t('unknown') }, digits ? fmt.avg(v) : fmt.score(v));
}

export function scoresText(p) {
  return DIMS.map((d) => fmt.score(p[d])).join(' / ');
}

export function pathText(path) {
  const names = path.names?.length ? path.names : path.nodes || [];
  return `${names.join(' → ')} (${fmt.strength(path.strength)})`;
}

export function personHref(accountId, personId) {
  return `#/accounts/${encodeURIComponent(accountId)}?person=${encodeURIComponent(personId)}`;
}

// ---- tables, sections, errors -----------------------------------------------------------

/** A column header for numbers: right-aligned like the numbers under it. */
export const numHead = (label) => h('th', { scope: 'col', class: 'num' }, label);

/** A table from column headers and rows of cells (nodes or strings). */
export function table(headers, rows, attrs = {}) {
  const head = h('thead', {}, h('tr', {}, headers.map((x) => (x instanceof Node ? x : h('th', { scope: 'col' }, x)))));
  const body = h('tbody', {}, rows.map((r) => (r instanceof Node ? r : h('tr', {}, r.map((c) => (c instanceof Node && (c.tagName === 'TD' || c.tagName === 'TH') ? c : h('td', {}, c)))))));
  return h('table', { class: 'grid', ...attrs }, head, body);
}

export function section(title, attrs, ...children) {
  return h('section', { class: 'card', ...attrs }, h('h2', {}, title), ...children);
}

export function errorBox(testid) {
  return h('div', { class: 'error', role: 'alert', hidden: true, 'data-testid': testid || 'form-error' });
}

export function showError(box, err) {
  box.replaceChildren(...errorLines(err).map((line) => h('div', {}, line)));
  box.hidden = false;
}

export function clearError(box) {
  box.replaceChildren();
  box.hidden = true;
}

export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), input, hint ? h('span', { class: 'hint' }, hint) : null);
}

/** Run `work` on submit with the button disabled; errors go to `box`. */
export function onSubmit(form, box, work) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const btn = form.querySelector('button[type=submit]');
    clearError(box);
    if (btn) btn.disabled = true;
    try {
      await work();
    } catch (err) {
      if (err?.status !== 401) showError(box, err);
    } finally {
      if (btn) btn.disabled = false;
    }
  });
}

// ---- hash query helpers -----------------------------------------------------------------

export function hrefWith(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

let flashMessage = null;
export const setFlash = (msg) => { flashMessage = msg; };
export const takeFlash = () => { const m = flashMessage; flashMessage = null; return m; };
