import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClapFeatureExtractor, SeamlessM4TFeatureExtractor } from '@huggingface/transformers';
import { createEmbedder } from '../../src/embed/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { CAPTION_WORDS, CLAP_DIM, CLAP_MELS, W, W2V_FEATURES, W2V_HIDDEN, writeTinyClap, writeTinyW2vBert } from './tinyModels.ts';

function tone(sec: number, sr: number, f: number, seed = 1): Float32Array {
  const x = new Float32Array(Math.round(sec * sr));
  for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * f * i) / sr) + 0.05 * Math.sin(seed * i * 0.001);
  return x;
}

const isCode = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);

test('createEmbedder("clap") embeds exact 10 s windows at 48 kHz: W·mean(log-mel) of the whole window, no crop', async () => {
  const dir = writeTinyClap();
  const e = await createEmbedder('clap', { modelDir: dir });
  assert.deepEqual([e.dim, e.sampleRate, e.windowSec], [CLAP_DIM, 48000, 10]);
  const w1 = tone(10, 48000, 440);
  const w2 = tone(10, 48000, 3000, 7);
  const out = await e.embed([w1, w2]);
  assert.equal(out.length, 2 * CLAP_DIM);
  // Independent reference: CLAP's own feature extractor on the full window, then the tiny model's maths.
  const fe = new ClapFeatureExtractor(JSON.parse((await import('node:fs')).readFileSync(join(dir, 'preprocessor_config.json'), 'utf8')));
  for (const [k, w] of [w1, w2].entries()) {
    const { input_features } = await fe._call(w);
    assert.deepEqual(input_features.dims, [1, 1, 1001, CLAP_MELS]);
    const feats = input_features.data as Float32Array;
    const mean = new Float64Array(CLAP_MELS);
    for (let i = 0; i < feats.length; i++) mean[i % CLAP_MELS] += feats[i] / 1001;
    for (let d = 0; d < CLAP_DIM; d++) {
      let v = 0;
      for (let m = 0; m < CLAP_MELS; m++) v += mean[m] * W.clapAudio[m * CLAP_DIM + d];
      assert.ok(Math.abs(out[k * CLAP_DIM + d] - v) < 1e-3 * Math.max(1, Math.abs(v)), `window ${k} dim ${d}: ${out[k * CLAP_DIM + d]} vs ${v}`);
    }
  }
  // Deterministic: the same windows give the same bytes.
  assert.deepEqual(await e.embed([w1, w2]), out);
  assert.notDeepEqual(Array.from(out.subarray(0, CLAP_DIM)), Array.from(out.subarray(CLAP_DIM)));
  // A window longer than 10 s would be cropped at random by transformers.js: refused.
  await assert.rejects(e.embed([tone(10.5, 48000, 440)]), isCode('BAD_INPUT', /crop it at random/));
  await e.dispose?.();
});

test('createEmbedder("clap") on a missing or incomplete folder names the expected files', async () => {
  await assert.rejects(createEmbedder('clap', { modelDir: '/no/such/clap' }), isCode('NOT_FOUND', /does not exist.*config\.json, preprocessor_config\.json, onnx\/audio_model\.onnx.*Xenova\/larger_clap_music_and_speech/));
  const dir = writeTinyClap({ omit: 'onnx/audio_model.onnx' });
  await assert.rejects(createEmbedder('clap', { modelDir: dir }), isCode('NOT_FOUND', /is missing onnx\/audio_model\.onnx/));
  await assert.rejects(createEmbedder('clap'), isCode('BAD_INPUT', /--model-dir/));
  const fused = writeTinyClap({ truncation: 'fusion' });
  await assert.rejects(createEmbedder('clap', { modelDir: fused }), isCode('UNSUPPORTED', /fused CLAP/));
  const w2v = writeTinyW2vBert({ layers: 7, exposeLayer: false });
  writeFileSync(join(w2v, 'onnx', 'audio_model.onnx'), '');
  await assert.rejects(createEmbedder('clap', { modelDir: w2v }), isCode('MISMATCH', /model_type 'wav2vec2-bert'.*needs clap/));
});

test('createEmbedder("clap-text") embeds each clip\'s caption from captions.tsv, repeated per window', async () => {
  const dir = writeTinyClap();
  const tsv = join(dir, 'captions.tsv');
  writeFileSync(tsv, 'clip_id\tcaption\njazz.00001\tA calm jazz piano\nrock.00002\tloud rock guitar song\n');
  const e = await createEmbedder('clap-text', { modelDir: dir, captions: tsv });
  assert.equal(e.dim, CLAP_DIM);
  const w = new Float32Array(1);
  const out = await e.embed([w, w, w], { clipIds: ['jazz.00001', 'rock.00002', 'jazz.00001'] });
  // Reference: the tiny text model sums the embedding rows of <s> words… </s>.
  const expected = (caption: string) => {
    const ids = [0, ...caption.toLowerCase().split(' ').map((t) => CAPTION_WORDS.indexOf(t)), 2];
    return Array.from({ length: CLAP_DIM }, (_, d) => ids.reduce((s, id) => s + W.clapText[id * CLAP_DIM + d], 0));
  };
  const rows = [0, 1, 2].map((i) => Array.from(out.subarray(i * CLAP_DIM, (i + 1) * CLAP_DIM)));
  const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-5);
  assert.ok(close(rows[0], expected('A calm jazz piano')), `${rows[0]} vs ${expected('A calm jazz piano')}`);
  assert.ok(close(rows[1], expected('loud rock guitar song')));
  assert.deepEqual(rows[2], rows[0]);
  await assert.rejects(e.embed([w], { clipIds: ['pop.00003'] }), isCode('NOT_FOUND', /no caption for 1 of 1 clips: pop\.00003/));
  await assert.rejects(createEmbedder('clap-text', { modelDir: dir }), isCode('BAD_INPUT', /--captions/));
  rmSync(tsv);
});

test('createEmbedder("clap-text", { captions: the Brain2Music CSV }) embeds DescEN per clip; disco.000011_15s serves disco.00011', async () => {
  const dir = writeTinyClap();
  const csv = fileURLToPath(new URL('../fixtures/brain2music-captions/brain2music-captions.csv', import.meta.url));
  const e = await createEmbedder('clap-text', { modelDir: dir, captions: csv });
  const out = await e.embed([new Float32Array(1), new Float32Array(1)], { clipIds: ['disco.00011', 'classical.00037'] });
  // Reference: the tokenizer's Whitespace rule (\w+|[^\w\s]+) on the lower-cased text, unknown words → <unk> (3),
  // then the tiny model's sum of embedding rows of <s> tokens… </s>.
  const expected = (caption: string) => {
    const ids = [0, ...(caption.toLowerCase().match(/\w+|[^\w\s]+/g) ?? []).map((t) => Math.max(3, CAPTION_WORDS.indexOf(t))), 2];
    return Array.from({ length: CLAP_DIM }, (_, d) => ids.reduce((s, id) => s + W.clapText[id * CLAP_DIM + d], 0));
  };
  const close = (a: Float32Array, b: number[]) => b.every((v, i) => Math.abs(a[i] - v) < 1e-5);
  assert.ok(close(out.subarray(0, CLAP_DIM), expected('Funky disco with a four-on-the-floor beat and bright brass')));
  assert.ok(close(out.subarray(CLAP_DIM), expected('Strings and a piano in a quiet, slow movement.\nCalm and elegant.')));
  await assert.rejects(e.embed([new Float32Array(1)], { clipIds: ['disco.000011'] }), isCode('NOT_FOUND', /has no caption for 1 of 1 clips: disco\.000011/));
});

async function w2vReference(dir: string, w: Float32Array): Promise<number[]> {
  const cfg = JSON.parse((await import('node:fs')).readFileSync(join(dir, 'preprocessor_config.json'), 'utf8'));
  const fe = new SeamlessM4TFeatureExtractor(cfg);
  const { input_features } = await fe._call(w);
  const [, frames, nf] = input_features.dims;
  assert.equal(nf, W2V_FEATURES);
  const x = input_features.data as Float32Array;
  const acc = new Float64Array(W2V_HIDDEN);
  for (let t = 0; t < frames; t++) {
    for (let h = 0; h < W2V_HIDDEN; h++) {
      let v = 0;
      for (let i = 0; i < nf; i++) v += x[t * nf + i] * W.w2v1[i * W2V_HIDDEN + h];
      acc[h] += Math.tanh(v) / frames;
    }
  }
  return Array.from(acc);
}

test('createEmbedder("w2vbert") averages the hidden_states.7 output over each 5 s window at 16 kHz', async () => {
  const dir = writeTinyW2vBert({ layers: 24, exposeLayer: true });
  const e = await createEmbedder('w2vbert', { modelDir: dir });
  assert.deepEqual([e.dim, e.sampleRate, e.windowSec], [W2V_HIDDEN, 16000, 5]);
  const w1 = tone(5, 16000, 220);
  const w2 = tone(5, 16000, 1760, 3);
  const out = await e.embed([w1, w2]);
  for (const [k, w] of [w1, w2].entries()) {
    const ref = await w2vReference(dir, w);
    const got = Array.from(out.subarray(k * W2V_HIDDEN, (k + 1) * W2V_HIDDEN));
    assert.ok(got.every((v, i) => Math.abs(v - ref[i]) < 1e-4), `window ${k}: ${got} vs ${ref}`);
  }
  assert.match(e.version, /layer7/);
});

test('createEmbedder("w2vbert") uses last_hidden_state of a model cut to 7 layers, and refuses a full model without hidden states', async () => {
  const cut = writeTinyW2vBert({ layers: 7, exposeLayer: false });
  const e = await createEmbedder('w2vbert', { modelDir: cut });
  const w = tone(5, 16000, 330);
  const got = Array.from(await e.embed([w]));
  const ref = await w2vReference(cut, w);
  assert.ok(got.every((v, i) => Math.abs(v - ref[i]) < 1e-4));
  const full = writeTinyW2vBert({ layers: 24, exposeLayer: false });
  await assert.rejects(createEmbedder('w2vbert', { modelDir: full }), isCode('UNSUPPORTED', /layer 7 is not available.*num_hidden_layers=7.*--layer 24/));
  const last = await createEmbedder('w2vbert', { modelDir: full, layer: 24 });
  assert.equal(last.dim, W2V_HIDDEN);
  await assert.rejects(createEmbedder('w2vbert', { modelDir: writeTinyClap() }), isCode('NOT_FOUND', /onnx\/model\.onnx/));
});
