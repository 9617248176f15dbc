import { colormap, colorize } from './colormap.ts';
import { esc, fmt } from './html.ts';
import { encodePng } from './png.ts';

/**
 * An inline SVG heatmap of an n × m matrix (row-major): the cells as one pixelated PNG, row and
 * column titles, tick labels every `tickEvery` items, and a colour bar from `lo` to `hi`.
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
  const left = opts.axes ? 44 : opts.labels ? 84 : 40;
  const top = 30;
  const barX = left + w + 16;
  const width = barX + 64;
  const height = top + h + 50;
  const ticks: string[] = [];
  const every = Math.max(1, Math.ceil(Math.max(rows, cols) / 12));
  if (opts.axes) {
    const a = opts.axes;
    ticks.push(`<text x="${left - 4}" y="${top + h}" text-anchor="end" font-size="9">${fmt(a.y0, 2)}</text>`);
    ticks.push(`<text x="${left - 4}" y="${top + 8}" text-anchor="end" font-size="9">${fmt(a.y1, 2)}</text>`);
    ticks.push(`<text x="${left}" y="${top + h + 11}" text-anchor="start" font-size="9">${fmt(a.x0, 2)}</text>`);
    ticks.push(`<text x="${left + w}" y="${top + h + 11}" text-anchor="end" font-size="9">${fmt(a.x1, 2)}</text>`);
  } else {
    for (let i = 0; i < rows; i += every) {
      const label = opts.labels?.[i] ?? String(i + 1);
      ticks.push(`<text x="${left - 4}" y="${top + (i + 0.5) * cell + 3}" text-anchor="end" font-size="8">${esc(label)}</text>`);
    }
    for (let j = 0; j < cols; j += every) {
      ticks.push(`<text x="${left + (j + 0.5) * cell}" y="${top + h + 10}" text-anchor="middle" font-size="8">${j + 1}</text>`);
    }
  }
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `<stop offset="${t}" stop-color="rgb(${colormap(1 - t).join(',')})"/>`).join('');
  const gid = `${opts.id ?? 'hm'}-bar`;
  return `<svg class="heatmap" ${opts.id ? `id="${esc(opts.id)}" ` : ''}xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(opts.title)}">
<title>${esc(opts.title)}</title>
<defs><linearGradient id="${esc(gid)}" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>
<text x="${left + w / 2}" y="14" text-anchor="middle" font-size="12">${esc(opts.title)}</text>
<image x="${left}" y="${top}" width="${w}" height="${h}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${png}"/>
<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#444"/>
${ticks.join('\n')}
<text x="${left + w / 2}" y="${top + h + 28}" text-anchor="middle" font-size="11">${esc(opts.colTitle)}</text>
<text transform="translate(12 ${top + h / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(opts.rowTitle)}</text>
<rect x="${barX}" y="${top}" width="12" height="${h}" fill="url(#${esc(gid)})" stroke="#444"/>
<text x="${barX + 16}" y="${top + 8}" font-size="10">${fmt(hi, 2)}</text>
<text x="${barX + 16}" y="${top + h}" font-size="10">${fmt(lo, 2)}</text>${opts.valueLabel ? `\n<text transform="translate(${barX + 50} ${top + h / 2}) rotate(90)" text-anchor="middle" font-size="10">${esc(opts.valueLabel)}</text>` : ''}
</svg>`;
}
