import { colormap, colorize } from './colormap.ts';
import { esc, fmt } from './html.ts';
import { encodePng } from './png.ts';

/**
 * An inline SVG heatmap of an n × m matrix (row-major): the cells as one pixelated PNG, row and
 * column titles, tick labels every `tickEvery` items, and a colour bar from `lo` to `hi`.
 * With `groups` (consecutive items sharing a label, e.g. clips of one genre) the items are
 * labelled by group and separated by lines; `diagonal` outlines the cells (i, i); `identity`
 * draws the line y = x through axis values.
 * @param labels optional row labels (also used as column labels), e.g. clip ids
 */
export function heatmapSvg(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  opts: {
    title: string;
    rowTitle: string;
    colTitle: string;
    labels?: string[];
    /** Axis values instead of item numbers: columns span [x0, x1] left to right, rows [y0, y1] bottom to top. */
    axes?: { x0: number; x1: number; y0: number; y1: number };
    /** Runs of items [start, end) sharing a label, in order (square matrices: rows and columns alike). */
    groups?: { label: string; start: number; end: number }[];
    /** Outline the diagonal cells (the matches of a square matrix). */
    diagonal?: boolean;
    /** With `axes`: draw y = x where both axes overlap. */
    identity?: boolean;
    /** What the colour encodes (shown by the colour bar). */
    valueLabel?: string;
    lo?: number;
    hi?: number;
    cell?: number;
    id?: string;
  },
): string {
  let lo = opts.lo ?? Infinity;
  let hi = opts.hi ?? -Infinity;
  if (opts.lo === undefined || opts.hi === undefined) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (opts.lo === undefined && v < lo) lo = v;
      if (opts.hi === undefined && v > hi) hi = v;
    }
  }
  const png = Buffer.from(encodePng(colorize(values, lo, hi), cols, rows)).toString('base64');
  const cell = opts.cell ?? Math.min(28, Math.max(3, Math.floor(360 / Math.max(rows, cols))));
  const w = cols * cell;
  const h = rows * cell;
  const groups = opts.groups?.filter((g) => g.end > g.start);
  const left = opts.axes ? 44 : groups ? 74 : opts.labels ? 84 : 40;
  const top = 30;
  const barX = left + w + 16;
  const width = barX + 64;
  // room for the rotated group labels under the matrix (about 5 px per character at font size 9)
  const below = groups ? Math.max(0, 5.2 * Math.max(...groups.map((g) => g.label.length)) - 8) : 0;
  const height = top + h + 38 + below;
  const ticks: string[] = [];
  const marks: string[] = [];
  const every = Math.max(1, Math.ceil(Math.max(rows, cols) / 12));
  if (opts.axes) {
    const a = opts.axes;
    ticks.push(`<text x="${left - 4}" y="${top + h}" text-anchor="end" font-size="9">${fmt(a.y0, 2)}</text>`);
    ticks.push(`<text x="${left - 4}" y="${top + 8}" text-anchor="end" font-size="9">${fmt(a.y1, 2)}</text>`);
    ticks.push(`<text x="${left}" y="${top + h + 11}" text-anchor="start" font-size="9">${fmt(a.x0, 2)}</text>`);
    ticks.push(`<text x="${left + w}" y="${top + h + 11}" text-anchor="end" font-size="9">${fmt(a.x1, 2)}</text>`);
    const lo = Math.max(a.x0, a.y0);
    const hi = Math.min(a.x1, a.y1);
    if (opts.identity && hi > lo) {
      const px = (v: number) => left + ((v - a.x0) / (a.x1 - a.x0)) * w;
      const py = (v: number) => top + h - ((v - a.y0) / (a.y1 - a.y0)) * h;
      marks.push(`<line class="identity" x1="${px(lo)}" y1="${py(lo)}" x2="${px(hi)}" y2="${py(hi)}" stroke="#fff" stroke-width="1.5" stroke-dasharray="4 3"/><text x="${px(hi) - 4}" y="${py(hi) + 12}" text-anchor="end" font-size="9" fill="#fff">y = x</text>`);
    }
  } else if (groups) {
    for (const [n, g] of groups.entries()) {
      const mid = ((g.start + g.end) / 2) * cell;
      ticks.push(`<text x="${left - 4}" y="${top + mid + 3}" text-anchor="end" font-size="9">${esc(g.label)}</text>`);
      ticks.push(`<text transform="translate(${left + mid + 3} ${top + h + 4}) rotate(-90)" text-anchor="end" font-size="9">${esc(g.label)}</text>`);
      if (n > 0) marks.push(`<line class="separator" x1="${left}" x2="${left + w}" y1="${top + g.start * cell}" y2="${top + g.start * cell}" stroke="#fff" stroke-width="1"/><line class="separator" y1="${top}" y2="${top + h}" x1="${left + g.start * cell}" x2="${left + g.start * cell}" stroke="#fff" stroke-width="1"/>`);
    }
  } else {
    for (let i = 0; i < rows; i += every) {
      const label = opts.labels?.[i] ?? String(i + 1);
      ticks.push(`<text x="${left - 4}" y="${top + (i + 0.5) * cell + 3}" text-anchor="end" font-size="8">${esc(label)}</text>`);
    }
    for (let j = 0; j < cols; j += every) {
      ticks.push(`<text x="${left + (j + 0.5) * cell}" y="${top + h + 10}" text-anchor="middle" font-size="8">${j + 1}</text>`);
    }
  }
  if (opts.diagonal) {
    const d = Array.from({ length: Math.min(rows, cols) }, (_, i) => `M${left + i * cell} ${top + i * cell}h${cell}v${cell}h${-cell}z`).join('');
    marks.push(`<path class="diagonal" d="${d}" fill="none" stroke="#e8e8e8" stroke-width="${Math.max(0.6, cell / 10)}"/>`);
  }
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `<stop offset="${t}" stop-color="rgb(${colormap(1 - t).join(',')})"/>`).join('');
  const gid = `${opts.id ?? 'hm'}-bar`;
  return `<svg class="heatmap" ${opts.id ? `id="${esc(opts.id)}" ` : ''}xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(opts.title)}">
<title>${esc(opts.title)}</title>
<defs><linearGradient id="${esc(gid)}" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>
<text x="${left + w / 2}" y="14" text-anchor="middle" font-size="12">${esc(opts.title)}</text>
<image x="${left}" y="${top}" width="${w}" height="${h}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${png}"/>
${marks.join('\n')}
<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#444"/>
${ticks.join('\n')}
<text x="${left + w / 2}" y="${top + h + 28 + below}" text-anchor="middle" font-size="11">${esc(opts.colTitle)}</text>
<text transform="translate(12 ${top + h / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(opts.rowTitle)}</text>
<rect x="${barX}" y="${top}" width="12" height="${h}" fill="url(#${esc(gid)})" stroke="#444"/>
<text x="${barX + 16}" y="${top + 8}" font-size="10">${fmt(hi, 2)}</text>
<text x="${barX + 16}" y="${top + h}" font-size="10">${fmt(lo, 2)}</text>${opts.valueLabel ? `\n<text transform="translate(${barX + 50} ${top + h / 2}) rotate(90)" text-anchor="middle" font-size="10">${esc(opts.valueLabel)}</text>` : ''}
</svg>`;
}
