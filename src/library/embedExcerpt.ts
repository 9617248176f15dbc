import { fail } from '../errors.ts';
import { cutWindows, windowStarts, type Embedder } from '../embed/index.ts';

/** Which part of a track is embedded and how (the library's {@link LibraryInfo} records it). */
export interface ExcerptOptions {
  /** Seconds from the start of the track (default 15, as in Brain2Music's library). */
  excerptSec?: number;
  /** Window length in seconds (default: the embedder's own, or 10 s (at most the excerpt) when it takes any length). */
  windowSec?: number;
  /** Hop between windows in seconds (default 1.5, the fMRI TR). */
  hopSec?: number;
}

/** The resolved excerpt settings for an embedder. */
export function excerptSettings(embedder: Pick<Embedder, 'windowSec'>, opts: ExcerptOptions = {}): Required<ExcerptOptions> {
  const excerptSec = opts.excerptSec ?? 15;
  const windowSec = opts.windowSec ?? (embedder.windowSec > 0 ? embedder.windowSec : Math.min(10, excerptSec));
  const hopSec = opts.hopSec ?? 1.5;
  if (embedder.windowSec > 0 && Math.abs(windowSec - embedder.windowSec) > 1e-9) {
    fail('BAD_INPUT', `the embedder needs ${embedder.windowSec} s windows, but windowSec = ${windowSec} was asked for; leave it unset.`);
  }
  return { excerptSec, windowSec, hopSec };
}

/**
 * The library vector of one track: the first `excerptSec` seconds are cut into windows of
 * `windowSec` advancing by `hopSec` (the same windows as the stimuli: 15 s, 10 s, 1.5 s →
 * starts 0, 1.5, 3, 4.5), each window is embedded, and the window vectors are averaged over time.
 * This time average is what a decoded clip's prediction is compared with (retrieval averages the
 * predicted windows of a clip the same way).
 *
 * A track shorter than the excerpt keeps only the windows that fit; a track shorter than one
 * window gives one zero-padded window. An empty track is an error.
 *
 * @param samples mono audio at `embedder.sampleRate` Hz.
 * @returns Float32Array(embedder.dim), the mean over windows.
 */
export async function embedExcerpt(samples: Float32Array, embedder: Embedder, opts: ExcerptOptions = {}): Promise<Float32Array> {
  const { excerptSec, windowSec, hopSec } = excerptSettings(embedder, opts);
  const sr = embedder.sampleRate;
  if (samples.length === 0) fail('BAD_FILE', 'the track has no samples; it cannot be embedded.');
  const available = Math.min(excerptSec, samples.length / sr);
  const starts = available >= windowSec ? windowStarts(available, windowSec, hopSec) : [0];
  const windows = cutWindows(samples.subarray(0, Math.round(excerptSec * sr)), sr, starts, windowSec);
  const flat = await embedder.embed(windows);
  const dim = embedder.dim;
  if (flat.length !== windows.length * dim) fail('INTERNAL', `embedder ${embedder.name} returned ${flat.length} values for ${windows.length} windows of dim ${dim}.`);
  const acc = new Float64Array(dim);
  for (let w = 0; w < windows.length; w++) for (let d = 0; d < dim; d++) acc[d] += flat[w * dim + d]!;
  return Float32Array.from(acc, (x) => x / windows.length);
}
