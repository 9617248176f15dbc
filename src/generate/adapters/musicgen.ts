import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Brain2MusicError } from '../../errors.ts';
import { threadBudget } from '../../threads.ts';
import { promptFromAttributes, type MusicAttributes } from '../attributes.ts';
import type { CaptionChoice } from '../captionGuide.ts';
import type { GeneratedClip, GenerationOptions, Generator } from '../generator.ts';

/** Files a MusicGen folder exported for transformers.js must hold (Xenova/musicgen-small layout, fp32). */
export const MUSICGEN_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/text_encoder.onnx',
  'onnx/decoder_model_merged.onnx',
  'onnx/encodec_decode.onnx',
];

export interface MusicgenOptions {
  /** Local model folder, e.g. a download of Xenova/musicgen-small. */
  modelDir: string;
  /** Let transformers.js fetch missing files from the Hugging Face hub (off by default). */
  allowDownload?: boolean;
  /** Reads musical attributes off a decoded embedding; the text prompt is built from them. */
  describe: (embedding: Float32Array) => MusicAttributes | Promise<MusicAttributes>;
  /** Retrieval-guided prompting: the caption-bank prompt of an embedding, used instead of the attribute prompt. */
  prompt?: (embedding: Float32Array) => Promise<CaptionChoice>;
  /** Classifier-free guidance scale (MusicGen's default is 3). */
  guidanceScale?: number;
}

/** Checks the folder before loading, so a wrong path fails with the list of expected files. */
export function checkMusicgenFolder(modelDir: string): void {
  const missing = MUSICGEN_FILES.filter((f) => !existsSync(join(modelDir, f)));
  if (missing.length > 0) {
    throw new Brain2MusicError(
      'NOT_FOUND',
      `MusicGen model folder '${modelDir}' is missing ${missing.join(', ')}. ` +
        `Expected a transformers.js export such as Xenova/musicgen-small with files: ${MUSICGEN_FILES.join(', ')}. ` +
        `Download it on a connected machine (see README, "Generation") and pass its path with --model-dir.`,
    );
  }
}

/**
 * MusicGen through @huggingface/transformers: the decoded embedding becomes a text prompt
 * (genre, tempo, key, instruments, energy read off the embedding), and MusicGen renders it.
 * Each sample seeds transformers.js' sampler with `seed + k`, so outputs are reproducible.
 */
export async function createMusicgenGenerator(opts: MusicgenOptions): Promise<Generator> {
  const dir = resolve(opts.modelDir);
  if (!opts.allowDownload) checkMusicgenFolder(dir);
  const tf = await import('@huggingface/transformers');
  tf.env.allowRemoteModels = opts.allowDownload === true;
  tf.env.allowLocalModels = true;
  tf.env.localModelPath = dirname(dir) + '/';
  const id = basename(dir);
  let tokenizer;
  let model;
  try {
    tokenizer = await tf.AutoTokenizer.from_pretrained(id, { local_files_only: !opts.allowDownload });
    model = await tf.MusicgenForConditionalGeneration.from_pretrained(id, { dtype: 'fp32', local_files_only: !opts.allowDownload, session_options: { intraOpNumThreads: threadBudget() } });
  } catch (err) {
    throw new Brain2MusicError('BAD_FILE', `Could not load MusicGen from '${dir}': ${(err as Error).message}`, { cause: err });
  }
  const config = model.config as unknown as { audio_encoder: { sampling_rate: number; frame_rate?: number } };
  const sampleRate = config.audio_encoder.sampling_rate;
  // EnCodec at 32 kHz emits 50 frames per second; a config may state it.
  const frameRate = config.audio_encoder.frame_rate ?? 50;
  const guidanceScale = opts.guidanceScale ?? 3;

  return {
    name: 'musicgen',
    async generate(embedding: Float32Array, o: GenerationOptions): Promise<GeneratedClip[]> {
      const guided = opts.prompt ? await opts.prompt(embedding) : undefined;
      const attributes = guided ? undefined : await opts.describe(embedding);
      const prompt = guided ? guided.prompt : promptFromAttributes(attributes!);
      const inputs = tokenizer(prompt);
      const out: GeneratedClip[] = [];
      for (let k = 0; k < o.samples; k++) {
        tf.random.seed(o.seed + k);
        const audio = (await model.generate({
          ...inputs,
          max_new_tokens: Math.max(1, Math.round(o.durationSec * frameRate)),
          do_sample: o.temperature > 0,
          temperature: o.temperature > 0 ? o.temperature : 1,
          guidance_scale: guidanceScale,
        })) as InstanceType<typeof tf.Tensor>;
        out.push({
          samples: Float32Array.from(audio.data as Float32Array),
          sampleRate,
          conditioning: { generator: 'musicgen', prompt, ...(guided ? { captions: guided.captions } : { attributes }), seed: o.seed + k, temperature: o.temperature, guidanceScale },
        });
      }
      return out;
    },
  };
}
