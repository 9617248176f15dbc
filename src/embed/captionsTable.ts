import { readFileSync } from 'node:fs';
import { fail } from '../errors.ts';
import { parseCsv, parseTsv, type TsvTable } from '../io/index.ts';

/**
 * The tables a captions file may be: brain2music's TSV (`clip_id`, `caption`, keys used as
 * written), or the captions CSV the Brain2Music authors published (`ID` = `<genre>.000NN_15s`,
 * `DescEN` = the English description; other columns, such as the Japanese original, are ignored).
 */
const FORMATS = [
  { key: 'clip_id', text: 'caption', normalise: false },
  { key: 'ID', text: 'DescEN', normalise: true },
] as const;

/**
 * The clip id of a key of the published captions table: `blues.00017_15s` → `blues.00017`.
 * The track number is re-padded to 5 digits, which also mends keys with extra leading zeros
 * (the table spells one key `disco.000011_15s`, for `disco.00011`). Keys of another form are
 * returned trimmed, unchanged.
 */
export function captionKeyToClipId(key: string): string {
  const k = key.trim();
  const m = /^([a-z][a-z0-9-]*)\.(\d+)(?:_\d+(?:\.\d+)?s)?$/i.exec(k);
  return m ? `${m[1]}.${String(Number(m[2])).padStart(5, '0')}` : k;
}

/**
 * Parse a captions table into clip id → caption (trimmed). The format is told by the header: a
 * tab in the first line means TSV (`clip_id`, `caption`), else CSV (RFC 4180 quoting: captions may
 * hold commas, quotes and line breaks) with `ID`, `DescEN` or `clip_id`, `caption`. A UTF-8 BOM
 * is dropped. Two keys naming the same clip with different captions, or an empty caption, are
 * BAD_FILE errors naming `source` and the line.
 *
 * @example parseCaptionsTable('ID,DescEN\ndisco.000011_15s,"Funky, upbeat disco"\n').get('disco.00011') // 'Funky, upbeat disco'
 */
export function parseCaptionsTable(text: string, source = '<text>'): Map<string, string> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const tsv = firstLine.includes('\t');
  const table: TsvTable = tsv ? parseTsv(body, source) : parseCsv(body, source);
  const format = FORMATS.find((f) => table.columns.includes(f.key) && table.columns.includes(f.text));
  if (!format) {
    fail('BAD_FILE', `${source} has columns ${table.columns.join(', ')}; a captions table has columns clip_id and caption (TSV), or ID and DescEN (the Brain2Music captions CSV).`);
  }
  const out = new Map<string, string>();
  const keyOf = new Map<string, string>();
  table.rows.forEach((row, i) => {
    const key = row[format.key].trim();
    const id = format.normalise ? captionKeyToClipId(key) : key;
    const caption = row[format.text].trim();
    // CSV records may span lines, so name the record; TSV rows are lines.
    const where = tsv ? `line ${i + 2}` : `record ${i + 1}`;
    if (key === '' || caption === '') fail('BAD_FILE', `${source}: ${where} has an empty ${key === '' ? format.key : `${format.text} for ${key}`}; every row needs a clip key and its caption.`);
    const prev = out.get(id);
    if (prev !== undefined && prev !== caption) {
      fail('BAD_FILE', `${source}: keys '${keyOf.get(id)}' and '${key}' (${where}) both name clip ${id} but give different captions; keep one.`);
    }
    out.set(id, caption);
    keyOf.set(id, key);
  });
  return out;
}

/** Read a captions table (see {@link parseCaptionsTable}): clip id → caption. Missing file → NOT_FOUND. */
export function readCaptionsTable(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return fail('NOT_FOUND', `cannot read the captions table ${path}: ${(err as Error).message}. Pass a TSV (clip_id, caption) or the Brain2Music captions CSV (ID, DescEN).`, err);
  }
  return parseCaptionsTable(text, path);
}

/**
 * Fails (NOT_FOUND) when some of `clipIds` have no caption, listing them (the first 20 and a
 * count) with `source`, the table they were looked up in.
 */
export function requireCaptions(captions: ReadonlyMap<string, string>, clipIds: readonly string[], source: string): void {
  const missing = [...new Set(clipIds)].filter((id) => !captions.has(id));
  if (missing.length === 0) return;
  const shown = missing.slice(0, 20).join(', ');
  fail('NOT_FOUND', `${source} has no caption for ${missing.length} of ${new Set(clipIds).size} clips: ${shown}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}. Add a row per clip (keys such as blues.00017 or, in the Brain2Music CSV, blues.00017_15s).`);
}

/** A text tower's captions (`--captions`), read once; a model named `model` without them is refused. */
export function textTowerCaptions(model: string, captions: string | undefined): { source: string; captions: Map<string, string> } {
  if (!captions) fail('BAD_INPUT', `${model} needs a captions table (--captions FILE: a TSV with columns clip_id, caption, or the Brain2Music captions CSV with ID, DescEN).`);
  return { source: captions, captions: readCaptionsTable(captions) };
}

/**
 * A text tower's embed(): every window gets its clip's caption vector, each caption embedded
 * once (`embedTexts` returns one vector per caption, in order).
 */
export function captionWindows(
  model: string, table: { source: string; captions: ReadonlyMap<string, string> }, dim: number, embedTexts: (texts: string[]) => Promise<Float32Array[]>,
): (windows: Float32Array[], context?: { clipIds: string[] }) => Promise<Float32Array> {
  const cache = new Map<string, Float32Array>();
  return async (windows, context) => {
    if (!context || context.clipIds.length !== windows.length) {
      fail('BAD_INPUT', `${model} needs the clip id of every window (${windows.length} windows, ${context?.clipIds.length ?? 0} ids).`);
    }
    const pending = [...new Set(context.clipIds)].filter((id) => !cache.has(id));
    requireCaptions(table.captions, pending, table.source);
    if (pending.length > 0) (await embedTexts(pending.map((id) => table.captions.get(id) ?? ''))).forEach((v, i) => cache.set(pending[i]!, v));
    const out = new Float32Array(context.clipIds.length * dim);
    context.clipIds.forEach((id, i) => {
      const v = cache.get(id)!;
      if (v.length !== dim) fail('MISMATCH', `${model} returned ${v.length} values for a caption, not ${dim}.`);
      out.set(v, i * dim);
    });
    return out;
  };
}
