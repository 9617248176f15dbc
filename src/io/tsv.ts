import { readFileSync } from 'node:fs';
import { fail } from '../errors.ts';
import { writeFileAtomic } from './atomic.ts';

/** A tab-separated table with a header row (BIDS style). Every value is a string. */
export interface TsvTable {
  columns: string[];
  rows: Record<string, string>[];
}

export interface ReadTsvOptions {
  /**
   * Strip one pair of matching surrounding quotes (`'reggae'` or `"reggae"`) from every value.
   * Off by default so that `readTsv(writeTsv(x))` round-trips exactly; the ds003720 events
   * files quote their genre values, so the dataset loader turns this on.
   */
  unquote?: boolean;
}

export interface UnquoteOptions {
  /**
   * Also strip a quote found at one end only (`classical'` → `classical`, `'jazz` → `jazz`),
   * provided the value holds no other quote. Off by default; the ds003720 events reader turns it
   * on for genres, since three rows of the published `task-Training_run-04_events.tsv` lack the
   * opening quote.
   */
  unpaired?: boolean;
}

const isQuote = (c: string | undefined): boolean => c === "'" || c === '"';

/**
 * `'reggae'` → `reggae`, `"a b"` → `a b`; anything else is returned as is (with
 * `{ unpaired: true }`, a lone quote at one end is stripped too).
 */
export function unquote(value: string, opts: UnquoteOptions = {}): string {
  const first = value[0];
  const last = value[value.length - 1];
  if (value.length >= 2 && isQuote(first) && last === first) return value.slice(1, -1);
  if (opts.unpaired && value.length >= 2 && isQuote(first) !== isQuote(last)) {
    const inner = isQuote(first) ? value.slice(1) : value.slice(0, -1);
    if (![...inner].some(isQuote)) return inner;
  }
  return value;
}

/**
 * The column names of a header record, trimmed; an empty or repeated name is a BAD_FILE error
 * naming `source` (`separator` says which stray character may have made it).
 */
export function headerColumns(fields: string[], source: string, separator: string): string[] {
  const columns = fields.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (c === '') fail('BAD_FILE', `${source}: the header has an empty column name; check for a stray ${separator} in line 1.`);
    if (seen.has(c)) fail('BAD_FILE', `${source}: column '${c}' appears twice in the header.`);
    seen.add(c);
  }
  return columns;
}

/**
 * Parse TSV text: first line is the header, `\n` or `\r\n` line ends, blank trailing lines
 * ignored, a UTF-8 BOM dropped. Every row must have as many fields as the header.
 *
 * @example parseTsv('a\tb\n1\t2\n') → { columns: ['a','b'], rows: [{ a: '1', b: '2' }] }
 */
export function parseTsv(text: string, source = '<text>', opts: ReadTsvOptions = {}): TsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) fail('BAD_FILE', `${source}: empty TSV file; expected a header line with tab-separated column names.`);
  const columns = headerColumns(lines[0].split('\t'), source, 'tab');
  const rows: Record<string, string>[] = [];
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i].split('\t');
    if (fields.length !== columns.length) {
      fail('BAD_FILE', `${source}: line ${i + 1} has ${fields.length} fields but the header has ${columns.length} (${columns.join(', ')}); TSV fields are separated by single tabs.`);
    }
    const row: Record<string, string> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c]] = opts.unquote ? unquote(fields[c].trim()) : fields[c].trim();
    rows.push(row);
  }
  return { columns, rows };
}

/** Read a TSV file (see {@link parseTsv}). Missing file → NOT_FOUND. */
export function readTsv(path: string, opts: ReadTsvOptions = {}): TsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail('NOT_FOUND', `Cannot read TSV file ${path}: ${(err as Error).message}`, err);
  }
  return parseTsv(text, path, opts);
}

/**
 * Format a table as TSV text: header line, one line per row, `\n` line ends, final newline.
 * Numbers are written with `String(n)`; missing values as `n/a` (BIDS). A value containing a
 * tab or a line break is rejected, since TSV has no escaping.
 */
export function formatTsv(columns: readonly string[], rows: readonly Record<string, string | number | undefined | null>[]): string {
  const check = (v: string, where: string): string => {
    if (/[\t\r\n]/.test(v)) fail('BAD_INPUT', `TSV value ${JSON.stringify(v)} (${where}) contains a tab or line break; TSV cannot hold it.`);
    return v;
  };
  const out = [columns.map((c) => check(c, 'header')).join('\t')];
  rows.forEach((row, i) => {
    out.push(columns.map((c) => {
      const v = row[c];
      return v === undefined || v === null ? 'n/a' : check(String(v), `row ${i}, column ${c}`);
    }).join('\t'));
  });
  return out.join('\n') + '\n';
}

/** Write a TSV file atomically (see {@link formatTsv}). */
export function writeTsv(path: string, columns: readonly string[], rows: readonly Record<string, string | number | undefined | null>[]): void {
  writeFileAtomic(path, formatTsv(columns, rows));
}
