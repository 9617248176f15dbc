import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fail } from '../../errors.ts';
import { readAudio, readTsv } from '../../io/index.ts';
import { createEmbedder, embedClips, embedderNames, readCaptionsTable, requireCaptions, type ClipSource, type EmbeddingsMeta } from '../../embed/index.ts';
import type { CliUi } from '../ui.ts';

/** Options of `brain2music embed`. */
export interface EmbedOptions {
  /** A folder of audio files, or audio files (clip id = file name without extension). */
  audio: string[];
  /** builtin | clap | clap-text | w2vbert | genre */
  model: string;
  /** Output `FILE.npy` (FILE.json is written beside it). */
  out: string;
  modelDir?: string;
  allowDownload?: boolean;
  /** Captions table for clap-text: TSV (clip_id, caption) or the Brain2Music captions CSV (ID, DescEN). */
  captions?: string;
  /** Clip table with columns clip_id and genre, for `genre` (default: genre from the clip id). */
  clipTable?: string;
  /** w2v-BERT layer (default 7). */
  layer?: number;
  /** Window length in seconds (default: 10; w2vbert 5; clap-text 15, one window per clip). */
  window?: number;
  hop?: number;
  clip?: number;
  /** Seconds of silence a short clip may be padded with (default DEFAULT_MAX_PAD_SEC). */
  maxPad?: number;
  skipShort?: boolean;
}

/** Audio file name endings the reader accepts. */
export const AUDIO_EXTENSIONS = ['.wav', '.mp3', '.flac', '.ogg', '.oga', '.opus', '.au', '.aif', '.aiff', '.m4a'];

/** Default window length of each model (seconds). */
export const DEFAULT_WINDOW: Record<string, number> = { builtin: 10, clap: 10, 'clap-text': 15, w2vbert: 5, genre: 10 };

/** Lists the audio files named by `--audio` (folders are read non-recursively, sorted by name). */
export function listAudio(inputs: string[]): string[] {
  const files: string[] = [];
  for (const p of inputs) {
    if (!existsSync(p)) fail('NOT_FOUND', `--audio ${p} does not exist.`);
    if (statSync(p).isDirectory()) {
      const inDir = readdirSync(p).filter((n) => AUDIO_EXTENSIONS.includes(extname(n).toLowerCase())).sort().map((n) => join(p, n));
      if (inDir.length === 0) fail('NOT_FOUND', `--audio ${p} holds no audio files (${AUDIO_EXTENSIONS.join(', ')}).`);
      files.push(...inDir);
    } else {
      files.push(p);
    }
  }
  return files;
}

/** `blues.00017.wav` → `blues.00017`. */
export const clipIdOf = (file: string): string => basename(file, extname(file));

/**
 * `brain2music embed`: embeds every clip's windows with one model and writes FILE.npy
 * (float32 clips × windows × dim) + FILE.json. Resumable: rerunning skips clips already embedded.
 */
export async function runEmbed(opts: EmbedOptions, ui: CliUi): Promise<EmbeddingsMeta> {
  if (!embedderNames().includes(opts.model)) fail('BAD_INPUT', `unknown --model '${opts.model}'; known models: ${embedderNames().join(', ')}.`);
  if (!opts.out.toLowerCase().endsWith('.npy')) fail('BAD_INPUT', `--out must name a .npy file, got '${opts.out}'.`);
  const files = listAudio(opts.audio);
  let clipGenres: Map<string, string> | undefined;
  if (opts.clipTable) {
    const t = readTsv(opts.clipTable);
    if (!t.columns.includes('clip_id') || !t.columns.includes('genre')) fail('BAD_FILE', `${opts.clipTable} needs columns clip_id and genre (has ${t.columns.join(', ')}).`);
    clipGenres = new Map(t.rows.map((r) => [r.clip_id, r.genre]));
  }
  // Every clip's caption is checked before the model loads, so that all missing ones are listed at once.
  if (opts.model === 'clap-text' && opts.captions) requireCaptions(readCaptionsTable(opts.captions), files.map(clipIdOf), opts.captions);
  const embedder = await createEmbedder(opts.model, {
    modelDir: opts.modelDir, allowDownload: opts.allowDownload, captions: opts.captions, layer: opts.layer, clipGenres,
  });
  const windowSec = opts.window ?? DEFAULT_WINDOW[opts.model] ?? 10;
  const clips: ClipSource[] = files.map((f) => ({
    id: clipIdOf(f),
    file: f,
    load: async (sampleRate: number) => (await readAudio(f, { sampleRate })).samples,
  }));
  const bar = ui.progress(`embed ${opts.model}`);
  try {
    const res = await embedClips({
      embedder, clips, out: resolve(opts.out), clipSec: opts.clip ?? 15, windowSec, hopSec: opts.hop ?? 1.5,
      needsAudio: opts.model !== 'genre' && opts.model !== 'clap-text', maxPadSec: opts.maxPad, skipShort: opts.skipShort,
      onProgress: (d, t) => bar.update(d, t), onWarning: (l) => ui.warn(l),
    });
    const m = res.meta;
    const nPadded = Object.keys(res.padded).length;
    ui.info(`${opts.out}: ${m.clipIds.length} clips × ${m.windowStarts.length} windows × ${m.dim} (${m.version}); embedded ${res.embedded}, reused ${res.reused}${res.skipped.length ? `, skipped ${res.skipped.length}` : ''}${nPadded ? `, padded ${nPadded} with silence (see 'padded' in the JSON)` : ''}.`);
    return m;
  } finally {
    bar.end();
    await embedder.dispose?.();
  }
}
