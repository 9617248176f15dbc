import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';
import { EMBED_DEFAULTS } from '../defaults.ts';
import { paddingSamples } from '../dsp/index.ts';
import { writeFileAtomic, writeJsonAtomic } from '../io/index.ts';
import type { Embedder } from './embedder.ts';
import { metaPathOf, readEmbeddings, writeEmbeddings, type ClipAudioSource, type EmbeddingsMeta } from './embeddingsFile.ts';
import { cutWindows, windowStarts } from './windows.ts';

/** A clip's audio with silence already appended at its end (an excerpt past its track's end). */
export interface ClipAudio {
  samples: Float32Array;
  /** Seconds of silence at the end of `samples` (counted against `maxPadSec`, recorded). */
  paddedSec: number;
}

/** One clip to embed: its id and how to get its mono samples at the embedder's rate. */
export interface ClipSource {
  id: string;
  /** The audio file, named in errors (default: the clip id only). */
  file?: string;
  /** Resolves mono samples at `sampleRate` Hz (not called for models that ignore audio). */
  load(sampleRate: number): Promise<Float32Array | ClipAudio>;
  /** Where the audio comes from, recorded in the embeddings' JSON (`sources`). */
  source?: ClipAudioSource;
}

export interface EmbedClipsOptions {
  embedder: Embedder;
  clips: ClipSource[];
  /** Output `FILE.npy` (with `FILE.json` beside it). */
  out: string;
  clipSec: number;
  windowSec: number;
  hopSec: number;
  /** Whether the model reads audio (false for `genre`, `clap-text`: clips are not loaded). */
  needsAudio: boolean;
  /**
   * A clip up to this many seconds shorter than `clipSec` is padded with silence at its end and
   * recorded in the JSON's `padded` (default `EMBED_DEFAULTS.maxPadSec`); a shorter one fails.
   */
  maxPadSec?: number;
  /** Clips shorter than `clipSec − maxPadSec` are skipped with a warning instead of failing. */
  skipShort?: boolean;
  /** Clips embedded per `embed()` call (default 8). */
  batchClips?: number;
  onProgress?: (done: number, total: number) => void;
  onWarning?: (line: string) => void;
}

export interface EmbedClipsResult {
  meta: EmbeddingsMeta;
  /** Clips embedded in this call. */
  embedded: number;
  /** Clips taken from an earlier output or partial cache. */
  reused: number;
  skipped: string[];
  /** Clips of the output padded with silence → seconds of silence (also in `meta.padded`). */
  padded: Record<string, number>;
}

/** Padding recorded in microseconds: no float noise in the JSON. */
const roundSec = (sec: number): number => Math.round(sec * 1e6) / 1e6;

/** The partial cache of an output: one raw float32 file per clip plus the settings it was made with. */
const cacheDirOf = (out: string): string => `${out}.parts`;
const partFile = (dir: string, id: string): string => join(dir, `${encodeURIComponent(id)}.f32`);

/**
 * Embeds every clip's windows and writes `out` (float32 clips × windows × dim) and its JSON.
 * Resumable: each clip's vectors are saved in `<out>.parts/` as soon as they are computed, and an
 * existing `out` made with the same model and windows lends its rows, so a rerun (after a crash,
 * or on a grown library) embeds only clips it has not seen. The cache is removed once `out` is
 * written, and after a failure that saved no clip (no empty cache is left behind). Clips longer
 * than `clipSec` contribute their first `clipSec` seconds; clips up to `maxPadSec` shorter are
 * padded with silence and listed in the JSON's `padded` (clip id → seconds; absent when none).
 */
export async function embedClips(o: EmbedClipsOptions): Promise<EmbedClipsResult> {
  const { embedder } = o;
  const starts = windowStarts(o.clipSec, o.windowSec, o.hopSec);
  const nWin = starts.length;
  const dim = embedder.dim;
  const maxPadSec = o.maxPadSec ?? EMBED_DEFAULTS.maxPadSec;
  paddingSamples(0, 0, 1, maxPadSec); // validates maxPadSec before any work
  const seen = new Set<string>();
  for (const c of o.clips) {
    if (seen.has(c.id)) fail('BAD_INPUT', `clip id '${c.id}' appears twice; clip ids come from file names and must be unique.`);
    seen.add(c.id);
  }
  const settings = { model: embedder.name, version: embedder.version, dim, sampleRate: embedder.sampleRate, windowSec: o.windowSec, hopSec: o.hopSec, clipSec: o.clipSec, windowStarts: starts };
  const sameSettings = (m: Partial<EmbeddingsMeta>): boolean => JSON.stringify({ model: m.model, version: m.version, dim: m.dim, sampleRate: m.sampleRate, windowSec: m.windowSec, hopSec: m.hopSec, clipSec: m.clipSec, windowStarts: m.windowStarts }) === JSON.stringify(settings);

  const have = new Map<string, Float32Array>();
  const padded = new Map<string, number>();
  // A clip reused from earlier work keeps its padding, unless that is more than this run allows.
  const reuse = (id: string, rows: Float32Array, pad: number | undefined): void => {
    if (!seen.has(id) || have.has(id) || (pad ?? 0) > maxPadSec + 1e-9) return;
    have.set(id, rows);
    if (pad) padded.set(id, pad);
  };
  if (existsSync(o.out) && existsSync(metaPathOf(o.out))) {
    const prev = readEmbeddings(o.out);
    if (sameSettings(prev.meta)) {
      const block = nWin * dim;
      prev.meta.clipIds.forEach((id, i) => reuse(id, prev.data.slice(i * block, (i + 1) * block), prev.meta.padded?.[id]));
    }
  }
  const cache = cacheDirOf(o.out);
  const cacheMeta = join(cache, 'settings.json');
  const cachePadded = join(cache, 'padded.json');
  let cacheReady = false;
  if (existsSync(cache)) {
    let ok = false;
    try { ok = sameSettings(JSON.parse(readFileSync(cacheMeta, 'utf8')) as EmbeddingsMeta); } catch { ok = false; }
    if (ok) {
      cacheReady = true;
      let pads: Record<string, number> = {};
      try { pads = JSON.parse(readFileSync(cachePadded, 'utf8')) as Record<string, number>; } catch { pads = {}; }
      for (const name of readdirSync(cache)) {
        if (!name.endsWith('.f32')) continue;
        const id = decodeURIComponent(name.slice(0, -4));
        const buf = readFileSync(join(cache, name));
        if (buf.byteLength === nWin * dim * 4) reuse(id, new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)), pads[id]);
      }
    } else {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  // The cache folder is made when the first clip is saved, so a run that fails before leaves none.
  const saveClip = (id: string, rows: Float32Array, pad: number): void => {
    if (!cacheReady) {
      mkdirSync(cache, { recursive: true });
      writeJsonAtomic(cacheMeta, settings);
      cacheReady = true;
    }
    // padding first: a crash between the two writes then loses the clip, never its record
    if (pad > 0) writeJsonAtomic(cachePadded, Object.fromEntries(padded));
    writeFileAtomic(partFile(cache, id), new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
  };

  const reused = have.size;
  const pending = o.clips.filter((c) => !have.has(c.id));
  const skipped: string[] = [];
  try {
    await embedPending(o, pending, starts, maxPadSec, skipped, (id, rows, pad) => {
      have.set(id, rows);
      if (pad > 0) padded.set(id, pad);
      saveClip(id, rows, pad);
    }, reused);
  } catch (err) {
    const saved = existsSync(cache) && readdirSync(cache).some((n) => n.endsWith('.f32'));
    if (!saved) rmSync(cache, { recursive: true, force: true });
    throw err;
  }

  const clipIds = o.clips.map((c) => c.id).filter((id) => have.has(id));
  const data = new Float32Array(clipIds.length * nWin * dim);
  clipIds.forEach((id, i) => data.set(have.get(id) as Float32Array, i * nWin * dim));
  const pads = Object.fromEntries(clipIds.filter((id) => padded.has(id)).map((id) => [id, padded.get(id) as number]));
  // `padded` only when some clip was padded, so that outputs without padding keep their bytes
  const meta: EmbeddingsMeta = { ...settings, clipIds, ...(Object.keys(pads).length > 0 ? { padded: pads } : {}) };
  const withSource = o.needsAudio ? o.clips.filter((c) => c.source && have.has(c.id)) : [];
  if (withSource.length > 0) meta.sources = Object.fromEntries(withSource.map((c) => [c.id, c.source!]));
  writeEmbeddings(o.out, { meta, data });
  rmSync(cache, { recursive: true, force: true });
  return { meta, embedded: pending.length - skipped.length, reused, skipped, padded: pads };
}

/** Embeds the clips not yet seen, batch by batch, handing each clip's rows and padding to `save`. */
async function embedPending(o: EmbedClipsOptions, pending: ClipSource[], starts: number[], maxPadSec: number, skipped: string[], save: (id: string, rows: Float32Array, paddedSec: number) => void, reused: number): Promise<void> {
  const { embedder } = o;
  const nWin = starts.length;
  const dim = embedder.dim;
  const sr = embedder.sampleRate;
  const batch = Math.max(1, o.batchClips ?? 8);
  const winSamples = Math.round(o.windowSec * sr);
  let done = reused;
  o.onProgress?.(done, o.clips.length);
  for (let b = 0; b < pending.length; b += batch) {
    const group = pending.slice(b, b + batch);
    const windows: Float32Array[] = [];
    const ids: string[] = [];
    const embedded: { id: string; pad: number }[] = [];
    for (const clip of group) {
      let wins: Float32Array[];
      let pad = 0;
      if (o.needsAudio) {
        const loaded = await clip.load(sr);
        const x = loaded instanceof Float32Array ? loaded : loaded.samples;
        const need = Math.round(o.clipSec * sr);
        const extra = paddingSamples(x.length, need, sr, maxPadSec);
        if (extra === null) {
          const msg = `clip '${clip.id}'${clip.file ? ` (${clip.file})` : ''} lasts ${(x.length / sr).toFixed(2)} s, but --clip needs ${o.clipSec} s: ${((need - x.length) / sr).toFixed(2)} s short, more than the ${maxPadSec} s of silence padded at most`;
          if (!o.skipShort) fail('BAD_INPUT', `${msg}; shorten --clip, raise --max-pad (maxPadSec), or pass --skip-short to leave such clips out.`);
          o.onWarning?.(`${msg}: skipped.`);
          skipped.push(clip.id);
          continue;
        }
        pad = roundSec((loaded instanceof Float32Array ? 0 : loaded.paddedSec) + extra / sr);
        // cutWindows pads the missing tail with zeros: the silence
        wins = cutWindows(x.subarray(0, need), sr, starts, o.windowSec);
      } else {
        wins = starts.map(() => new Float32Array(Math.min(winSamples, 1)));
      }
      windows.push(...wins);
      ids.push(...wins.map(() => clip.id));
      embedded.push({ id: clip.id, pad });
    }
    const vecs = windows.length > 0 ? await embedder.embed(windows, { clipIds: ids }) : new Float32Array(0);
    if (vecs.length !== windows.length * dim) fail('INTERNAL', `embedder '${embedder.name}' returned ${vecs.length} values for ${windows.length} windows of dim ${dim}.`);
    embedded.forEach(({ id, pad }, k) => save(id, vecs.slice(k * nWin * dim, (k + 1) * nWin * dim), pad));
    done += group.length;
    o.onProgress?.(done, o.clips.length);
  }
}
