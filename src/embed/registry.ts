import { fail } from '../errors.ts';
import type { Embedder, EmbedderOptions } from './embedder.ts';

/** An async factory that builds an embedder from options (model folders are read at call time). */
export type EmbedderFactory = (opts: EmbedderOptions) => Promise<Embedder>;

/**
 * Every embedder by name. Adapters are imported lazily so that importing `embed` never loads
 * onnxruntime or a model.
 */
export const EMBEDDERS: Readonly<Record<string, EmbedderFactory>> = {
  builtin: async () => (await import('./builtin/builtinEmbedder.ts')).createBuiltinEmbedder(),
  clap: async (o) => (await import('./adapters/clap.ts')).createClapAudioEmbedder(o),
  'clap-text': async (o) => (await import('./adapters/clap.ts')).createClapTextEmbedder(o),
  w2vbert: async (o) => (await import('./adapters/w2vbert.ts')).createW2vBertEmbedder(o),
  genre: async (o) => (await import('./adapters/genre.ts')).createGenreEmbedder({ genres: o.genres, clipGenres: o.clipGenres }),
};

/** Names accepted by {@link createEmbedder}, in registry order. */
export const embedderNames = (): string[] => Object.keys(EMBEDDERS);

/**
 * Builds the embedder registered under `name`.
 * @throws Brain2MusicError BAD_INPUT for an unknown name (the message lists the known names);
 *   NOT_FOUND / BAD_FILE from adapters whose model folder is missing or incomplete.
 * @example const e = await createEmbedder('builtin'); const v = await e.embed([window]); // v.length === e.dim
 */
export async function createEmbedder(name: string, opts: EmbedderOptions = {}): Promise<Embedder> {
  const factory = Object.hasOwn(EMBEDDERS, name) ? EMBEDDERS[name] : undefined;
  if (!factory) fail('BAD_INPUT', `unknown embedding model '${name}'; known models: ${embedderNames().join(', ')}.`);
  return factory(opts);
}
