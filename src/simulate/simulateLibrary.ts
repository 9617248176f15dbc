import { join } from 'node:path';
import { writeTsv } from '../io/index.ts';
import { GENRES, type Arrangement, type Genre, renderClips, SAMPLE_RATE, sampleArrangement } from '../music/index.ts';
import { createRng, deriveSeed } from '../linalg/index.ts';
import { ARRANGEMENT_COLUMNS, arrangementRow, prepareClipFolder } from './stimulusFiles.ts';

export interface LibraryOptions {
  /** Number of clips (genres take turns, so sizes are balanced). */
  size: number;
  seed: number;
  genres?: readonly Genre[];
  clipSec?: number;
  sampleRate?: number;
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Library clip id: 'lib-00042'. */
export function libraryId(i: number): string {
  return `lib-${String(i).padStart(5, '0')}`;
}

/** The arrangement of library clip i: genre i mod G, own seed stream (never a stimulus's). */
export function libraryArrangement(seed: number, i: number, genres: readonly Genre[], clipSec: number): Arrangement {
  return sampleArrangement(genres[i % genres.length], createRng(deriveSeed(seed, 7, i)), { durationSec: clipSec });
}

/**
 * simulateLibrary(dir, opts) → writes a music library of generated clips, separate from the
 * stimuli: `dir/audio/lib-NNNNN.wav` (mono PCM16), `dir/library.tsv` (id, genre, path and the
 * arrangement's parameters) and `dir/params.json` (full arrangements). Renders in parallel and
 * resumes (existing WAVs with the same parameters are kept). Returns how many were rendered.
 */
export async function simulateLibrary(dir: string, opts: LibraryOptions): Promise<{ clips: number; rendered: number; seconds: number }> {
  const t0 = performance.now();
  const genres = opts.genres ?? GENRES;
  const clipSec = opts.clipSec ?? 15;
  const sampleRate = opts.sampleRate ?? SAMPLE_RATE;
  const audioDir = join(dir, 'audio');
  const clips = Array.from({ length: opts.size }, (_, i) => ({ id: libraryId(i), arrangement: libraryArrangement(opts.seed, i, genres, clipSec) }));
  prepareClipFolder(join(dir, 'params.json'), audioDir, { version: 1, sampleRate, clips: Object.fromEntries(clips.map((c) => [c.id, c.arrangement])) });
  writeTsv(join(dir, 'library.tsv'), ['id', 'genre', 'path', ...ARRANGEMENT_COLUMNS],
    clips.map((c) => ({ id: c.id, genre: c.arrangement.genre, path: `audio/${c.id}.wav`, ...arrangementRow(c.arrangement) })));
  const results = await renderClips(clips.map((c) => ({ path: join(audioDir, `${c.id}.wav`), arrangement: c.arrangement })), {
    sampleRate, featureSegmentSec: 0, workers: opts.workers, onProgress: opts.onProgress,
  });
  return { clips: clips.length, rendered: results.filter((r) => r.rendered).length, seconds: (performance.now() - t0) / 1000 };
}
