import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../errors.ts';
import type { Embedder, EmbedderOptions } from '../embedder.ts';
import { stack } from './clap.ts';
import { checkModelType, loadStep, resolveModelSource } from './modelFolder.ts';
import { floatOutput, type AudioFeatureExtractorLike, type ModelLike } from './transformersTypes.ts';

/** Files a w2v-BERT 2.0 folder exported for transformers.js holds (Xenova/w2v-bert-2.0 layout, fp32). */
export const W2VBERT_FILES = ['config.json', 'preprocessor_config.json', 'onnx/model.onnx'] as const;
export const W2VBERT_HUB_IDS = ['facebook/w2v-bert-2.0 (exported to ONNX, see README)', 'Xenova/w2v-bert-2.0 (last layer only)'] as const;
export const W2VBERT_DEFAULT_LAYER = 7;

/**
 * Which ONNX output holds layer `layer`'s activations: `hidden_states.<layer>` when the export
 * exposes intermediate hidden states, or `last_hidden_state` when the model's last layer *is*
 * `layer` (a model cut to `layer` layers before export, or `--layer` equal to its depth).
 * Anything else fails with UNSUPPORTED and says how to export a suitable model.
 */
export function w2vBertLayerOutput(outputNames: readonly string[], numHiddenLayers: number | null, layer: number, folder: string): string {
  const named = `hidden_states.${layer}`;
  if (outputNames.includes(named)) return named;
  if (numHiddenLayers === layer && outputNames.includes('last_hidden_state')) return 'last_hidden_state';
  return fail('UNSUPPORTED',
    `w2v-BERT model '${folder}' exposes only ${outputNames.join(', ')} (num_hidden_layers ${numHiddenLayers ?? 'unknown'}), so layer ${layer} is not available. ` +
    `Either export a model cut to ${layer} layers (set num_hidden_layers=${layer} in config.json before the ONNX export; README, "Music embeddings"), ` +
    `export with outputs hidden_states.0..N, or pass --layer ${numHiddenLayers ?? 'N'} to use the last layer.`);
}

/**
 * w2v-BERT 2.0 (`Wav2Vec2BertModel`): activations of one layer (default 7, as Brain2Music's
 * "w2v-BERT-avg"), averaged over the frames of each window (5 s at 16 kHz in the method).
 * Pre-processing is the model's own `SeamlessM4TFeatureExtractor` (80 log-mel bins, per-bin
 * normalisation, frames stacked by 2 → 160 features); frames the attention mask marks as padding
 * are left out of the average.
 */
export async function createW2vBertEmbedder(opts: EmbedderOptions): Promise<Embedder> {
  const layer = opts.layer ?? W2VBERT_DEFAULT_LAYER;
  if (!Number.isInteger(layer) || layer < 0) fail('BAD_INPUT', `--layer must be a non-negative integer, got ${layer}.`);
  const src = await resolveModelSource('w2vbert', opts.modelDir, opts.allowDownload, W2VBERT_FILES, W2VBERT_HUB_IDS);
  checkModelType(src, ['wav2vec2-bert'], 'w2v-BERT');
  const fe = await loadStep('w2v-BERT', src, 'feature extractor', () => src.tf.SeamlessM4TFeatureExtractor.from_pretrained(src.id, src.options));
  const extract = fe as unknown as AudioFeatureExtractorLike;
  const sampleRate = (fe as unknown as { config: { sampling_rate?: number } }).config.sampling_rate ?? 16000;
  const external = src.dir !== null && existsSync(join(src.dir, 'onnx', 'model.onnx_data'));
  const model = (await loadStep('w2v-BERT', src, 'model (onnx/model.onnx)', () =>
    src.tf.Wav2Vec2BertModel.from_pretrained(src.id, { ...src.options, ...(external ? { use_external_data_format: true } : {}) }))) as unknown as ModelLike;
  const config = (model as unknown as { config: { num_hidden_layers?: number; hidden_size?: number } }).config;
  const outputNames = model.sessions?.model?.outputNames ?? [];
  const output = w2vBertLayerOutput(outputNames, config.num_hidden_layers ?? null, layer, src.dir ?? src.id);
  const dim = config.hidden_size;
  if (!(typeof dim === 'number' && dim > 0)) fail('BAD_FILE', `config.json of '${src.dir ?? src.id}' has no hidden_size.`);
  return {
    name: 'w2vbert',
    version: `w2vbert:${src.id}:layer${layer}`,
    dim,
    sampleRate,
    windowSec: 5,
    async embed(windows: Float32Array[]): Promise<Float32Array> {
      const rows: Float32Array[] = [];
      for (const w of windows) {
        const inputs = await extract(w);
        const h = floatOutput(await model(inputs), output, 'the w2v-BERT model');
        rows.push(timeAverage(h.data, h.dims, inputs.attention_mask?.data));
      }
      return stack(rows, dim);
    },
    dispose: async () => { await model.dispose(); },
  };
}

/**
 * Mean over frames of a `[1, frames, dim]` activation, skipping frames whose attention-mask
 * entry is 0 (when the mask has one entry per output frame).
 */
export function timeAverage(data: Float32Array, dims: number[], mask?: Float32Array | BigInt64Array | Int32Array): Float32Array {
  const [b, frames, dim] = dims;
  if (dims.length !== 3 || b !== 1) fail('INTERNAL', `expected w2v-BERT activations of shape [1, frames, dim], got [${dims.join(', ')}].`);
  const useMask = mask !== undefined && mask.length === frames;
  const acc = new Float64Array(dim);
  let n = 0;
  for (let t = 0; t < frames; t++) {
    if (useMask && Number(mask[t]) === 0) continue;
    n++;
    for (let j = 0; j < dim; j++) acc[j] += data[t * dim + j];
  }
  return Float32Array.from(acc, (v) => (n > 0 ? v / n : 0));
}
