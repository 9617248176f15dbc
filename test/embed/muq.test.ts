import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbedder, embedderInfo } from '../../src/embed/index.ts';
import { MUQ_BLOCKS, MUQ_DIM, MUQ_PIECES, MUQ_SAMPLES, MUQ_W, writeTinyMuq } from './tinyMuq.ts';

/** The tiny audio tower in float64: the block means of |x| times W, L2-normalised. */
function expectedAudio(w: Float32Array): Float64Array {
  const x = new Float64Array(MUQ_SAMPLES);
  x.set(w);
  const per = MUQ_SAMPLES / MUQ_BLOCKS;
  const env = Array.from({ length: MUQ_BLOCKS }, (_, b) => { let s = 0; for (let i = 0; i < per; i++) s += Math.abs(x[b * per + i]!); return s / per; });
  const v = Float64Array.from({ length: MUQ_DIM }, (_, d) => env.reduce((s, e, b) => s + e * MUQ_W.audio[b * MUQ_DIM + d]!, 0));
  const n = Math.hypot(...v);
  return v.map((a) => a / n);
}

/** The tiny text tower in float64 for a list of token ids. */
function expectedText(ids: number[]): Float64Array {
  const v = Float64Array.from({ length: MUQ_DIM }, (_, d) => ids.reduce((s, id) => s + MUQ_W.text[id * MUQ_DIM + d]!, 0));
  const n = Math.hypot(...v);
  return v.map((a) => a / n);
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a, (x, i) => Math.abs(x - b[i]!)).reduce((m, x) => Math.max(m, x), 0);

test('muq: 10 s windows at 24 kHz through audio.onnx, whatever its tensors are named; a short window is zero-padded', async () => {
  assert.equal(embedderInfo('muq').defaultWindowSec, 10);
  for (const names of [undefined, { input: 'waveform', output: 'embedding' }]) {
    const e = await createEmbedder('muq', { modelDir: writeTinyMuq({ names }) });
    try {
      assert.deepEqual([e.name, e.dim, e.sampleRate, e.windowSec], ['muq', MUQ_DIM, 24000, 10]);
      const w = Float32Array.from({ length: MUQ_SAMPLES }, (_, i) => Math.sin(i / 50) * (i / MUQ_SAMPLES));
      const short = w.slice(0, MUQ_SAMPLES - 24000);
      const got = await e.embed([w, short]);
      assert.ok(maxDiff(got.subarray(0, MUQ_DIM), expectedAudio(w)) < 1e-5, 'a full window');
      assert.ok(maxDiff(got.subarray(MUQ_DIM), expectedAudio(short)) < 1e-5, 'a 9 s window, zero-padded to 10 s');
      await assert.rejects(e.embed([new Float32Array(MUQ_SAMPLES + 1)]), /longer than 240000.*--window 10/);
    } finally {
      await e.dispose?.();
    }
  }
});

test('muq-text: a caption per clip through tokenizer.json (Unigram, <s> … </s>) and text.onnx, at most 64 tokens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-muq-cap-'));
  const captions = join(dir, 'captions.tsv');
  const long = Array.from({ length: 100 }, (_, i) => (i % 2 ? 'jazz' : 'piano')).join(' ');
  writeFileSync(captions, `clip_id\tcaption\nblues.00001\tA calm jazz piano\nrock.00002\t${long}\n`);
  const e = await createEmbedder('muq-text', { modelDir: writeTinyMuq(), captions });
  try {
    assert.deepEqual([e.name, e.dim, e.windowSec], ['muq-text', MUQ_DIM, 0]);
    const got = await e.embed([new Float32Array(1), new Float32Array(1), new Float32Array(1)], { clipIds: ['blues.00001', 'rock.00002', 'blues.00001'] });
    const id = (p: string) => MUQ_PIECES.indexOf(p);
    assert.ok(maxDiff(got.subarray(0, MUQ_DIM), expectedText([0, id('▁a'), id('▁calm'), id('▁jazz'), id('▁piano'), 2])) < 1e-5, 'lower-cased, ▁-prefixed pieces between <s> and </s>');
    // 64 tokens: <s>, the first 62 words, </s>
    const truncated = [0, ...Array.from({ length: 62 }, (_, i) => id(i % 2 ? '▁jazz' : '▁piano')), 2];
    assert.ok(maxDiff(got.subarray(MUQ_DIM, 2 * MUQ_DIM), expectedText(truncated)) < 1e-5, 'a 100-word caption is cut to 64 tokens');
    assert.deepEqual(got.subarray(2 * MUQ_DIM), got.subarray(0, MUQ_DIM));
    await assert.rejects(e.embed([new Float32Array(1)], { clipIds: ['jazz.00009'] }), /jazz\.00009/);
  } finally {
    await e.dispose?.();
  }
});

test('muq and muq-text refuse a folder without their files, naming the file and the export to download', async () => {
  await assert.rejects(createEmbedder('muq', { modelDir: writeTinyMuq({ omit: 'audio.onnx' }) }), (e: Error) => /missing audio\.onnx/.test(e.message) && e.message.includes('YvanM/MuQ-MuLan-large-onnx'));
  const captions = join(mkdtempSync(join(tmpdir(), 'b2m-muq-cap-')), 'c.tsv');
  writeFileSync(captions, 'clip_id\tcaption\na\tjazz\n');
  await assert.rejects(createEmbedder('muq-text', { modelDir: writeTinyMuq({ omit: 'tokenizer.json' }), captions }), /missing tokenizer\.json/);
  await assert.rejects(createEmbedder('muq-text', { modelDir: writeTinyMuq() }), /needs a captions table/);
  await assert.rejects(createEmbedder('muq', { modelDir: '/nonexistent/muq' }), /does not exist/);
  await assert.rejects(createEmbedder('muq', {}), /needs a model folder \(--model-dir\)/);
});
