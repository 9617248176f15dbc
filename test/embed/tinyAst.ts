// A tiny Audio Spectrogram Transformer folder laid out like Xenova/ast-finetuned-audioset-10-10-0.4593
// (config.json with model_type and the 527 id2label names, its preprocessor_config.json values,
// onnx/model.onnx with input `input_values` [batch, 1024, 128] and output `logits` [batch, 527]).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, seededWeights } from '../helpers/onnxGraph.ts';

export const AST_FRAMES = 1024;
export const AST_MELS = 128;
export const AST_CLASSES = 527;

/** The music classes of the shipped ontology lists (not the ones AudioSet blacklists), then filler names up to 527 classes. */
export function astLabels(): string[] {
  const lists = JSON.parse(readFileSync(new URL('../../src/evaluate/data/audiosetMusicClasses.json', import.meta.url), 'utf8')) as Record<'genre' | 'instrument' | 'mood', { classes: { name: string; restrictions?: string[] }[] }>;
  const music = [...new Set((['genre', 'instrument', 'mood'] as const).flatMap((b) => lists[b].classes.filter((c) => !c.restrictions?.includes('blacklist')).map((c) => c.name)))];
  return [...music, ...Array.from({ length: AST_CLASSES - music.length }, (_, i) => `Other sound ${i}`)];
}

/** Weights of the tiny model: logits = mean over frames of input_values · W + b. */
export const AST_W = { proj: seededWeights(AST_MELS * AST_CLASSES, 301, 1), bias: seededWeights(AST_CLASSES, 302, 0.5) };

function astModel(): Uint8Array {
  const g = new GraphBuilder();
  const mean = g.op('ReduceMean', ['input_values'], { axes: [1], keepdims: 0 });
  const z = g.op('MatMul', [mean, g.floatConst('proj', [AST_MELS, AST_CLASSES], AST_W.proj)]);
  g.op('Add', [z, g.floatConst('bias', [AST_CLASSES], AST_W.bias)], {}, 'logits');
  return g.build(
    [{ name: 'input_values', type: 'float', shape: ['batch_size', AST_FRAMES, AST_MELS] }],
    [{ name: 'logits', type: 'float', shape: ['batch_size', AST_CLASSES] }],
  );
}

/** The published preprocessor_config.json's values (ASTFeatureExtractor, AudioSet mean and std). */
export const AST_PREPROCESSOR = {
  do_normalize: true, feature_extractor_type: 'ASTFeatureExtractor', feature_size: 1, max_length: AST_FRAMES, mean: -4.2677393,
  num_mel_bins: AST_MELS, padding_side: 'right', padding_value: 0, return_attention_mask: false, sampling_rate: 16000, std: 4.5689974,
};

export function writeTinyAst(opts: { omit?: string; modelType?: string } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'b2m-ast-')), 'tiny-ast');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const labels = astLabels();
  const json = (file: string, v: object) => { if (opts.omit !== file) writeFileSync(join(dir, file), JSON.stringify(v, null, 2)); };
  json('config.json', {
    model_type: opts.modelType ?? 'audio-spectrogram-transformer', architectures: ['ASTForAudioClassification'],
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])), label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    num_mel_bins: AST_MELS, max_length: AST_FRAMES, hidden_size: 768, patch_size: 16, frequency_stride: 10, time_stride: 10,
  });
  json('preprocessor_config.json', AST_PREPROCESSOR);
  if (opts.omit !== 'onnx/model.onnx') writeFileSync(join(dir, 'onnx', 'model.onnx'), astModel());
  return dir;
}
