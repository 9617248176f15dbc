import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmbedder, embedderInfo } from '../../src/embed/index.ts';
import { CODEC_DIM, CODEC_HOP, CODEC_RATE, CODEC_W, writeTinyCodec } from './tinyCodec.ts';

/** The tiny encoder's latent frames averaged, in float64. */
function expected(w: Float32Array): Float64Array {
  const frames = Math.floor(w.length / CODEC_HOP);
  return Float64Array.from({ length: CODEC_DIM }, (_, d) => {
    let s = 0;
    for (let f = 0; f < frames; f++) for (let k = 0; k < CODEC_HOP; k++) s += CODEC_W[d * CODEC_HOP + k]! * w[f * CODEC_HOP + k]!;
    return s / frames;
  });
}

test('codec: the encoder\'s latent frames averaged over each 1.5 s window (SoundStream-avg\'s stand-in)', async () => {
  assert.equal(embedderInfo('codec').defaultWindowSec, 1.5);
  const e = await createEmbedder('codec', { modelDir: writeTinyCodec() });
  try {
    assert.deepEqual([e.name, e.dim, e.sampleRate, e.windowSec], ['codec', CODEC_DIM, CODEC_RATE, 1.5]);
    assert.equal(e.version, 'codec:dac:tiny-dac');
    const w = Float32Array.from({ length: 1.5 * CODEC_RATE }, (_, i) => Math.sin(i / 7) + 0.3 * Math.sin(i / 61));
    const v = Float32Array.from({ length: 1.5 * CODEC_RATE }, (_, i) => Math.cos(i / 3));
    const got = await e.embed([w, v]);
    for (const [k, x] of [w, v].entries()) {
      const want = expected(x);
      for (let d = 0; d < CODEC_DIM; d++) assert.ok(Math.abs(got[k * CODEC_DIM + d]! - want[d]!) < 1e-4, `window ${k}, dim ${d}: ${got[k * CODEC_DIM + d]} vs ${want[d]}`);
    }
  } finally {
    await e.dispose?.();
  }
});

test('codec refuses the published codes-only export, a folder without its files, or another model, saying what to do', async () => {
  await assert.rejects(createEmbedder('codec', { modelDir: writeTinyCodec({ codesOnly: true }) }), (e: Error & { code?: string }) => e.code === 'UNSUPPORTED' && /audio_codes \(int64/.test(e.message) && /docs\/embeddings\.md/.test(e.message));
  await assert.rejects(createEmbedder('codec', { modelDir: writeTinyCodec({ omit: 'onnx/encoder_model.onnx' }) }), (e: Error) => /missing onnx\/encoder_model\.onnx/.test(e.message) && e.message.includes('onnx-community/dac_44khz-ONNX'));
  await assert.rejects(createEmbedder('codec', { modelDir: writeTinyCodec({ modelType: 'clap' }) }), /model_type 'clap'/);
  await assert.rejects(createEmbedder('codec', {}), /needs a model folder/);
});
