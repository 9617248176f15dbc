import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { captionWindows, textTowerCaptions } from '../captionsTable.ts';
import type { Embedder, EmbedderOptions } from '../embedder.ts';
import { checkModelType, loadStep, resolveModelSource, type ModelSource } from './modelFolder.ts';
import { floatOutput, type AudioFeatureExtractorLike, type ModelLike, type TokenizerLike } from './transformersTypes.ts';

/** Files a CLAP folder exported for transformers.js holds (Xenova/clap-htsat-unfused layout, fp32). */
export const CLAP_AUDIO_FILES = ['config.json', 'preprocessor_config.json', 'onnx/audio_model.onnx'] as const;
export const CLAP_TEXT_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/text_model.onnx'] as const;
/** Real exported models this adapter targets. */
export const CLAP_HUB_IDS = ['Xenova/larger_clap_music_and_speech', 'Xenova/clap-htsat-unfused'] as const;

interface ClapPreprocessorConfig {
  sampling_rate: number;
  nb_max_samples: number;
  truncation?: string;
}

function preprocessorConfig(src: ModelSource): ClapPreprocessorConfig | null {
  if (!src.dir) return null;
  const path = join(src.dir, 'preprocessor_config.json');
  let cfg: ClapPreprocessorConfig;
  try {
    cfg = JSON.parse(readFileSync(path, 'utf8')) as ClapPreprocessorConfig;
  } catch (err) {
    return fail('BAD_FILE', `cannot parse ${path}: ${(err as Error).message}. Re-download the CLAP model folder.`, err);
  }
  if (!(cfg.sampling_rate > 0) || !(cfg.nb_max_samples > 0)) {
    fail('BAD_FILE', `${path} lacks sampling_rate / nb_max_samples; it is not a CLAP preprocessor config.`);
  }
  if (cfg.truncation === 'fusion') {
    fail('UNSUPPORTED', `${path} is a fused CLAP (truncation 'fusion'), which transformers.js cannot pre-process; use an unfused model such as ${CLAP_HUB_IDS.join(' or ')}.`);
  }
  return cfg;
}

/**
 * CLAP's audio tower (`ClapAudioModelWithProjection`, output `audio_embeds`) on exact windows.
 * The feature extractor crops audio longer than `nb_max_samples` (10 s × 48 kHz = 480000) at a
 * random offset (`truncation: rand_trunc`), so this adapter only accepts windows of at most
 * `nb_max_samples` samples and the CLI cuts exactly 10 s at 48 kHz: no crop, no padding, the same
 * audio gives the same vector. A shorter window is padded by CLAP's own rule (`repeatpad`),
 * deterministically. Output: the model's `audio_embeds` as exported (512-d for the public CLAPs).
 */
export async function createClapAudioEmbedder(opts: EmbedderOptions): Promise<Embedder> {
  const src = await resolveModelSource('clap', opts.modelDir, opts.allowDownload, CLAP_AUDIO_FILES, CLAP_HUB_IDS);
  checkModelType(src, ['clap'], 'CLAP');
  const local = preprocessorConfig(src);
  const fe = await loadStep('CLAP', src, 'feature extractor', () => src.tf.ClapFeatureExtractor.from_pretrained(src.id, src.options));
  const cfg = (local ?? (fe as unknown as { config: ClapPreprocessorConfig }).config);
  const extract = fe as unknown as AudioFeatureExtractorLike;
  const model = (await loadStep('CLAP', src, 'audio model (onnx/audio_model.onnx)', () =>
    src.tf.ClapAudioModelWithProjection.from_pretrained(src.id, src.options))) as unknown as ModelLike;
  const maxSamples = cfg.nb_max_samples;
  const embedOne = async (w: Float32Array): Promise<Float32Array> => {
    const feats = await extract(w);
    const out = floatOutput(await model({ input_features: feats.input_features }), 'audio_embeds', 'the CLAP audio model');
    return out.data.slice(0, out.dims[out.dims.length - 1]);
  };
  // The dimension: config.projection_dim, else one silent window through the model.
  const dim = projectionDim(model) ?? (await embedOne(new Float32Array(maxSamples))).length;
  return {
    name: 'clap',
    version: `clap:${src.id}`,
    dim,
    sampleRate: cfg.sampling_rate,
    windowSec: maxSamples / cfg.sampling_rate,
    async embed(windows: Float32Array[]): Promise<Float32Array> {
      const rows: Float32Array[] = [];
      for (const w of windows) {
        if (w.length > maxSamples) {
          fail('BAD_INPUT', `CLAP window of ${w.length} samples is longer than ${maxSamples} (${maxSamples / cfg.sampling_rate} s at ${cfg.sampling_rate} Hz); transformers.js would crop it at random. Use --window ${maxSamples / cfg.sampling_rate} or shorter.`);
        }
        rows.push(await embedOne(w));
      }
      return stack(rows, dim);
    },
    dispose: async () => { await model.dispose(); },
  };
}

/**
 * CLAP's text tower (`ClapTextModelWithProjection`, output `text_embeds`) on one caption per clip,
 * read with {@link readCaptionsTable}: a TSV (`clip_id`, `caption`) or the Brain2Music captions
 * CSV (`ID`, `DescEN`): the open stand-in for "MuLan-text". Every window of a clip gets its
 * clip's caption embedding (use `--window 15` for one per clip).
 */
export async function createClapTextEmbedder(opts: EmbedderOptions): Promise<Embedder> {
  const table = textTowerCaptions('clap-text', opts.captions);
  const src = await resolveModelSource('clap-text', opts.modelDir, opts.allowDownload, CLAP_TEXT_FILES, CLAP_HUB_IDS);
  checkModelType(src, ['clap'], 'CLAP');
  const tokenizer = (await loadStep('CLAP', src, 'tokenizer', () => src.tf.AutoTokenizer.from_pretrained(src.id, src.options))) as unknown as TokenizerLike;
  const model = (await loadStep('CLAP', src, 'text model (onnx/text_model.onnx)', () =>
    src.tf.ClapTextModelWithProjection.from_pretrained(src.id, src.options))) as unknown as ModelLike;
  const embedTexts = async (texts: string[]): Promise<{ d: number; data: Float32Array }> => {
    const out = floatOutput(await model(tokenizer(texts, { padding: true, truncation: true })), 'text_embeds', 'the CLAP text model');
    return { d: out.dims[out.dims.length - 1], data: out.data };
  };
  const dim = projectionDim(model) ?? (await embedTexts(['music'])).d;
  return {
    name: 'clap-text',
    version: `clap-text:${src.id}`,
    dim,
    sampleRate: 48000,
    windowSec: 0,
    embed: captionWindows('clap-text', table, dim, async (texts) => {
      const { d, data } = await embedTexts(texts);
      return texts.map((_, i) => data.slice(i * d, (i + 1) * d));
    }),
    dispose: async () => { await model.dispose(); },
  };
}

/** `config.projection_dim` of a loaded CLAP model, if stated. */
function projectionDim(model: ModelLike): number | null {
  const d = (model as unknown as { config?: { projection_dim?: unknown } }).config?.projection_dim;
  return typeof d === 'number' && d > 0 ? d : null;
}

/** Stacks rows of `dim` values into one `n × dim` array. */
export function stack(rows: Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    if (r.length !== dim) fail('MISMATCH', `the model returned ${r.length} values for a window, but its config states ${dim}; check the model folder's config.json (projection_dim / hidden_size).`);
    out.set(r, i * dim);
  });
  return out;
}
