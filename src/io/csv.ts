import { readFileSync } from 'node:fs';
import { fail } from '../errors.ts';
import { headerColumns, type TsvTable } from './tsv.ts';

/** One CSV record: its fields and the line it starts on (1-based). */
interface CsvRecord {
  fields: string[];
  line: number;
}

// Hand-written: no CSV package is installed, and RFC 4180 is one small state machine.
function csvRecords(text: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside "..."
  let closed = false; // just after the closing quote of a field
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endField = () => { fields.push(field); field = ''; closed = false; };
  const endRecord = () => {
    endField();
    records.push({ fields, line: recordLine });
    fields = [];
  };
  // a line end with nothing before it on its line (a blank line) ends no record: blank lines are skipped, as pandas does
  const pending = () => fields.length > 0 || field !== '' || closed;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') { quoted = false; closed = true; }
      else { field += c; if (c === '\n') line++; }
      continue;
    }
    if (c === ',') { endField(); continue; }
    if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (pending()) endRecord();
      line++;
      recordLine = line;
      continue;
    }
    if (closed) fail('BAD_FILE', `${source}: line ${line}: '${c}' after the closing quote of a field; a quoted field ends at a comma or a line end (write "" for a quote inside it).`);
    if (c === '"' && field === '') { quoted = true; quoteLine = line; continue; }
    field += c; // a quote inside an unquoted field is kept as it is (Python's csv does the same)
  }
  if (quoted) fail('BAD_FILE', `${source}: line ${quoteLine}: a quoted field opens here and never closes; quotes inside a quoted field are written "".`);
  if (pending()) endRecord();
  return records;
}

/**
 * Parse CSV text (RFC 4180): fields separated by commas, records by CRLF or LF; a field in
 * double quotes may hold commas, line breaks and doubled quotes (`""` → `"`). The first record is
 * the header (names trimmed); a UTF-8 BOM is dropped and blank lines are skipped. Every record
 * must have as many fields as the header. Values are returned as written (not trimmed).
 *
 * @example parseCsv('ID,DescEN\nblues.00017_15s,"Slow, sad blues"\n') → { columns: ['ID','DescEN'], rows: [{ ID: 'blues.00017_15s', DescEN: 'Slow, sad blues' }] }
 */
export function parseCsv(text: string, source = '<text>'): TsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records = csvRecords(body, source);
  if (records.length === 0) fail('BAD_FILE', `${source}: empty CSV file; expected a header line with comma-separated column names.`);
  const columns = headerColumns(records[0].fields, source, 'comma');
  const rows = records.slice(1).map((r) => {
    if (r.fields.length !== columns.length) {
      fail('BAD_FILE', `${source}: the record at line ${r.line} has ${r.fields.length} fields but the header has ${columns.length} (${columns.join(', ')}); a field holding a comma or a line break must be in double quotes.`);
    }
    return Object.fromEntries(columns.map((c, k) => [c, r.fields[k]]));
  });
  return { columns, rows };
}

/** Read a CSV file (see {@link parseCsv}). Missing file → NOT_FOUND. */
export function readCsv(path: string): TsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail('NOT_FOUND', `Cannot read CSV file ${path}: ${(err as Error).message}`, err);
  }
  return parseCsv(text, path);
}
