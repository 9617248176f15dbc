import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../io/index.ts';
import type { Embedder } from './embedder.ts';
import { metaPathOf, readEmbeddings, writeEmbeddings, type ClipAudioSource, type EmbeddingsMeta } from './embeddingsFile.ts';
import { cutWindows, windowStarts } from './windows.ts';

/** One clip to embed: its id and how to get its mono samples at the embedder's rate. */
export interface ClipSource {
  id: string;
  /** Resolves mono samples at `sampleRate` Hz (not called for models that ignore audio). */
  load(sampleRate: number): Promise<Float32Array>;
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
  /** Clips shorter than `clipSec` are skipped with a warning instead of failing. */
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
}

/** Tolerance for a clip a little shorter than `clipSec` (resampling and encoder rounding): 20 ms. */
const SHORT_TOLERANCE_SEC = 0.02;

/** The partial cache of an output: one raw float32 file per clip plus the settings it was made with. */
const cacheDirOf = (out: string): string => `${out}.parts`;
const partFile = (dir: string, id: string): string => join(dir, `${encodeURIComponent(id)}.f32`);

/**
 * Embeds every clip's windows and writes `out` (float32 clips × windows × dim) and its JSON.
 * Resumable: each clip's vectors are saved in `<out>.parts/` as soon as they are computed, and an
 * existing `out` made with the same model and windows lends its rows, so a rerun (after a crash,
 * or on a grown library) embeds only clips it has not seen. The cache is removed once `out` is
 * written. Clips longer than `clipSec` contribute their first `clipSec` seconds.
 */
export async function embedClips(o: EmbedClipsOptions): Promise<EmbedClipsResult> {
  const { embedder } = o;
  const starts = windowStarts(o.clipSec, o.windowSec, o.hopSec);
  const nWin = starts.length;
  const dim = embedder.dim;
  const seen = new Set<string>();
  for (const c of o.clips) {
    if (seen.has(c.id)) fail('BAD_INPUT', `clip id '${c.id}' appears twice; clip ids come from file names and must be unique.`);
    seen.add(c.id);
  }
  const settings = { model: embedder.name, version: embedder.version, dim, sampleRate: embedder.sampleRate, windowSec: o.windowSec, hopSec: o.hopSec, clipSec: o.clipSec, windowStarts: starts };
  const sameSettings = (m: Partial<EmbeddingsMeta>): boolean => JSON.stringify({ model: m.model, version: m.version, dim: m.dim, sampleRate: m.sampleRate, windowSec: m.windowSec, hopSec: m.hopSec, clipSec: m.clipSec, windowStarts: m.windowStarts }) === JSON.stringify(settings);

  const have = new Map<string, Float32Array>();
  if (existsSync(o.out) && existsSync(metaPathOf(o.out))) {
    const prev = readEmbeddings(o.out);
    if (sameSettings(prev.meta)) {
      const block = nWin * dim;
      prev.meta.clipIds.forEach((id, i) => { if (seen.has(id)) have.set(id, prev.data.slice(i * block, (i + 1) * block)); });
    }
  }
  const cache = cacheDirOf(o.out);
  const cacheMeta = join(cache, 'settings.json');
  if (existsSync(cache)) {
    let ok = false;
    try { ok = sameSettings(JSON.parse(readFileSync(cacheMeta, 'utf8')) as EmbeddingsMeta); } catch { ok = false; }
    if (ok) {
      for (const name of readdirSync(cache)) {
        if (!name.endsWith('.f32')) continue;
        const id = decodeURIComponent(name.slice(0, -4));
        if (!seen.has(id) || have.has(id)) continue;
        const buf = readFileSync(join(cache, name));
        if (buf.byteLength === nWin * dim * 4) have.set(id, new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)));
      }
    } else {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  mkdirSync(cache, { recursive: true });
  writeJsonAtomic(cacheMeta, settings);

  const reused = have.size;
  const pending = o.clips.filter((c) => !have.has(c.id));
  const skipped: string[] = [];
  const batch = Math.max(1, o.batchClips ?? 8);
  const winSamples = Math.round(o.windowSec * embedder.sampleRate);
  let done = reused;
  o.onProgress?.(done, o.clips.length);
  for (let b = 0; b < pending.length; b += batch) {
    const group = pending.slice(b, b + batch);
    const windows: Float32Array[] = [];
    const ids: string[] = [];
    const embeddedIds: string[] = [];
    for (const clip of group) {
      let wins: Float32Array[];
      if (o.needsAudio) {
        const x = await clip.load(embedder.sampleRate);
        const need = Math.round(o.clipSec * embedder.sampleRate);
        if (x.length < need - Math.round(SHORT_TOLERANCE_SEC * embedder.sampleRate)) {
          const msg = `clip '${clip.id}' lasts ${(x.length / embedder.sampleRate).toFixed(2)} s, shorter than --clip ${o.clipSec} s`;
          if (!o.skipShort) fail('BAD_INPUT', `${msg}; shorten --clip or pass --skip-short to leave such clips out.`);
          o.onWarning?.(`${msg}: skipped.`);
          skipped.push(clip.id);
          continue;
        }
        wins = cutWindows(x.subarray(0, need), embedder.sampleRate, starts, o.windowSec);
      } else {
        wins = starts.map(() => new Float32Array(Math.min(winSamples, 1)));
      }
      windows.push(...wins);
      ids.push(...wins.map(() => clip.id));
      embeddedIds.push(clip.id);
    }
    const vecs = windows.length > 0 ? await embedder.embed(windows, { clipIds: ids }) : new Float32Array(0);
    if (vecs.length !== windows.length * dim) fail('INTERNAL', `embedder '${embedder.name}' returned ${vecs.length} values for ${windows.length} windows of dim ${dim}.`);
    embeddedIds.forEach((id, k) => {
      const rows = vecs.slice(k * nWin * dim, (k + 1) * nWin * dim);
      have.set(id, rows);
      writeFileAtomic(partFile(cache, id), new Uint8Array(rows.buffer));
    });
    done += group.length;
    o.onProgress?.(done, o.clips.length);
  }

  const clipIds = o.clips.map((c) => c.id).filter((id) => have.has(id));
  const data = new Float32Array(clipIds.length * nWin * dim);
  clipIds.forEach((id, i) => data.set(have.get(id) as Float32Array, i * nWin * dim));
  const meta: EmbeddingsMeta = { ...settings, clipIds };
  const withSource = o.needsAudio ? o.clips.filter((c) => c.source && have.has(c.id)) : [];
  if (withSource.length > 0) meta.sources = Object.fromEntries(withSource.map((c) => [c.id, c.source!]));
  writeEmbeddings(o.out, { meta, data });
  rmSync(cache, { recursive: true, force: true });
  return { meta, embedded: pending.length - skipped.length, reused, skipped };
}
