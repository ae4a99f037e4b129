// The give-versus-take chart: weekly bars of what they gave (inbound) against what the user gave
// back (outbound), drawn as plain SVG.

import type { Interaction } from '../shared/api';

const NS = 'http://www.w3.org/2000/svg';
const WEEK = 7 * 24 * 3600 * 1000;

export interface Week { start: number; inbound: number; outbound: number }

/** Counts per week for the last `weeks` weeks ending at `now`, oldest first. */
export function weekly(items: readonly Pick<Interaction, 'direction' | 'occurredAt'>[], weeks = 12, now = Date.now()): Week[] {
  const first = now - weeks * WEEK;
  const out: Week[] = Array.from({ length: weeks }, (_, i) => ({ start: first + i * WEEK, inbound: 0, outbound: 0 }));
  for (const it of items) {
    const t = Date.parse(it.occurredAt);
    const i = Math.floor((t - first) / WEEK);
    if (i < 0 || i >= weeks) continue;
    out[i]![it.direction === 'inbound' ? 'inbound' : 'outbound']++;
  }
  return out;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function giveTakeChart(data: Week[], width = 560, height = 160): SVGSVGElement {
  const pad = { l: 28, r: 8, t: 10, b: 22 };
  const max = Math.max(1, ...data.map((w) => Math.max(w.inbound, w.outbound)));
  const bw = (width - pad.l - pad.r) / data.length;
  const y = (v: number) => pad.t + (height - pad.t - pad.b) * (1 - v / max);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'They gave versus you gave, per week' });
  root.append(svg('title', {}, 'They gave (amber) versus you gave (green), per week'));
  root.append(svg('line', { x1: pad.l, x2: width - pad.r, y1: y(0), y2: y(0), stroke: '#dadce0' }));
  root.append(svg('text', { x: 2, y: y(max) + 4 }, String(max)), svg('text', { x: 2, y: y(0) + 4 }, '0'));
  data.forEach((w, i) => {
    const x = pad.l + i * bw;
    const half = Math.max(2, bw / 2 - 3);
    root.append(svg('rect', { x: x + 2, y: y(w.inbound), width: half, height: y(0) - y(w.inbound), fill: '#e37400', 'data-series': 'inbound' }));
    root.append(svg('rect', { x: x + 2 + half, y: y(w.outbound), width: half, height: y(0) - y(w.outbound), fill: '#188038', 'data-series': 'outbound' }));
    if (i % 2 === 0) root.append(svg('text', { x: x + 2, y: height - 6 }, new Date(w.start).toLocaleDateString('en', { month: 'short', day: 'numeric' })));
  });
  return root;
}
