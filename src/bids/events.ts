import { fail } from '../errors.ts';
import { clipId } from './gtzan.ts';
import { readTsv, unquote } from '../io/index.ts';

/** One row of a ds003720 `_events.tsv`. */
export interface EventRow {
  onset: number;
  duration: number;
  genre: string;
  track: number;
  start: number;
  end: number;
  /** `<genre>.<track padded to 5 digits>`, the GTZAN file stem. */
  clipId: string;
}

export const EVENT_COLUMNS = ['onset', 'duration', 'genre', 'track', 'start', 'end'] as const;


/**
 * Read a ds003720 events file: columns `onset, duration, genre, track, start, end` (others are
 * ignored), onsets ascending. As published, the files have CRLF line ends and no final newline,
 * genres quoted (`'reggae'`), and three genres of training run 4 with the opening quote missing
 * (`classical'`): a quote at one end only is accepted for the genre, nowhere else. `track` is the
 * GTZAN index (`clipId` pads it to 5 digits); `start`/`end` are seconds with two decimals.
 * Errors name the file and line.
 */
export function readEvents(path: string): EventRow[] {
  const table = readTsv(path);
  const missing = EVENT_COLUMNS.filter((c) => !table.columns.includes(c));
  if (missing.length > 0) {
    fail('BAD_FILE', `${path}: missing column(s) ${missing.join(', ')}; a ds003720 events file has columns ${EVENT_COLUMNS.join(', ')} (found ${table.columns.join(', ')}).`);
  }
  if (table.rows.length === 0) fail('BAD_FILE', `${path}: no events; each run lists its clips (41 rows in ds003720).`);
  const rows: EventRow[] = [];
  table.rows.forEach((r, i) => {
    const num = (col: string): number => {
      const text = unquote(r[col]);
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) fail('BAD_FILE', `${path}: line ${i + 2}, column ${col} is '${r[col]}', expected a number.`);
      return v;
    };
    const track = num('track');
    if (!Number.isInteger(track) || track < 0) fail('BAD_FILE', `${path}: line ${i + 2}: track '${r.track}' must be a GTZAN index (integer 0–99).`);
    const genre = unquote(r.genre, { unpaired: true }).trim().toLowerCase();
    if (!/^[a-z][a-z0-9_-]*$/.test(genre)) fail('BAD_FILE', `${path}: line ${i + 2}: genre '${r.genre}' is not a genre name such as 'blues'.`);
    const row: EventRow = { onset: num('onset'), duration: num('duration'), genre, track, start: num('start'), end: num('end'), clipId: clipId(genre, track) };
    if (!(row.duration > 0)) fail('BAD_FILE', `${path}: line ${i + 2}: duration ${row.duration} must be positive.`);
    if (!(row.end > row.start)) fail('BAD_FILE', `${path}: line ${i + 2}: excerpt end ${row.end} must be after start ${row.start}.`);
    if (i > 0 && !(row.onset > rows[i - 1].onset)) fail('BAD_FILE', `${path}: line ${i + 2}: onset ${row.onset} is not after the previous onset ${rows[i - 1].onset}; events must be sorted by onset.`);
    rows.push(row);
  });
  return rows;
}
