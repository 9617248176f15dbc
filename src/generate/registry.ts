import { fail } from '../errors.ts';
import type { MusicAttributes } from './attributes.ts';
import type { CaptionChoice } from './captionGuide.ts';
import type { Generator } from './generator.ts';
import type { ParameterDecoder } from './parameterDecoder.ts';

/** The generators by name, in registry order (the first is the default of a run). */
export const GENERATOR_NAMES = ['builtin', 'musicgen'] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];

/** What a generator may be built from; each entry lists in `options` the ones it reads. */
export interface GeneratorFactoryOptions {
  /** Local model folder (MusicGen: a transformers.js export such as Xenova/musicgen-small). */
  modelDir?: string;
  /** Let transformers.js fetch missing model files from the hub (off by default). */
  allowDownload?: boolean;
  /** The embedding → musical parameters map fitted on a library with generating parameters. */
  decoder?: ParameterDecoder;
  /** Musical attributes of a decoded embedding, for generators conditioned on text (the prompt is built from them). */
  describe?: (embedding: Float32Array) => MusicAttributes | Promise<MusicAttributes>;
  /** Retrieval-guided prompting: the prompt chosen from a caption bank for a decoded embedding (replaces the attribute prompt). */
  prompt?: (embedding: Float32Array) => Promise<CaptionChoice>;
}

/** What is known of a generator before it is built: what it needs and the options it reads. */
export interface GeneratorInfo {
  create: (opts: GeneratorFactoryOptions) => Promise<Generator>;
  /** True when it learns from a library with generating parameters (its `params.json`): the `decoder` option. */
  needsParameters: boolean;
  /** True when it loads a local model folder (`modelDir`); `modelHint` says what the folder should be. */
  needsModelDir: boolean;
  modelHint?: string;
  /** The factory options it reads. */
  options: readonly (keyof GeneratorFactoryOptions)[];
}

/** Fails naming a factory option the generator needs and was not given (the job checks first, with the run's words). */
function required<T>(value: T | undefined, name: string, option: keyof GeneratorFactoryOptions): T {
  return value ?? fail('BAD_INPUT', `the ${name} generator needs the '${option}' option.`);
}

/**
 * Every generator by name. Adapters are imported lazily so that importing `generate` never loads
 * transformers.js or a SoundFont.
 */
export const GENERATORS: Readonly<Record<GeneratorName, GeneratorInfo>> = {
  builtin: {
    create: async (o) => (await import('./adapters/builtin.ts')).createBuiltinGenerator({ decoder: required(o.decoder, 'builtin', 'decoder') }),
    needsParameters: true, needsModelDir: false, options: ['decoder'],
  },
  musicgen: {
    create: async (o) => (await import('./adapters/musicgen.ts')).createMusicgenGenerator({
      modelDir: required(o.modelDir, 'musicgen', 'modelDir'), describe: required(o.describe, 'musicgen', 'describe'), allowDownload: o.allowDownload, prompt: o.prompt,
    }),
    needsParameters: false, needsModelDir: true, modelHint: 'a download of Xenova/musicgen-small', options: ['modelDir', 'allowDownload', 'describe', 'prompt'],
  },
};

/** The registry entry of `name`, or BAD_INPUT listing the known names. */
export function generatorInfo(name: string): GeneratorInfo {
  const info = Object.hasOwn(GENERATORS, name) ? GENERATORS[name as GeneratorName] : undefined;
  return info ?? fail('BAD_INPUT', `unknown generator '${name}'; known generators: ${GENERATOR_NAMES.join(', ')}.`);
}

/**
 * Builds the generator registered under `name`.
 * @throws Brain2MusicError BAD_INPUT for an unknown name (listing the known ones) or a missing
 *   needed option; NOT_FOUND / BAD_FILE from adapters whose model folder is missing or incomplete.
 * @example const g = await createGenerator('builtin', { decoder }); const [clip] = await g.generate(e, DEFAULT_GENERATION);
 */
export async function createGenerator(name: string, opts: GeneratorFactoryOptions = {}): Promise<Generator> {
  return generatorInfo(name).create(opts);
}
