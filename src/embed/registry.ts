import { fail } from '../errors.ts';
import type { Embedder, EmbedderOptions } from './embedder.ts';

/** An async factory that builds an embedder from options (model folders are read at call time). */
export type EmbedderFactory = (opts: EmbedderOptions) => Promise<Embedder>;

/** What is known of a model before it is loaded: its defaults and what it reads. */
export interface EmbedderInfo {
  create: EmbedderFactory;
  /** Window length (s) used when none is given: the model's own input length. */
  defaultWindowSec: number;
  /** False for models whose vectors come from clip ids or captions (the audio is never read). */
  needsAudio: boolean;
  /** The options it reads beyond `modelDir`/`allowDownload`. */
  options: readonly ('captions' | 'layer' | 'clipGenres')[];
  /** A joint music/text model's text tower (same model folder): its vectors share this model's space. */
  textTower?: string;
}

/**
 * Every embedder by name, with its defaults. Adapters are imported lazily so that importing
 * `embed` never loads onnxruntime or a model.
 */
export const EMBEDDERS: Readonly<Record<string, EmbedderInfo>> = {
  // on the thread budget's cores: each call's windows split between worker threads
  builtin: { create: async () => (await import('./builtin/parallelBuiltinEmbedder.ts')).createParallelBuiltinEmbedder(), defaultWindowSec: 10, needsAudio: true, options: [] },
  clap: { create: async (o) => (await import('./adapters/clap.ts')).createClapAudioEmbedder(o), defaultWindowSec: 10, needsAudio: true, options: [], textTower: 'clap-text' },
  // one window over the whole 15 s clip: a caption describes the clip, not a part of it
  'clap-text': { create: async (o) => (await import('./adapters/clap.ts')).createClapTextEmbedder(o), defaultWindowSec: 15, needsAudio: false, options: ['captions'] },
  // MuQ-MuLan's towers from an ONNX export (onnxruntime-node, not transformers.js): 10 s at 24 kHz; a caption per clip
  muq: { create: async (o) => (await import('./adapters/muq.ts')).createMuqAudioEmbedder(o), defaultWindowSec: 10, needsAudio: true, options: [], textTower: 'muq-text' },
  'muq-text': { create: async (o) => (await import('./adapters/muq.ts')).createMuqTextEmbedder(o), defaultWindowSec: 15, needsAudio: false, options: ['captions'] },
  // a neural codec's latent frames averaged over 1.5 s windows (10 per clip): the open stand-in for SoundStream-avg
  codec: { create: async (o) => (await import('./adapters/codec.ts')).createCodecEmbedder(o), defaultWindowSec: 1.5, needsAudio: true, options: [] },
  w2vbert: { create: async (o) => (await import('./adapters/w2vbert.ts')).createW2vBertEmbedder(o), defaultWindowSec: 5, needsAudio: true, options: ['layer'] },
  genre: { create: async (o) => (await import('./adapters/genre.ts')).createGenreEmbedder({ genres: o.genres, clipGenres: o.clipGenres }), defaultWindowSec: 10, needsAudio: false, options: ['clipGenres'] },
};

/** The registry entry of `name`, or BAD_INPUT listing the known names. */
export function embedderInfo(name: string): EmbedderInfo {
  const info = Object.hasOwn(EMBEDDERS, name) ? EMBEDDERS[name] : undefined;
  return info ?? fail('BAD_INPUT', `unknown embedding model '${name}'; known models: ${embedderNames().join(', ')}.`);
}

/** Names accepted by {@link createEmbedder}, in registry order. */
export const embedderNames = (): string[] => Object.keys(EMBEDDERS);

/**
 * Builds the embedder registered under `name`.
 * @throws Brain2MusicError BAD_INPUT for an unknown name (the message lists the known names);
 *   NOT_FOUND / BAD_FILE from adapters whose model folder is missing or incomplete.
 * @example const e = await createEmbedder('builtin'); const v = await e.embed([window]); // v.length === e.dim
 */
export async function createEmbedder(name: string, opts: EmbedderOptions = {}): Promise<Embedder> {
  return embedderInfo(name).create(opts);
}
