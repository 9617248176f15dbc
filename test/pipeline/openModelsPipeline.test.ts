// MuQ-MuLan's towers (tiny ONNX folders shaped like YvanM/MuQ-MuLan-large-onnx) and a codec
// encoder (shaped like onnx-community/dac_16khz-ONNX, exported with its latents) through the
// pipeline configuration and through the CLI: embed, decode and encode with each of them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '../../src/bids/index.ts';
import { parseRunConfig, type DecodeMetrics, type RunConfig, type StageOutcome } from '../../src/pipeline/index.ts';
import { runConfigured } from '../../src/cli/commands/run.ts';
import { runDecode } from '../../src/cli/commands/decode.ts';
import { runEmbed } from '../../src/cli/commands/embed.ts';
import { runEncode } from '../../src/cli/commands/encode.ts';
import { runSimulate } from '../../src/cli/commands/simulate.ts';
import { silentUi } from '../../src/cli/ui.ts';
import type { EncodingSummary } from '../../src/encode/index.ts';
import { writeTinyMuq } from '../embed/tinyMuq.ts';
import { writeTinyCodec } from '../embed/tinyCodec.ts';

const root = mkdtempSync(join(tmpdir(), 'b2m-muq-run-'));
const bids = join(root, 'dataset');
const captions = join(root, 'captions.tsv');
const modelDir = writeTinyMuq();
const codecDir = writeTinyCodec();
let config: RunConfig;
let outcomes: StageOutcome[];
const json = <T>(rel: string): T => JSON.parse(readFileSync(join(config.out, rel), 'utf8')) as T;

before(async () => {
  await runSimulate({ out: bids, preset: 'demo', subjects: 1, genres: ['blues', 'jazz', 'metal', 'rock'], trainPerGenre: 4, testPerGenre: 2, voxels: 700, library: 0, snr: { auditory: 4, higher: 2, informativeFraction: 0.9 } }, silentUi);
  // the tiny tokenizer knows these genre words
  writeFileSync(captions, 'clip_id\tcaption\n' + openDataset(bids).clips.map((c) => `${c.id}\ta ${c.genre} song`).join('\n') + '\n');
  config = parseRunConfig({
    out: join(root, 'run'), dataset: { bids }, captions,
    embeddings: [{ name: 'muq', modelDir }, { name: 'muq-text', modelDir }, { name: 'codec', modelDir: codecDir }],
    decode: { target: 'muq' }, library: null, generate: null, encode: { null: 'gaussian' }, report: false,
  }, 'muq.json', root);
  outcomes = (await runConfigured(config, undefined, silentUi)).outcomes;
});

test('pipeline configuration: muq, muq-text and codec embed the stimuli, muq is decoded, all three are encoded', () => {
  const status = Object.fromEntries(outcomes.map((o) => [o.name, o.status]));
  for (const s of ['embed', 'decode', 'encode', 'evaluate'] as const) assert.equal(status[s], 'ran', `${s}: ${outcomes.find((o) => o.name === s)?.reason ?? ''}`);
  const audio = json<{ dim: number; windowSec: number; windowStarts: number[]; sampleRate: number }>('embeddings/muq.json');
  assert.deepEqual([audio.dim, audio.windowSec, audio.sampleRate, audio.windowStarts], [512, 10, 24000, [0, 1.5, 3, 4.5]]);
  const text = json<{ dim: number; windowStarts: number[] }>('embeddings/muq-text.json');
  assert.deepEqual([text.dim, text.windowStarts], [512, [0]]);
  const codec = json<{ dim: number; windowSec: number; windowStarts: number[] }>('embeddings/codec.json');
  assert.deepEqual([codec.dim, codec.windowSec, codec.windowStarts], [8, 1.5, Array.from({ length: 10 }, (_, k) => 1.5 * k)], 'SoundStream-avg\'s 10 windows of 1.5 s per clip');
  const d = json<DecodeMetrics>('subjects/sub-001/decode/metrics.json');
  assert.equal(d.target, 'muq');
  assert.ok(d.identificationTest.value >= 0 && d.identificationTest.value <= 1 && d.identificationTest.chance === 0.5);
  const e = json<EncodingSummary>('subjects/sub-001/encode/summary.json');
  assert.deepEqual(Object.keys(e.models), ['muq', 'muq-text', 'codec', 'genre']);
});

test('pipeline configuration: decode.target muq-text and codec decode the other two (the embeddings reused)', async () => {
  for (const target of ['muq-text', 'codec']) {
    const again = await runConfigured({ ...config, decode: { ...config.decode, target } }, undefined, silentUi);
    const status = Object.fromEntries(again.outcomes.map((o) => [o.name, o.status]));
    assert.deepEqual([status.embed, status.decode], ['reused', 'ran'], target);
    assert.equal(json<DecodeMetrics>('subjects/sub-001/decode/metrics.json').target, target);
  }
});

test('the CLI: embed --model muq, --model muq-text --captions and --model codec write the pipeline\'s bytes; decode and encode run on each', async () => {
  for (const model of ['muq', 'muq-text', 'codec']) {
    const out = join(root, 'cli', `${model}.npy`);
    await runEmbed({ bids, model, modelDir: model === 'codec' ? codecDir : modelDir, ...(model === 'muq-text' ? { captions } : {}), out }, silentUi);
    for (const ext of ['npy', 'json']) assert.deepEqual(readFileSync(out.replace(/npy$/, ext)), readFileSync(join(config.out, `embeddings/${model}.${ext}`)), `${model}.${ext}`);
    const runDir = join(root, `cli-run-${model}`);
    const [row] = await runDecode({ bids, embeddings: out, subject: 'sub-001', out: runDir }, silentUi);
    assert.ok(row, `${model} decoded`);
    assert.equal(JSON.parse(readFileSync(join(runDir, 'subjects/sub-001/decode/metrics.json'), 'utf8')).target, model);
    const [summary] = await runEncode({ bids, features: out, subject: 'sub-001', out: runDir, null: 'gaussian' }, silentUi);
    assert.equal(summary!.nVoxels > 0, true);
    assert.deepEqual(Object.keys(summary!.models), [model]);
  }
});
