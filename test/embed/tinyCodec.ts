// A tiny codec encoder folder laid out like onnx-community/dac_16khz-ONNX (config.json with
// model_type dac, its preprocessor_config.json, onnx/encoder_model.onnx taking input_values
// [batch, 1, samples]), exported the way docs/embeddings.md says: returning the continuous
// latent frames `quantized_representation` [batch, D, frames]; or, like the published export,
// only the discrete `audio_codes`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, seededWeights } from '../helpers/onnxGraph.ts';

export const CODEC_DIM = 8;
export const CODEC_HOP = 512;
export const CODEC_RATE = 16000;
/** The encoder: one strided convolution, a latent frame per 512 samples (kernel = stride = hop). */
export const CODEC_W = seededWeights(CODEC_DIM * CODEC_HOP, 501, 0.05);

function encoder(codesOnly: boolean): Uint8Array {
  const g = new GraphBuilder();
  const latent = g.op('Conv', ['input_values', g.floatConst('w', [CODEC_DIM, 1, CODEC_HOP], CODEC_W)], { kernel_shape: [CODEC_HOP], strides: [CODEC_HOP] }, codesOnly ? undefined : 'quantized_representation');
  if (codesOnly) g.op('Cast', [g.op('Abs', [latent])], { to: 7 }, 'audio_codes');
  return g.build(
    [{ name: 'input_values', type: 'float', shape: ['batch_size', 1, 'sequence_length'] }],
    [{ name: codesOnly ? 'audio_codes' : 'quantized_representation', type: codesOnly ? 'int64' : 'float', shape: ['batch_size', codesOnly ? 'num_codebooks' : CODEC_DIM, 'frames'] }],
  );
}

export function writeTinyCodec(opts: { codesOnly?: boolean; omit?: string; modelType?: string } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'b2m-codec-')), 'tiny-dac');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'config.json': JSON.stringify({ model_type: opts.modelType ?? 'dac', architectures: ['DacModel'], hop_length: CODEC_HOP, sampling_rate: CODEC_RATE, hidden_size: CODEC_DIM }),
    'preprocessor_config.json': JSON.stringify({ feature_extractor_type: 'DacFeatureExtractor', feature_size: 1, hop_length: CODEC_HOP, padding_side: 'right', padding_value: 0, return_attention_mask: true, sampling_rate: CODEC_RATE }),
    'onnx/encoder_model.onnx': encoder(opts.codesOnly === true),
  };
  for (const [f, v] of Object.entries(files)) if (f !== opts.omit) writeFileSync(join(dir, f), v);
  return dir;
}
