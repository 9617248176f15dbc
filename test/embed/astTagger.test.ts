import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAstTagger, AST_HUB_IDS } from '../../src/embed/index.ts';
import { AST_CLASSES, AST_FRAMES, AST_MELS, AST_PREPROCESSOR, AST_W, astLabels, writeTinyAst } from './tinyAst.ts';

/** 15 s of two tones at 16 kHz: a low one, then a high one (so the two windows tag differently). */
function twoTones(): Float32Array {
  const sr = 16000;
  return Float32Array.from({ length: 15 * sr }, (_, i) => 0.3 * Math.sin(2 * Math.PI * (i < 7.5 * sr ? 220 : 3000) * i / sr));
}

/** The tiny model's output computed here in float64: sigmoid(mean over frames of the features · W + b). */
async function expectedProbabilities(window: Float32Array): Promise<Float64Array> {
  const tf = await import('@huggingface/transformers');
  const fe = new tf.ASTFeatureExtractor(AST_PREPROCESSOR);
  const { input_values } = await fe(window) as { input_values: { dims: number[]; data: Float32Array } };
  assert.deepEqual(input_values.dims, [1, AST_FRAMES, AST_MELS], 'a window of the model input length fills 1024 frames without padding');
  const mean = new Float64Array(AST_MELS);
  for (let t = 0; t < AST_FRAMES; t++) for (let m = 0; m < AST_MELS; m++) mean[m]! += input_values.data[t * AST_MELS + m]! / AST_FRAMES;
  return Float64Array.from({ length: AST_CLASSES }, (_, c) => {
    let z = AST_W.bias[c]!;
    for (let m = 0; m < AST_MELS; m++) z += mean[m]! * AST_W.proj[m * AST_CLASSES + c]!;
    return 1 / (1 + Math.exp(-z));
  });
}

test('createAstTagger(folder) tags a 15 s clip as the mean of two 1024-frame windows (start and end), labels from id2label', async () => {
  const tagger = await createAstTagger({ modelDir: writeTinyAst() });
  try {
    assert.equal(tagger.name, 'ast:tiny-ast');
    assert.equal(tagger.sampleRate, 16000);
    assert.deepEqual(tagger.labels, astLabels());
    const clip = twoTones();
    const window = 400 + (AST_FRAMES - 1) * 160;
    const [a, b] = [await expectedProbabilities(clip.subarray(0, window)), await expectedProbabilities(clip.subarray(clip.length - window))];
    const got = await tagger.tag(clip);
    assert.equal(got.length, AST_CLASSES);
    let worst = 0;
    for (let c = 0; c < AST_CLASSES; c++) worst = Math.max(worst, Math.abs(got[c]! - (a[c]! + b[c]!) / 2));
    assert.ok(worst < 1e-4, `max |error| ${worst}: float32 mean of 1024 frames and a 128-term product against float64 here`);
    // a clip of exactly one window is one window; the same audio tags the same
    assert.deepEqual(await tagger.tag(clip.subarray(0, window)), await tagger.tag(clip.slice(0, window)));
  } finally {
    await tagger.dispose();
  }
});

test('createAstTagger refuses a folder without the model, without config.json, or of another model, naming the file and the model to download', async () => {
  await assert.rejects(createAstTagger({ modelDir: writeTinyAst({ omit: 'onnx/model.onnx' }) }), (e: Error) => e.message.includes('onnx/model.onnx') && e.message.includes(AST_HUB_IDS[0]) && e.message.includes('--tagger'));
  await assert.rejects(createAstTagger({ modelDir: writeTinyAst({ omit: 'config.json' }) }), /missing config\.json/);
  await assert.rejects(createAstTagger({ modelDir: writeTinyAst({ modelType: 'clap' }) }), /model_type 'clap'.*audio-spectrogram-transformer/);
  await assert.rejects(createAstTagger({ modelDir: '/nonexistent/ast' }), /does not exist/);
});
