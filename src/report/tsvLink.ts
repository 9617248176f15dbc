import { formatTsv } from '../io/index.ts';
import { esc } from './html.ts';

/** One row of a downloadable table: column name → value (missing values become `n/a`). */
export type TsvRow = Record<string, string | number | undefined | null>;

/**
 * A "TSV" download link for a table the report shows: the table as TSV (header line, `n/a` for
 * missing values, numbers at full precision) in a data: URL with a `download` file name, so it
 * works from a page opened from disk, with no file beside it and no script.
 */
export function tsvLink(name: string, columns: readonly string[], rows: readonly TsvRow[]): string {
  // a value holding a tab or line break cannot be written as TSV: flatten it to spaces
  const clean = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\t\r\n]+/g, ' ') : v])));
  const href = `data:text/tab-separated-values;charset=utf-8,${encodeURIComponent(formatTsv(columns, clean))}`;
  return `<a class="download" download="${esc(name)}.tsv" href="${esc(href)}" title="download this table as TSV">TSV</a>`;
}
