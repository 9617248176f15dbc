import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fail } from '../errors.ts';
import { gtzanGenre } from '../bids/index.ts';
import { isAudioFile, readTsv, unquote } from '../io/index.ts';

/** An audio file to put in the library. */
export interface AudioTrack {
  /** File name without extension (e.g. `blues.00017`, `000002`). Unique in a library. */
  id: string;
  /** Absolute path. */
  path: string;
  /** Genre when known, else null. */
  genre: string | null;
}


/**
 * Every audio file under `dir` (recursively), sorted by id. The genre of a track comes from,
 * in this order: a metadata table (`metadata`, or `library.tsv` found in `dir` or its parent:
 * a TSV with an `id` (or `clip_id` / `track_id`) column and a `genre` column); a GTZAN-style file
 * name `<genre>.<5 digits>`; else it is unknown (null).
 *
 * Two files with the same name in different folders are an error (ids must be unique).
 */
export function listAudioTracks(dir: string, opts: { metadata?: string } = {}): AudioTrack[] {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) fail('NOT_FOUND', `audio folder ${dir} does not exist; pass --audio with a folder of audio files.`);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (isAudioFile(name)) files.push(p);
    }
  };
  walk(root);
  const genres = readGenreTable(root, opts.metadata);
  const seen = new Map<string, string>();
  const tracks = files.map((path) => {
    const id = basename(path, extname(path));
    const other = seen.get(id);
    if (other) fail('BAD_INPUT', `two audio files have the id '${id}': ${other} and ${path}; rename one (ids are file names without extension).`);
    seen.set(id, path);
    return { id, path, genre: genres.get(id) ?? gtzanGenre(id) };
  });
  return tracks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function readGenreTable(root: string, metadata: string | undefined): Map<string, string> {
  const candidates = metadata ? [metadata] : [join(root, 'library.tsv'), join(dirname(root), 'library.tsv')];
  const path = candidates.find((p) => existsSync(p));
  if (metadata && !path) fail('NOT_FOUND', `metadata table ${metadata} does not exist.`);
  const out = new Map<string, string>();
  if (!path) return out;
  const table = readTsv(path);
  const idCol = ['id', 'clip_id', 'track_id'].find((c) => table.columns.includes(c));
  if (!idCol || !table.columns.includes('genre')) {
    if (metadata) fail('BAD_FILE', `${path} needs an 'id' (or 'clip_id' / 'track_id') column and a 'genre' column; it has ${table.columns.join(', ')}.`);
    return out;
  }
  for (const row of table.rows) {
    const genre = unquote(row.genre ?? '');
    if (genre && genre !== 'n/a') out.set(unquote(row[idCol]!), genre);
  }
  return out;
}
