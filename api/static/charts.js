// Inline SVG charts: band distribution, win rate with confidence whiskers, monthly bars.
import { t } from './i18n.js';
import { h, s, fmt, BANDS } from './dom.js';

/** One 100 % bar split by band, with a text legend (counts and shares) so colour is not needed. */
export function bandBar(bands) {
  const total = BANDS.reduce((sum, b) => sum + (bands?.[b] || 0), 0);
  const W = 600, H = 28;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart bandbar', role: 'img', 'aria-label': t('dash.bands'), 'data-testid': 'band-bar', preserveAspectRatio: 'none' });
  let x = 0;
  for (const b of BANDS) {
    const n = bands?.[b] || 0;
    if (!n) continue;
    const w = (n / total) * W;
    svg.append(s('rect', { x, y: 0, width: w, height: H, class: `fill-${b}` }, s('title', {}, `${t(`band.${b}`)}: ${n}`)));
    x += w;
  }
  if (!total) svg.append(s('rect', { x: 0, y: 0, width: W, height: H, class: 'fill-empty' }));
  const legend = h('ul', { class: 'legend' }, BANDS.map((b) => h('li', {},
    h('span', { class: `swatch fill-${b}`, 'aria-hidden': 'true' }),
    `${t(`band.${b}`)} ${fmt.int(bands?.[b] || 0)} (${fmt.pct(total ? (bands?.[b] || 0) / total : null)})`)));
  return h('div', {}, svg, legend);
}

/** Win rate per band: bar = rate, whisker = 95 % interval, dashed tick = expected minimum. */
export function winRateChart(rows) {
  const W = 520, H = 220, L = 44, B = 40, T = 10;
  const plotH = H - B - T, colW = (W - L - 10) / Math.max(rows.length, 1);
  const y = (v) => T + plotH * (1 - Math.max(0, Math.min(1, v)));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': t('dash.winrate'), 'data-testid': 'winrate-chart' });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(s('line', { x1: L, x2: W - 10, y1: y(v), y2: y(v), class: 'gridline' }),
      s('text', { x: L - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, `${v * 100}%`));
  }
  rows.forEach((r, i) => {
    const cx = L + colW * i + colW / 2, bw = Math.min(46, colW * 0.45);
    const band = BANDS.includes(r.band) ? r.band : 'unknown';
    const g = s('g', {}, s('title', {}, `${t(`band.${band}`)}: ${t('dash.rate')} ${fmt.pct(r.rate)}, ${t('dash.ci')} ${fmt.pct(r.ci_low)}–${fmt.pct(r.ci_high)}, ${t('dash.expected')} ${fmt.pct(r.expected_min)}, ${r.won}/${r.closed}`));
    if (r.rate != null) g.append(s('rect', { x: cx - bw / 2, y: y(r.rate), width: bw, height: y(0) - y(r.rate), class: `fill-${band} soft` }));
    if (r.ci_low != null && r.ci_high != null) {
      g.append(s('line', { x1: cx, x2: cx, y1: y(r.ci_low), y2: y(r.ci_high), class: 'whisker' }),
        s('line', { x1: cx - 8, x2: cx + 8, y1: y(r.ci_low), y2: y(r.ci_low), class: 'whisker' }),
        s('line', { x1: cx - 8, x2: cx + 8, y1: y(r.ci_high), y2: y(r.ci_high), class: 'whisker' }));
    }
    if (r.expected_min != null) {
      g.append(s('line', { x1: cx - bw, x2: cx + bw, y1: y(r.expected_min), y2: y(r.expected_min), class: 'expected' }));
    }
    g.append(s('text', { x: cx, y: H - B + 16, class: 'axis', 'text-anchor': 'middle' }, t(`band.${band}`)),
      s('text', { x: cx, y: H - B + 30, class: 'axis small', 'text-anchor': 'middle' }, `n=${r.closed ?? 0}`));
    svg.append(g);
  });
  return svg;
}

/** Vertical bars per period, for one measure; it scales to the width of its figure. */
export function barChart(items, { value, format, label, testid }) {
  const n = Math.max(items.length, 1);
  // One width whatever the number of months: drawn at about a third of a card, text stays ~11px.
  const W = 440, H = 170, L = 52, B = 34, T = 14;
  const plotH = H - B - T, colW = (W - L - 6) / n;
  const max = Math.max(0, ...items.map((it) => value(it) || 0)) || 1;
  const y = (v) => T + plotH * (1 - v / max);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart fill-width', role: 'img', 'aria-label': label, 'data-testid': testid });
  svg.append(s('line', { x1: L, x2: W - 6, y1: y(0), y2: y(0), class: 'gridline' }),
    s('text', { x: L - 6, y: y(max) + 4, class: 'axis', 'text-anchor': 'end' }, format(max)),
    s('text', { x: L - 6, y: y(0) + 4, class: 'axis', 'text-anchor': 'end' }, format(0)));
  const every = Math.ceil(n / 8);
  items.forEach((it, i) => {
    const v = value(it) || 0, x = L + colW * i + colW * 0.15;
    svg.append(s('rect', { x, y: y(v), width: colW * 0.7, height: y(0) - y(v), class: 'bar' }, s('title', {}, `${it.period}: ${format(value(it))}`)));
    if (i % every === 0) {
      svg.append(s('text', { x: x + colW * 0.35, y: H - B + 14, class: 'axis small', 'text-anchor': 'middle' }, String(it.period).slice(2)));
    }
  });
  return h('figure', { class: 'smallchart' }, h('figcaption', {}, label), svg);
}
