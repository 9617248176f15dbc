import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';
import { EMBED_DEFAULTS } from '../defaults.ts';
import { atRate, cutExcerpt, paddingSamples } from '../dsp/index.ts';
import { AUDIO_EXTENSIONS, readAudio } from '../io/index.ts';
import { genreOfClipId } from './gtzan.ts';
import type { ClipInfo } from './types.ts';

/**
 * Where a clip's audio may be under a GTZAN folder, most specific first:
 * `genres/<genre>/<id>.<ext>` (original GTZAN), `genres_original/<genre>/<id>.<ext>` (a common
 * re-distribution), `<genre>/<id>.<ext>`, then flat `<id>.<ext>` (also `stimuli/<id>.<ext>`).
 */
export function clipAudioCandidates(root: string, clipId: string): string[] {
  const genre = genreOfClipId(clipId);
  const dirs = [join(root, 'genres', genre), join(root, 'genres_original', genre), join(root, genre), root, join(root, 'stimuli')];
  return dirs.flatMap((d) => AUDIO_EXTENSIONS.map((ext) => join(d, `${clipId}${ext}`)));
}

/** The audio file of one clip under `root`, or null. */
export function findClipAudio(root: string, clipId: string): string | null {
  for (const p of clipAudioCandidates(root, clipId)) if (existsSync(p) && statSync(p).isFile()) return p;
  return null;
}

/**
 * The audio file of every clip, or a NOT_FOUND error that says how many are missing, names
 * the first few and the layouts searched.
 */
export function locateClipAudio(root: string, clipIds: readonly string[]): Map<string, string> {
  if (!existsSync(root)) fail('NOT_FOUND', `audio folder ${root} does not exist; pass the GTZAN folder (holding genres/<genre>/<genre>.000NN.au or flat <genre>.000NN.wav files).`);
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const id of clipIds) {
    const p = findClipAudio(root, id);
    if (p) found.set(id, p);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const sample = readdirSync(root).slice(0, 5).join(', ');
    fail('NOT_FOUND', `${missing.length} of ${clipIds.length} clips have no audio under ${root} (first: ${missing.slice(0, 3).join(', ')}). Looked for genres/<genre>/<id>.<ext>, genres_original/<genre>/<id>.<ext>, <genre>/<id>.<ext> and <id>.<ext> with ext ${AUDIO_EXTENSIONS.join('/')}; the folder holds: ${sample || 'nothing'}.`);
  }
  return found;
}

/** A clip's excerpt: mono samples, and the seconds of silence at its end where the track ran out. */
export interface ClipExcerpt {
  samples: Float32Array;
  paddedSec: number;
}

/**
 * A clip's stimulus as the dataset played it: the excerpt `start`–`end` of its track, mono,
 * resampled to `sampleRate`, with 2 s linear fades and (optionally) RMS normalisation. A track
 * that ends at most `maxPadSec` (default `EMBED_DEFAULTS.maxPadSec`) before the excerpt does
 * (GTZAN tracks of 29.9x s) is padded with silence, reported in `paddedSec`; one that ends
 * earlier is a BAD_INPUT error naming the file, its length and the length needed.
 */
export async function readClipExcerpt(path: string, clip: Pick<ClipInfo, 'id' | 'start' | 'end'>, opts: { sampleRate: number; fadeSec?: number; targetRms?: number; maxPadSec?: number }): Promise<ClipExcerpt> {
  const samples = atRate(await readAudio(path), opts.sampleRate);
  const sr = opts.sampleRate;
  const have = samples.length;
  if (clip.start * sr >= have) {
    fail('MISMATCH', `${path} is ${(have / sr).toFixed(2)} s long but clip ${clip.id} starts at ${clip.start} s; is this the right track?`);
  }
  // the excerpt's last sample, counted as cutExcerpt counts it
  const need = Math.round(clip.start * sr) + Math.round((clip.end - clip.start) * sr);
  const maxPadSec = opts.maxPadSec ?? EMBED_DEFAULTS.maxPadSec;
  const pad = paddingSamples(have, need, sr, maxPadSec);
  if (pad === null) {
    fail('BAD_INPUT', `${path} lasts ${(have / sr).toFixed(2)} s, but clip ${clip.id}'s excerpt ${clip.start}–${clip.end} s needs ${(need / sr).toFixed(2)} s: ${((need - have) / sr).toFixed(2)} s short, more than the ${maxPadSec} s of silence padded at most. Check that this is the right track, or raise maxPadSec (--max-pad).`);
  }
  return { samples: cutExcerpt(samples, sr, clip.start, clip.end, { fadeSec: opts.fadeSec ?? EMBED_DEFAULTS.fadeSec, targetRms: opts.targetRms }), paddedSec: pad / sr };
}
