// Cross-subject decoding on 5 synthetic subjects who heard the same clips (4 genres × 8 training
// clips in 2 runs, 4 test clips per genre × 2 repetitions; test/decode/synthetic.ts) with brains of
// their own: own voxel counts (500, 492, 508, 496, 488), own response weights and noise, the signal
// in the same 3 of 8 atlas regions. No voxel of one subject corresponds to a voxel of another, so
// aligning them is a real problem. Decoder encoding:100 (each subject's 100 best voxels by an
// encoding model on its training clips). The 5-subject result on the simulator's rendered music and
// the identification-vs-K curve are measured by `npm run bench:align:simulated` (docs/alignment.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RidgeAlignment, type SrmSubjectMap } from '../../src/align/index.ts';
import { runDecode } from '../../src/cli/commands/decode.ts';
import { formatSummaryTable } from '../../src/cli/commands/run.ts';
import { silentUi } from '../../src/cli/ui.ts';
import {
  alignmentSubject, decodeAligned, decodeSubject, evaluateDecoding, parseDecoderChoice,
  type AlignedDecodeOptions, type AlignedTargetResult, type AlignmentSubject, type DecodableResponses, type DecodeSubjectResult,
} from '../../src/decode/index.ts';
import { readNpy } from '../../src/io/index.ts';
import { createRng } from '../../src/linalg/index.ts';
import { parseRunConfig, resolveRun, stageSeed, type StageRunContext } from '../../src/pipeline/index.ts';
import { decodeStage } from '../../src/pipeline/stages/decode.ts';
import { collectRun, renderReport } from '../../src/report/index.ts';
import type { DecodeMetrics } from '../../src/run/index.ts';
import { defaultSpec, makeSynthetic, writeSyntheticBids, type Synthetic } from './synthetic.ts';

const ROI_SIZES = [[14, 18, 12, 16, 20, 15, 13, 17], [16, 15, 18, 14, 12, 19, 16, 13], [12, 16, 15, 20, 17, 14, 18, 15], [18, 13, 16, 15, 14, 17, 12, 19], [15, 17, 14, 13, 16, 18, 15, 14]];
const brains: Synthetic[] = ROI_SIZES.map((sizes, i) => makeSynthetic({
  ...defaultSpec, trainPerGenre: 8, trainRuns: 2, testPerGenre: 4, signal: { 1: 0.15, 4: 0.105, 6: 0.075 }, roiSizes: sizes.map((x) => 4 * x), brainSeed: 100 + i,
}));
const subjects = brains.map((_, i) => `sub-00${i + 1}`);
const emb = brains[0]!.embeddings;
const DECODER = 'encoding:100';
// Alignment learnt on the training clips' windows: on this fixture's scans (signal variance 0.02-0.05
// of the noise per scan) the ridge maps' CV R² is near 0 and ridge-aligned decoding falls below
// within-subject decoding; the simulator's subjects (bench) align on scans, the default.
const RIDGE: AlignedDecodeOptions = { method: 'ridge', reference: 'sub-001', targets: subjects, k: 3, alignOn: 'windows' };
const SRM: AlignedDecodeOptions = { method: 'srm', reference: 'sub-001', targets: subjects, k: 3, srmDims: 6 };

let root = '';
let within: DecodeSubjectResult[];
let prepared: AlignmentSubject[];
let ridge: AlignedTargetResult[];
let srm: AlignedTargetResult[];

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'b2m-aligned-'));
  const choice = parseDecoderChoice(DECODER);
  within = [];
  prepared = [];
  for (const [i, b] of brains.entries()) {
    const res = await decodeSubject(b.responses, emb, { decoder: choice, k: 3 });
    within.push(res);
    prepared.push(await alignmentSubject(subjects[i]!, b.responses, emb, { decoder: choice, selected: res.decoder.selection!.voxels }));
  }
  ridge = await decodeAligned(prepared, emb, RIDGE);
  srm = await decodeAligned(prepared, emb, SRM);
});
after(() => rmSync(root, { recursive: true, force: true }));

const f3 = (x: number) => x.toFixed(3);
const idOf = (r: { test: { identification: { clips: { value: number } } } }) => r.test.identification.clips.value;

test('decodeAligned(ridge onto sub-001): the pooled decoder identifies every subject\'s test clips better than the subject\'s own decoder', () => {
  assert.deepEqual(brains.map((b) => b.responses.nVoxels), [500, 492, 508, 496, 488]);
  console.log('subject   within  ridge-aligned  srm-aligned  (clip identification, chance 0.5, 16 test clips)');
  for (const [i, s] of subjects.entries()) console.log(`${s}   ${f3(idOf(within[i]!.reports.main))}  ${f3(idOf(ridge[i]!.report))}          ${f3(idOf(srm[i]!.report))}`);
  for (const [i, s] of subjects.entries()) {
    assert.equal(ridge[i]!.subject, s);
    assert.deepEqual(ridge[i]!.trainingSubjects, subjects);
    assert.equal(ridge[i]!.trainingClips, 32);
    assert.equal(ridge[i]!.trainingRows, 5 * 32 * 4);
    // 16 test clips: identification moves in steps of 1/240; the margins measured are 0.029 to 0.159
    assert.ok(idOf(ridge[i]!.report) > idOf(within[i]!.reports.main), `${s}: ridge-aligned ${f3(idOf(ridge[i]!.report))} vs within ${f3(idOf(within[i]!.reports.main))}`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(srm.map((r) => idOf(r.report))) > mean(within.map((w) => idOf(w.reports.main))), 'SRM pooled decoder better on average');
});

test("decodeAligned(ridge, reference 'each'): every subject is its own reference, the same as decoding it with itself as --reference, and its pooled decoder beats its own", async () => {
  const each = await decodeAligned(prepared, emb, { ...RIDGE, reference: 'each' });
  console.log(`ridge-aligned onto each subject: ${each.map((r, i) => `${r.subject} ${f3(idOf(r.report))} (within ${f3(idOf(within[i]!.reports.main))})`).join(', ')}`);
  for (const [i, s] of subjects.entries()) {
    const r = each[i]!;
    assert.equal(r.reference, s);
    assert.equal(r.alignments[0]!.method, 'identity', `${s} enters its own space unchanged`);
    assert.equal(r.nColumns, prepared[i]!.train.nVoxels);
    assert.deepEqual(r.trainingSubjects, subjects);
    assert.ok(idOf(r.report) > idOf(within[i]!.reports.main), `${s}: ridge-aligned onto itself ${f3(idOf(r.report))} vs within ${f3(idOf(within[i]!.reports.main))}`);
  }
  const alone = await decodeAligned(prepared, emb, { ...RIDGE, reference: 'sub-004', targets: ['sub-004'] });
  assert.deepEqual(fitted(each[3]!), fitted(alone[0]!), "'each' for sub-004 is --reference sub-004");
  assert.deepEqual(each[3]!.predictions, alone[0]!.predictions);
  await assert.rejects(decodeAligned(prepared, emb, { ...RIDGE, reference: 'sub-009' }), /reference sub-009 is not among the subjects.*or each/);
});

/** Every test run of every subject replaced by other numbers (noise of another scale and offset). */
function scrambledTests(resp: DecodableResponses, seed: number): DecodableResponses {
  const rng = createRng(seed);
  return { ...resp, runs: resp.runs.map((run) => (run.task === 'Test' ? { ...run, data: Float32Array.from(run.data, () => 3 * rng.normal() + 1) } : run)) };
}

/** Everything fitted: the maps of every subject and the pooled decoder's coefficients, alphas and standardiser. */
function fitted(r: AlignedTargetResult): [unknown[], Float64Array, Float64Array, unknown[]] {
  const maps = r.alignments.map((a) => (a.method === 'ridge'
    ? (a as RidgeAlignment).blocks.map((b) => [b.fit.coef, b.fit.bestAlphas, b.fit.xMean, b.fit.yMean])
    : a.method === 'srm' ? (a as SrmSubjectMap).blocks.map((b) => [b.w, b.mean, b.std]) : a.blocks.map((b) => b.voxels)));
  const e = r.ensemble;
  return [maps, e.standardizer.mean, e.standardizer.std, e.members.map((m) => [m.fit.coef, m.fit.bestAlphas, m.fit.xMean, m.fit.yMean, m.roi.voxels])];
}

test('leakage: changing every test response of every subject leaves the selections, the alignment maps, the pooled decoder and its alphas bit-identical (ridge onto sub-001 and onto each subject, SRM)', async () => {
  const choice = parseDecoderChoice(DECODER);
  // the voxel selections are learnt again from scratch (no `selected`): they must not move either
  const again: AlignmentSubject[] = [];
  for (const [i, b] of brains.entries()) again.push(await alignmentSubject(subjects[i]!, scrambledTests(b.responses, 99 + i), emb, { decoder: choice }));
  again.forEach((p, i) => assert.deepEqual(p.voxels, prepared[i]!.voxels, `${p.subject}'s selection moved`));
  const EACH: AlignedDecodeOptions = { ...RIDGE, reference: 'each' };
  const each = await decodeAligned(prepared, emb, { ...EACH, targets: ['sub-003'] });
  for (const [opts, b] of [[RIDGE, ridge[2]!], [SRM, srm[2]!], [EACH, each[0]!]] as const) {
    const after = await decodeAligned(again, emb, { ...opts, targets: ['sub-003'] });
    assert.deepEqual(fitted(after[0]!), fitted(b), `${opts.method} onto ${opts.reference}: something fitted changed with the test responses`);
    assert.notDeepEqual(after[0]!.predictions.test, b.predictions.test, `${opts.method} onto ${opts.reference}: the test predictions must change (the test responses did)`);
    assert.deepEqual(after[0]!.predictions.train, b.predictions.train);
  }
});

test('permuted test labels: the pooled decoder\'s identification falls to chance (0.5)', () => {
  const rng = createRng(5);
  const values: number[] = [];
  for (const r of ridge) {
    const n = r.clipIds.test.length;
    const W = emb.nWindows;
    const T = emb.dim;
    for (let p = 0; p < 40; p++) {
      const perm = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      const y = new Float32Array(r.targets.test.length);
      perm.forEach((src, c) => y.set(r.targets.test.subarray(src * W * T, (src + 1) * W * T), c * W * T));
      values.push(evaluateDecoding(r.predictions.test, y, r.clipIds.test, W, T, () => 'x').identification.clips.value);
    }
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  // 200 permutations × 16 clips: the mean of a null accuracy has an SD near 0.29/√(200·16) ≈ 0.005
  // (permutations of the same predictions are not independent: allow 0.03)
  console.log(`identification with permuted test labels: mean ${f3(mean)} over ${values.length} permutations (unpermuted ${f3(ridge.reduce((a, r) => a + idOf(r.report), 0) / 5)})`);
  assert.ok(Math.abs(mean - 0.5) < 0.03, `permuted mean ${mean}`);
});

test('decodeAligned(excludeTarget): the target trains nothing but its own map; its decoder is the same whatever its training responses', async () => {
  const t = 'sub-004';
  const res = await decodeAligned(prepared, emb, { ...RIDGE, targets: [t], excludeTarget: true });
  assert.deepEqual(res[0]!.trainingSubjects, ['sub-001', 'sub-002', 'sub-003', 'sub-005']);
  assert.equal(res[0]!.subjects.find((x) => x.subject === t)!.inDecoder, false);
  console.log(`${t} left out of its decoder: identification ${f3(idOf(res[0]!.report))} (within ${f3(idOf(within[3]!.reports.main))})`);
  assert.ok(idOf(res[0]!.report) > 0.7);
  // the target's training responses scaled and shifted: its SRM map follows, the shared space (fitted without it) and the decoder must not
  const i = subjects.indexOf(t);
  const other = prepared.map((p, k) => (k === i ? { ...p, train: { ...p.train, data: p.train.data.map((x) => 2 * x + 1) }, trainScans: { ...p.trainScans, data: p.trainScans.data.map((x) => -x + 1) } } : p));
  const opts = { ...SRM, targets: [t], excludeTarget: true };
  const [a, b] = [await decodeAligned(prepared, emb, opts), await decodeAligned(other, emb, opts)];
  assert.deepEqual(fitted(b[0]!)[3], fitted(a[0]!)[3], 'pooled decoder coefficients and alphas');
  assert.deepEqual(fitted(b[0]!)[0].slice(1), fitted(a[0]!)[0].slice(1), 'the other subjects\' maps');
  assert.notDeepEqual((b[0]!.alignments[0] as SrmSubjectMap).blocks[0]!.w, (a[0]!.alignments[0] as SrmSubjectMap).blocks[0]!.w, 'the target\'s own map');
});

test('brain2music decode --align ridge --train-runs 1 writes both decoders side by side (metrics.json, summary table, report); the pipeline\'s decode.alignment writes the same bytes', async () => {
  const bids = join(root, 'bids');
  const embFile = join(root, 'emb', 'synthetic.npy');
  writeSyntheticBids(bids, brains[0]!, subjects, embFile, brains);
  const out = join(root, 'run');
  const rows = await runDecode({ bids, embeddings: embFile, subject: 'sub-002', out, voxels: DECODER, rois: 3, align: 'ridge', reference: 'sub-001', trainRuns: 1 }, silentUi);
  const dir = join(out, 'subjects', 'sub-002', 'decode');
  const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as DecodeMetrics & { decoders: Record<string, unknown> };
  assert.deepEqual(m.trainRuns, { kept: 1, of: 2 });
  const a = m.aligned!;
  assert.equal(a.method, 'ridge');
  assert.equal(a.reference, 'sub-001');
  assert.deepEqual(a.trainingSubjects, subjects);
  // the target's map and rows come from its first run (16 clips); the others keep their 32
  assert.deepEqual(a.subjects.map((x) => x.clips), [32, 16, 32, 32, 32]);
  assert.equal(a.trainingRows, (4 * 32 + 16) * 4);
  assert.equal(a.identificationTest.chance, 0.5);
  assert.equal(a.nWayTop1.chance, 1 / 16);
  assert.ok('aligned' in m.decoders && 'voxelSelection' in m.decoders);
  assert.equal(rows[0]!.aligned!.testClips, a.identificationTest.value);
  assert.equal(rows[0]!.testClips, m.identificationTest.value);
  assert.deepEqual(readNpy(join(dir, 'predictions_aligned.npy')).shape, [16, 4, emb.dim]);
  const summary = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { subjects: Record<string, { decode: DecodeMetrics }> };
  assert.equal(summary.subjects['sub-002']!.decode.aligned!.identificationTest.value, a.identificationTest.value);
  console.log(`sub-002 with 1 of 2 training runs: within ${f3(m.identificationTest.value)}, ridge-aligned ${f3(a.identificationTest.value)}`);
  // the summary table: a 'pooled' row under the subject, and how the pooled decoder was made
  const table = formatSummaryTable(out);
  for (const l of table) assert.ok(l.length <= 100, `${l.length} columns: ${l}`);
  const at = table.findIndex((l) => l.trimStart().startsWith('sub-002'));
  assert.match(table[at]!, new RegExp(`^\\s+sub-002\\s+${f3(m.identificationTest.value)} \\(0\\.500\\)`));
  assert.match(table[at + 1]!, new RegExp(`^\\s+pooled\\s+${f3(a.identificationTest.value)} \\(0\\.500\\)\\s+${f3(a.nWayTop1.value)} \\(0\\.063\\)$`));
  assert.ok(table.includes('  pooled: one decoder on 5 subjects, ridge-aligned onto sub-001'), table.join('\n'));
  assert.ok(table.includes('  training runs: each scored subject its first 1 of 2 (both decoders)'), table.join('\n'));
  // the report: the comparison table in the result section, the pooled rows in the subject's metrics
  const c = collectRun(out);
  const html = renderReport(c, c.subjects.map((x) => ({ contents: x, clips: [] })), { hasBrainData: false });
  assert.match(html, new RegExp(`Within-subject and pooled decoding.*<td>sub-002</td><td class="num">1 of 2</td><td class="num">${f3(m.identificationTest.value)}</td><td class="num">${f3(a.identificationTest.value)}</td>`, 's'));
  assert.match(html, /identification accuracy, test \(clips\), pooled decoder \(ridge-aligned onto sub-001, trained on 5 subjects\)/);
  // the other door: the pipeline's decode stage with decode.alignment and decode.trainRuns
  const run2 = join(root, 'run2');
  mkdirSync(join(run2, 'embeddings'), { recursive: true });
  for (const ext of ['npy', 'json']) cpSync(embFile.replace(/npy$/, ext), join(run2, 'embeddings', `synthetic.${ext}`));
  const config = parseRunConfig({
    out: run2, dataset: { bids }, subjects: ['sub-002'], embeddings: [{ name: 'synthetic' }],
    decode: { voxels: DECODER, topRois: 3, alignment: { method: 'ridge', reference: 'sub-001' }, trainRuns: 1 },
  }, 'cfg', root);
  const outDir = join(run2, '.staging', 'decode');
  const ctx: StageRunContext = { runDir: run2, config, run: resolveRun(config), seed: stageSeed(config.seed, 'decode'), previous: {}, outDir, ui: silentUi, progress: silentUi.progress };
  const plan = await decodeStage.plan(ctx);
  assert.ok(!('skip' in plan));
  await decodeStage.run(ctx, plan);
  for (const f of ['metrics.json', 'predictions_aligned.npy', 'identification_aligned.npy', 'predictions.npy']) {
    assert.deepEqual(readFileSync(join(outDir, 'subjects', 'sub-002', 'decode', f)), readFileSync(join(dir, f)), `${f} differs between the command and the pipeline`);
  }
  await assert.rejects(() => runDecode({ bids, embeddings: embFile, subject: 'sub-002', out, reference: 'sub-001' }, silentUi), /only apply to cross-subject decoding; add --align ridge/);
  await assert.rejects(() => runDecode({ bids, embeddings: embFile, subject: 'sub-002', out, align: 'srm', reference: 'sub-001' }, silentUi), /a shared response model \(srm\) has none/);
  await assert.rejects(() => runDecode({ bids, embeddings: embFile, subject: 'sub-002', out, align: 'ridge', reference: 'sub-009' }, silentUi), /reference subject sub-009 is not in/);
});
