import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { checkModelType, loadStep, resolveModelSource } from './modelFolder.ts';
import { floatOutput, type AudioFeatureExtractorLike, type ModelLike } from './transformersTypes.ts';

/** Files of an Audio Spectrogram Transformer exported for transformers.js (Xenova layout, fp32). */
export const AST_FILES = ['config.json', 'preprocessor_config.json', 'onnx/model.onnx'] as const;
/** The AudioSet tagger this adapter targets (527 classes, mAP 0.459). */
export const AST_HUB_IDS = ['Xenova/ast-finetuned-audioset-10-10-0.4593'] as const;

/** An audio tagger: per-class probabilities of a clip (AudioSet's multi-label classes: a sigmoid each). */
export interface AudioTagger {
  /** `ast:<model folder name>`. */
  name: string;
  /** Class names in output order (the model's `id2label`). */
  labels: string[];
  sampleRate: number;
  /** Class probabilities of a clip at `sampleRate`: the mean over windows of the model's input length that cover it. */
  tag(samples: Float32Array): Promise<Float32Array>;
  dispose(): Promise<void>;
}

interface AstPreprocessorConfig {
  sampling_rate: number;
  max_length: number;
  num_mel_bins: number;
}

const TAGGER_FLAG = '--tagger (generate.tagger)';

// ASTFeatureExtractor's frames: 25 ms (400 samples at 16 kHz) every 10 ms (160), not centred
const FRAME = 400;
const HOP = 160;

/**
 * The AST AudioSet tagger (`ASTForAudioClassification`: input `input_values` [batch, 1024, 128]
 * log-mel frames, output `logits` [batch, 527]) with transformers.js's ASTFeatureExtractor. A
 * clip is cut into windows of exactly `max_length` frames (10.255 s at 16 kHz: the model's input,
 * so nothing is padded), the first at its start and the last at its end, evenly spaced between;
 * a clip shorter than one window is padded by the extractor. Its probabilities are the windows'
 * mean sigmoid outputs.
 */
export async function createAstTagger(opts: { modelDir?: string; allowDownload?: boolean }): Promise<AudioTagger> {
  const src = await resolveModelSource('AST tagger', opts.modelDir, opts.allowDownload, AST_FILES, AST_HUB_IDS, TAGGER_FLAG);
  const config = checkModelType(src, ['audio-spectrogram-transformer'], 'AST', TAGGER_FLAG);
  const fe = await loadStep('AST', src, 'feature extractor', () => src.tf.ASTFeatureExtractor.from_pretrained(src.id, src.options));
  const pre = (src.dir ? readPreprocessor(src.dir) : (fe as unknown as { config: AstPreprocessorConfig }).config);
  const extract = fe as unknown as AudioFeatureExtractorLike;
  const model = (await loadStep('AST', src, 'model (onnx/model.onnx)', () => src.tf.ASTForAudioClassification.from_pretrained(src.id, src.options))) as unknown as ModelLike;
  const id2label = ((config ?? (model as unknown as { config: Record<string, unknown> }).config).id2label ?? {}) as Record<string, string>;
  const labels = Object.keys(id2label).sort((a, b) => Number(a) - Number(b)).map((k) => id2label[k]!);
  if (labels.length === 0) {
    await model.dispose();
    fail('BAD_FILE', `${join(src.dir ?? src.id, 'config.json')} has no id2label; it is not an AST classifier's config. Download ${AST_HUB_IDS[0]}.`);
  }
  const windowSamples = FRAME + (pre.max_length - 1) * HOP;
  const tagWindow = async (w: Float32Array): Promise<Float32Array> => {
    const feats = await extract(w);
    const out = floatOutput(await model({ input_values: feats.input_values }), 'logits', 'the AST model');
    if (out.data.length !== labels.length) fail('MISMATCH', `the AST model returned ${out.data.length} logits, but config.json's id2label names ${labels.length} classes; re-download the model folder.`);
    return Float32Array.from(out.data, (z) => 1 / (1 + Math.exp(-z)));
  };
  return {
    name: `ast:${src.id.split('/').pop()}`,
    labels,
    sampleRate: pre.sampling_rate,
    async tag(samples) {
      const n = Math.max(1, Math.ceil(samples.length / windowSamples));
      const last = Math.max(0, samples.length - windowSamples);
      const mean = new Float32Array(labels.length);
      for (let k = 0; k < n; k++) {
        const start = n === 1 ? 0 : Math.round((k * last) / (n - 1));
        const p = await tagWindow(samples.subarray(start, start + windowSamples));
        for (let c = 0; c < p.length; c++) mean[c]! += p[c]! / n;
      }
      return mean;
    },
    dispose: async () => { await model.dispose(); },
  };
}

function readPreprocessor(dir: string): AstPreprocessorConfig {
  const path = join(dir, 'preprocessor_config.json');
  let cfg: AstPreprocessorConfig & { feature_extractor_type?: string };
  try {
    cfg = JSON.parse(readFileSync(path, 'utf8')) as AstPreprocessorConfig;
  } catch (err) {
    return fail('BAD_FILE', `cannot parse ${path}: ${(err as Error).message}. Re-download the AST model folder (${AST_HUB_IDS[0]}).`, err);
  }
  if (cfg.feature_extractor_type !== 'ASTFeatureExtractor' || !(cfg.sampling_rate > 0) || !(cfg.max_length > 0) || !(cfg.num_mel_bins > 0)) {
    fail('BAD_FILE', `${path} is not an ASTFeatureExtractor config (feature_extractor_type, sampling_rate, max_length, num_mel_bins); download ${AST_HUB_IDS[0]}.`);
  }
  return cfg;
}
