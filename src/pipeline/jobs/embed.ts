import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { locateClipAudio, readClipExcerpt, type Dataset } from '../../bids/index.ts';
import { EMBED_DEFAULTS } from '../../defaults.ts';
import { createEmbedder, embedClips, embedderInfo, readCaptionsTable, requireCaptions, type ClipAudioSource, type ClipSource, type EmbedClipsResult } from '../../embed/index.ts';
import { fail } from '../../errors.ts';
import { atRate } from '../../dsp/index.ts';
import { AUDIO_EXTENSIONS, isAudioFile, readAudio } from '../../io/index.ts';
import type { Reporter } from '../../progress.ts';

/** One stimulus clip to embed: its id and, for models that read audio, where its audio is. */
export interface StimulusClip {
  id: string;
  /** The file, and for an excerpt of a longer track (a 30 s GTZAN track) where the clip lies in it. */
  audio?: ClipAudioSource;
}

/** An embedding model as configured (`embeddings[i]` of a run, or `brain2music embed`'s flags). */
export interface EmbedModel {
  name: string;
  modelDir?: string;
  allowDownload?: boolean;
  /** Window length, seconds (default: the model's own). */
  windowSec?: number;
  hopSec?: number;
  /** w2v-BERT hidden layer. */
  layer?: number;
}

export interface EmbedJobInput {
  clips: StimulusClip[];
  model: EmbedModel;
  /** Output `FILE.npy` (FILE.json beside it). */
  out: string;
  clipSec?: number;
  /** Captions table for text models (`clap-text`). */
  captions?: string;
  /** Clip id → genre, for `genre` (default: from the clip id). */
  clipGenres?: ReadonlyMap<string, string>;
  /** Seconds of silence a short clip (or a track an excerpt runs past) may be padded with (default 0.5). */
  maxPadSec?: number;
  /** Leave out clips too short to embed (with a warning) instead of failing. */
  skipShort?: boolean;
}

/**
 * The clips of a dataset with their audio under `audioDir` (GTZAN layouts, see
 * `locateClipAudio`); each is the excerpt the events name, with the dataset's fades.
 */
export function datasetClips(ds: Dataset, audioDir: string | undefined, needsAudio: boolean): StimulusClip[] {
  if (!needsAudio) return ds.clips.map((c) => ({ id: c.id }));
  if (audioDir === undefined) fail('BAD_INPUT', `the model reads audio: give the folder of the stimuli (GTZAN, or the clips named <genre>.000NN.wav).`);
  const audio = locateClipAudio(audioDir, ds.clips.map((c) => c.id));
  return ds.clips.map((c) => ({ id: c.id, audio: { path: audio.get(c.id)!, start: c.start, end: c.end, fadeSec: EMBED_DEFAULTS.fadeSec } }));
}

/** The clips' length in a dataset: scans per clip × TR (15 s), not a clip's end − start (a real excerpt can last 14.99 s). */
export function datasetClipSec(ds: Dataset): number {
  const s = ds.schedule[0];
  return s ? Math.round(s.scansPerClip * ds.tr * 1000) / 1000 : EMBED_DEFAULTS.clipSec;
}

/** Clips from audio files or folders of them (read non-recursively, sorted): clip id = file name without extension. */
export function fileClips(inputs: readonly string[]): StimulusClip[] {
  const files: string[] = [];
  for (const p of inputs) {
    if (!existsSync(p)) fail('NOT_FOUND', `--audio ${p} does not exist.`);
    if (statSync(p).isDirectory()) {
      const inDir = readdirSync(p).filter(isAudioFile).sort().map((n) => join(p, n));
      if (inDir.length === 0) fail('NOT_FOUND', `--audio ${p} holds no audio files (${AUDIO_EXTENSIONS.join(', ')}).`);
      files.push(...inDir);
    } else {
      files.push(p);
    }
  }
  return files.map((f) => ({ id: basename(f, extname(f)), audio: { path: f } }));
}

/** A file within this of the excerpt's length is the excerpt itself (a prepared clip), not the track it was cut from. */
const EXCERPT_FILE_TOLERANCE_SEC = 0.5;

/** A stimulus clip's audio at `sampleRate`, read as the embed stage read it (the excerpt, with its fades). */
export async function readStimulusAudio(id: string, source: ClipAudioSource, sampleRate: number, maxPadSec: number = EMBED_DEFAULTS.maxPadSec): Promise<Float32Array> {
  const loaded = await clipSource({ id, audio: source }, maxPadSec).load(sampleRate);
  return loaded instanceof Float32Array ? loaded : loaded.samples;
}

/**
 * Reads a clip's audio: an excerpt is cut from a longer file (with its fades; a track that ends a
 * little early is padded, up to `maxPadSec`); a file that already is the clip is used as it is.
 */
function clipSource(clip: StimulusClip, maxPadSec: number): ClipSource {
  const a = clip.audio;
  return {
    id: clip.id,
    file: a?.path,
    source: a,
    async load(sampleRate: number) {
      if (!a) return fail('INTERNAL', `clip ${clip.id} has no audio to read.`);
      const samples = atRate(await readAudio(a.path), sampleRate);
      if (a.start === undefined || a.end === undefined) return samples;
      // Already the excerpt (simulated stimuli, prepared excerpts): use it; else cut it.
      if (Math.abs(samples.length / sampleRate - (a.end - a.start)) < EXCERPT_FILE_TOLERANCE_SEC) return samples;
      return readClipExcerpt(a.path, { id: clip.id, start: a.start, end: a.end }, { sampleRate, fadeSec: a.fadeSec, maxPadSec });
    },
  };
}

/**
 * The embed stage's job, run by `brain2music embed` and by the pipeline: every clip's windows
 * (every `hopSec` within the clip, `windowSec` long) through one model, written as `out`
 * (float32 clips × windows × dim) and its JSON, with where each clip's audio came from.
 * Resumable (see `embedClips`).
 */
export async function embedJob(input: EmbedJobInput, reporter: Reporter): Promise<EmbedClipsResult> {
  const info = embedderInfo(input.model.name);
  const m = input.model;
  const maxPadSec = input.maxPadSec ?? EMBED_DEFAULTS.maxPadSec;
  // Every clip's caption is checked before the model loads, so that all missing ones are listed at once.
  if (info.options.includes('captions') && input.captions) requireCaptions(readCaptionsTable(input.captions), input.clips.map((c) => c.id), input.captions);
  const embedder = await createEmbedder(m.name, { modelDir: m.modelDir, allowDownload: m.allowDownload, captions: input.captions, layer: m.layer, clipGenres: input.clipGenres });
  const bar = reporter.progress(`embed ${m.name}`);
  try {
    const res = await embedClips({
      embedder,
      clips: input.clips.map((c) => clipSource(c, maxPadSec)),
      maxPadSec,
      out: input.out,
      clipSec: input.clipSec ?? EMBED_DEFAULTS.clipSec,
      windowSec: m.windowSec ?? info.defaultWindowSec,
      hopSec: m.hopSec ?? EMBED_DEFAULTS.hopSec,
      needsAudio: info.needsAudio,
      skipShort: input.skipShort,
      onProgress: bar.update,
      onWarning: (l) => reporter.warn(`embed ${m.name}: ${l}`),
    });
    const r = res.meta;
    const nPadded = Object.keys(res.padded).length;
    reporter.info(`${input.out}: ${r.clipIds.length} clips × ${r.windowStarts.length} windows × ${r.dim} (${r.version}); embedded ${res.embedded}, reused ${res.reused}${res.skipped.length ? `, skipped ${res.skipped.length}` : ''}${nPadded ? `, padded ${nPadded} with silence (see 'padded' in the JSON)` : ''}.`);
    return res;
  } finally {
    bar.end();
    await embedder.dispose?.();
  }
}
