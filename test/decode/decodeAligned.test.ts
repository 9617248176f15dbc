import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RidgeAlignment, type SrmSubjectMap } from '../../src/align/index.ts';
import { loadResponses, openDataset, type SubjectResponses } from '../../src/bids/index.ts';
import { runDecode } from '../../src/cli/commands/decode.ts';
import { formatSummaryTable } from '../../src/cli/commands/run.ts';
import { collectRun, renderReport } from '../../src/report/index.ts';
import { silentUi } from '../../src/cli/ui.ts';
import {
  alignmentSubject, decodeAligned, decodeSubject, evaluateDecoding, parseDecoderChoice,
  type AlignedTargetResult, type AlignmentSubject, type DecodeSubjectResult, type EmbeddingSet,
} from '../../src/decode/index.ts';
import { runEmbed } from '../../src/cli/commands/embed.ts';
import { readNpy } from '../../src/io/index.ts';
import { createRng } from '../../src/linalg/index.ts';
import { readEmbeddingSet } from '../../src/pipeline/jobs/readEmbeddingSet.ts';
import type { DecodeMetrics } from '../../src/run/index.ts';
import { PRESETS, simulateDataset, type SimulationConfig } from '../../src/simulate/index.ts';

// Cross-subject decoding on a dataset written by the simulator: 5 subjects who heard the same
// clips (4 genres × 16 training clips in 4 runs, 3 test clips per genre × 4 repetitions), each with
// its own brain: its own size and folding (2161, 2139, 2207, 2113, 1857 cortical voxels at 4 mm),
// atlas, response weights per voxel (a random pattern per ROI and voxel, drawn per subject) and
// noise. Only the stimuli are shared, so aligning two subjects is a real problem: no voxel of one
// corresponds to a voxel of the other. The target is the builtin embedding of the rendered clips
// (4 windows of 10 s × 128, as `brain2music embed`); decoder encoding:300 (each subject's 300 best
// voxels by an encoding model on its training clips). (The simulator's own stimulus features as
// the target leave no room: every decoder identifies 93-98 % of the test clips.)
const CONFIG: SimulationConfig = {
  ...PRESETS.demo, genres: ['blues', 'classical', 'metal', 'reggae'], trainPerGenre: 16, testPerGenre: 3,
  voxelMm: 4, targetVoxels: 2000, subjects: 5, raw: false, seed: 1,
};
const DECODER = 'encoding:300';

let root = '';
let embFile = '';
let emb: EmbeddingSet;
let subjects: string[];
let resps: Map<string, SubjectResponses>;
let within: Map<string, DecodeSubjectResult>;
let prepared: AlignmentSubject[];
let ridge: AlignedTargetResult[];
let srm: AlignedTargetResult[];

before(async () => {
  let t0 = performance.now();
  const lap = (what: string) => { const t = performance.now(); console.log(`${what}: ${((t - t0) / 1000).toFixed(1)} s`); t0 = t; };
  root = mkdtempSync(join(tmpdir(), 'b2m-aligned-'));
  await simulateDataset(root, CONFIG);
  lap('simulate');
  embFile = join(root, 'embeddings', 'builtin.npy');
  await runEmbed({ audio: [join(root, 'stimuli')], model: 'builtin', out: embFile }, silentUi);
  emb = readEmbeddingSet(embFile);
  lap('embed');
  const ds = openDataset(root);
  subjects = ds.subjects;
  resps = new Map();
  within = new Map();
  prepared = [];
  const choice = parseDecoderChoice(DECODER);
  for (const s of subjects) {
    const resp = await loadResponses(ds, s, { atlas: 'optional' });
    resps.set(s, resp);
    const res = await decodeSubject(resp, emb, { decoder: choice });
    within.set(s, res);
    prepared.push(await alignmentSubject(s, resp, emb, { decoder: choice, selected: res.decoder.selection!.voxels }));
  }
  lap('within-subject decoders');
  ridge = await decodeAligned(prepared, emb, { method: 'ridge', reference: 'sub-001', targets: subjects });
  lap('ridge-aligned pooled decoder');
  srm = await decodeAligned(prepared, emb, { method: 'srm', reference: 'sub-001', targets: subjects, srmDims: 20 });
  lap('SRM pooled decoder');
});
after(() => rmSync(root, { recursive: true, force: true }));

const f3 = (x: number) => x.toFixed(3);
const idOf = (r: { test: { identification: { clips: { value: number } } } }) => r.test.identification.clips.value;

test('the simulated subjects differ in their brains: voxel counts, and the voxels each selects', () => {
  const counts = subjects.map((s) => resps.get(s)!.nVoxels);
  assert.deepEqual(counts, [2161, 2139, 2207, 2113, 1857]);
  // the same column index means nothing across subjects: the selections overlap no more than chance would
  const sel = prepared.map((p) => new Set(p.voxels));
  const shared = [...sel[0]].filter((v) => sel[1].has(v)).length;
  assert.ok(shared < 0.5 * 300, `${shared} of 300 selected column indices shared by sub-001 and sub-002`);
});

test('decodeAligned(ridge onto sub-001): the pooled decoder identifies every subject\'s test clips better than the subject\'s own decoder', () => {
  console.log('subject   within  ridge-aligned  srm-aligned  (clip identification, chance 0.5, 12 test clips)');
  for (const [i, s] of subjects.entries()) console.log(`${s}   ${f3(idOf(within.get(s)!.reports.main))}  ${f3(idOf(ridge[i].report))}          ${f3(idOf(srm[i].report))}`);
  for (const [i, s] of subjects.entries()) {
    assert.equal(ridge[i].subject, s);
    assert.deepEqual(ridge[i].trainingSubjects, subjects);
    assert.equal(ridge[i].trainingClips, 64);
    assert.equal(ridge[i].trainingRows, 5 * 64 * 4);
    // 12 test clips: an identification accuracy moves in steps of 1/132; the margins measured are 0.04 to 0.11
    assert.ok(idOf(ridge[i].report) > idOf(within.get(s)!.reports.main), `${s}: ridge-aligned ${f3(idOf(ridge[i].report))} vs within ${f3(idOf(within.get(s)!.reports.main))}`);
  }
  // each source predicts a good share of the reference's selected voxels on held-out training clips
  for (const rec of ridge[0].subjects.slice(1)) assert.ok(rec.cvR2! > 0.05, `${rec.subject} → sub-001: CV R² ${rec.cvR2}`);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(srm.map((r) => idOf(r.report))) > mean(subjects.map((s) => idOf(within.get(s)!.reports.main))), 'SRM pooled decoder better on average');
});

/** Every test run of every subject replaced by other numbers (noise of another scale and offset). */
function scrambledTests(): Map<string, SubjectResponses> {
  const rng = createRng(99);
  const out = new Map<string, SubjectResponses>();
  for (const [s, r] of resps) {
    out.set(s, { ...r, runs: r.runs.map((run) => (run.task === 'Test' ? { ...run, data: Float32Array.from(run.data, () => 3 * rng.normal() + 1) } : run)) });
  }
  return out;
}

/** Everything fitted: the maps of every subject and the pooled decoder's coefficients, alphas and standardiser. */
function fitted(r: AlignedTargetResult): [unknown[], Float64Array, Float64Array, unknown[]] {
  const maps = r.alignments.map((a) => (a.method === 'ridge'
    ? (a as RidgeAlignment).blocks.map((b) => [b.fit.coef, b.fit.bestAlphas, b.fit.xMean, b.fit.yMean])
    : a.method === 'srm' ? (a as SrmSubjectMap).blocks.map((b) => [b.w, b.mean, b.std]) : a.blocks.map((b) => b.voxels)));
  const e = r.ensemble;
  return [maps, e.standardizer.mean, e.standardizer.std, e.members.map((m) => [m.fit.coef, m.fit.bestAlphas, m.fit.xMean, m.fit.yMean, m.roi.voxels])];
}

test('leakage: changing every test response of every subject leaves the selections, the alignment maps, the pooled decoder and its alphas bit-identical', async () => {
  const choice = parseDecoderChoice(DECODER);
  const changed = scrambledTests();
  // the voxel selections are learnt again from scratch (no `selected`): they must not move either
  const again = [];
  for (const s of subjects) again.push(await alignmentSubject(s, changed.get(s)!, emb, { decoder: choice }));
  again.forEach((p, i) => assert.deepEqual(p.voxels, prepared[i].voxels, `${p.subject}'s selection moved`));
  for (const [method, before] of [['ridge', ridge], ['srm', srm]] as const) {
    const after = await decodeAligned(again, emb, { method, reference: 'sub-001', targets: ['sub-003'], srmDims: 20 });
    const b = before[2];
    assert.deepEqual(fitted(after[0]), fitted(b), `${method}: something fitted changed with the test responses`);
    assert.notDeepEqual(after[0].predictions.test, b.predictions.test, `${method}: the test predictions must change (the test responses did)`);
    assert.deepEqual(after[0].predictions.train, b.predictions.train);
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
  // 200 permutations × 12 clips: the mean of a null accuracy has an SD near 0.31/√(200·12) ≈ 0.006
  // (permutations of the same predictions are not independent: allow 0.03)
  console.log(`identification with permuted test labels: mean ${f3(mean)} over ${values.length} permutations (unpermuted ${f3(ridge.reduce((a, r) => a + idOf(r.report), 0) / 5)})`);
  assert.ok(Math.abs(mean - 0.5) < 0.03, `permuted mean ${mean}`);
});

test('decodeAligned(excludeTarget): the target trains nothing but its own map; its decoder is the same whatever its training responses', async () => {
  const t = 'sub-004';
  const res = await decodeAligned(prepared, emb, { method: 'ridge', reference: 'sub-001', targets: [t], excludeTarget: true });
  assert.deepEqual(res[0].trainingSubjects, ['sub-001', 'sub-002', 'sub-003', 'sub-005']);
  assert.equal(res[0].subjects.find((x) => x.subject === t)!.inDecoder, false);
  console.log(`${t} left out of its decoder: identification ${f3(idOf(res[0].report))} (within ${f3(idOf(within.get(t)!.reports.main))})`);
  assert.ok(idOf(res[0].report) > 0.7);
  // the target's training responses scaled and shifted: its SRM map follows, the shared space (fitted without it) and the decoder must not
  const i = subjects.indexOf(t);
  const other = prepared.map((p, k) => (k === i ? { ...p, train: { ...p.train, data: p.train.data.map((x) => 2 * x + 1) }, trainScans: { ...p.trainScans, data: p.trainScans.data.map((x) => -x + 1) } } : p));
  const opts = { method: 'srm' as const, reference: 'sub-001', targets: [t], excludeTarget: true, srmDims: 20 };
  const [a, b] = [await decodeAligned(prepared, emb, opts), await decodeAligned(other, emb, opts)];
  assert.deepEqual(fitted(b[0])[3], fitted(a[0])[3], 'pooled decoder coefficients and alphas');
  assert.deepEqual(fitted(b[0])[0].slice(1), fitted(a[0])[0].slice(1), 'the other subjects\' maps');
  assert.notDeepEqual((b[0].alignments[0] as SrmSubjectMap).blocks[0].w, (a[0].alignments[0] as SrmSubjectMap).blocks[0].w, 'the target\'s own map');
});

test('brain2music decode --align ridge --train-runs 1 writes both decoders side by side in metrics.json, the target limited to its first run', async () => {
  const out = join(root, 'run');
  const rows = await runDecode({ bids: root, embeddings: embFile, subject: 'sub-002', out, voxels: DECODER, align: 'ridge', reference: 'sub-001', trainRuns: 1 }, silentUi);
  const m = JSON.parse(readFileSync(join(out, 'subjects', 'sub-002', 'decode', 'metrics.json'), 'utf8')) as DecodeMetrics & { decoders: Record<string, unknown> };
  assert.deepEqual(m.trainRuns, { kept: 1, of: 4 });
  const a = m.aligned!;
  assert.equal(a.method, 'ridge');
  assert.equal(a.reference, 'sub-001');
  assert.deepEqual(a.trainingSubjects, subjects);
  // the target's map and rows come from its first run (16 clips); the others keep their 64
  assert.deepEqual(a.subjects.map((x) => x.clips), [64, 16, 64, 64, 64]);
  assert.equal(a.trainingRows, (4 * 64 + 16) * 4);
  assert.equal(a.identificationTest.chance, 0.5);
  assert.equal(a.nWayTop1.chance, 1 / 12);
  assert.ok('aligned' in m.decoders && 'voxelSelection' in m.decoders);
  assert.equal(rows[0].aligned!.testClips, a.identificationTest.value);
  assert.equal(rows[0].testClips, m.identificationTest.value);
  const pred = readNpy(join(out, 'subjects', 'sub-002', 'decode', 'predictions_aligned.npy'));
  assert.deepEqual(pred.shape, [12, 4, emb.dim]);
  const summary = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { subjects: Record<string, { decode: DecodeMetrics }> };
  assert.equal(summary.subjects['sub-002'].decode.aligned!.identificationTest.value, a.identificationTest.value);
  console.log(`sub-002 with 1 of 4 training runs: within ${f3(m.identificationTest.value)}, ridge-aligned ${f3(a.identificationTest.value)}`);
  // the summary table and the report show both decoders
  const table = formatSummaryTable(out);
  assert.match(table[0], /id test\s+id train\s+id aligned/);
  assert.match(table[1], new RegExp(`^\\s+sub-002\\s+${f3(m.identificationTest.value)}\\s+${f3(m.identificationTrain.value)}\\s+${f3(a.identificationTest.value)}\\s`));
  const c = collectRun(out);
  const html = renderReport(c, c.subjects.map((x) => ({ contents: x, clips: [], hasRoiVolume: false })), { hasBrainData: false });
  assert.match(html, new RegExp(`Within-subject and pooled decoding.*<td>sub-002</td><td class="num">1 of 4</td><td class="num">${f3(m.identificationTest.value)}</td><td class="num">${f3(a.identificationTest.value)}</td>`, 's'));
  assert.match(html, /pooled decoder \(ridge-aligned onto sub-001, trained on 5 subjects\)/);
  assert.ok(a.identificationTest.value > m.identificationTest.value, 'with one run the pooled decoder is the better one');
  await assert.rejects(() => runDecode({ bids: root, embeddings: embFile, subject: 'sub-002', out, reference: 'sub-001' }, silentUi), /only apply to cross-subject decoding; add --align ridge/);
  await assert.rejects(() => runDecode({ bids: root, embeddings: embFile, subject: 'sub-002', out, align: 'srm', reference: 'sub-001' }, silentUi), /a shared response model \(srm\) has none/);
  await assert.rejects(() => runDecode({ bids: root, embeddings: embFile, subject: 'sub-002', out, align: 'ridge', reference: 'sub-009' }, silentUi), /reference subject sub-009 is not in/);
});
