import { esc, fmt } from './html.ts';

/** One bar: its label, value, and optional chance and oracle marks. */
export interface Bar {
  label: string;
  value: number;
  chance?: number;
  oracle?: number;
}

/**
 * A horizontal bar chart as inline SVG: one bar per item on a shared axis from `min` to `max`,
 * the value printed at the bar's end, a dashed line at the chance level and a tick at the
 * oracle where given.
 */
export function barChartSvg(bars: Bar[], opts: { title: string; min?: number; max?: number; digits?: number }): string {
  const min = opts.min ?? 0;
  const max = opts.max ?? Math.max(1e-9, ...bars.map((b) => Math.max(b.value, b.oracle ?? -Infinity, b.chance ?? -Infinity)));
  const left = 110;
  const plotW = 260;
  const rowH = 18;
  const top = 24;
  const height = top + bars.length * rowH + 24;
  const width = left + plotW + 60;
  const x = (v: number) => left + (plotW * (Math.min(max, Math.max(min, v)) - min)) / (max - min || 1);
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    const parts = [
      `<text x="${left - 6}" y="${y + 12}" text-anchor="end" font-size="11">${esc(b.label)}</text>`,
      `<rect class="bar" x="${x(min)}" y="${y + 2}" width="${Math.max(0, x(b.value) - x(min))}" height="${rowH - 5}" fill="#3b528b"/>`,
      `<text x="${x(b.value) + 4}" y="${y + 12}" font-size="10">${fmt(b.value, opts.digits ?? 2)}</text>`,
    ];
    if (b.chance !== undefined) parts.push(`<line x1="${x(b.chance)}" x2="${x(b.chance)}" y1="${y}" y2="${y + rowH - 1}" stroke="#c0392b" stroke-dasharray="3 2"/>`);
    if (b.oracle !== undefined) parts.push(`<line x1="${x(b.oracle)}" x2="${x(b.oracle)}" y1="${y}" y2="${y + rowH - 1}" stroke="#27ae60" stroke-width="2"/>`);
    return parts.join('');
  });
  const legend = `<text x="${left}" y="${height - 6}" font-size="10"><tspan fill="#c0392b">┆ chance</tspan>${bars.some((b) => b.oracle !== undefined) ? '  <tspan fill="#27ae60">| oracle</tspan>' : ''}  axis ${fmt(min, 2)} to ${fmt(max, 2)}</text>`;
  return `<svg class="barchart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(opts.title)}">
<title>${esc(opts.title)}</title><text x="${left}" y="14" font-size="12">${esc(opts.title)}</text>
<line x1="${x(min)}" x2="${x(min)}" y1="${top}" y2="${top + bars.length * rowH}" stroke="#444"/>
${rows.join('\n')}
${legend}
</svg>`;
}
