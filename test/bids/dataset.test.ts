import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset, loadResponses, voxelsToVolume, type SubjectResponses } from '../../src/bids/index.ts';
import { readNpy, readTsv, writeNifti, writeNpy } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { writeDs003720Fixture, eventsText, GENRES, type FixtureTruth } from './ds003720Fixture.ts';

let dir = '';
let base = '';
let truth: FixtureTruth;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'b2m-bids-'));
  base = join(dir, 'ds003720');
  truth = writeDs003720Fixture(base, { subjects: ['sub-001', 'sub-002'] });
});
after(() => rmSync(dir, { recursive: true, force: true }));

let copies = 0;
function copyFixture(): string {
  const p = join(dir, `copy-${copies++}`);
  cpSync(base, p, { recursive: true });
  return p;
}

const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);

test('the fixture has the real layout: events columns, 41 rows per run, quoted genres, 410 volumes, TR 1.5 s', () => {
  const ev = join(base, 'sub-001', 'func', 'sub-001_task-Training_run-01_events.tsv');
  const t = readTsv(ev);
  assert.deepEqual(t.columns, ['onset', 'duration', 'genre', 'track', 'start', 'end']);
  assert.equal(t.rows.length, 41);
  assert.match(t.rows[0].genre, /^'[a-z]+'$/);
  const json = JSON.parse(readFileSync(join(base, 'sub-001', 'func', 'sub-001_task-Test_run-06_bold.json'), 'utf8'));
  assert.equal(json.RepetitionTime, 1.5);
  // schedule facts: training run r holds pieces 4(r-1)..4(r-1)+3 of every genre; test run r one piece ×4
  const train = truth.runs.filter((r) => r.task === 'Training');
  assert.equal(train.length, 12);
  for (const r of train) for (const g of GENRES) assert.equal(r.clips.filter((id) => id.startsWith(`${g}.`)).length, 4);
  const test1 = truth.runs.find((r) => r.task === 'Test' && r.run === 1)!;
  assert.equal(new Set(test1.clips).size, 10);
  assert.equal(test1.duplicate, test1.clips[39]);
});

test('openDataset(root) yields 480 training and 60 test clips with GTZAN ids in presentation order', () => {
  const ds = openDataset(base);
  assert.deepEqual(ds.subjects, ['sub-001', 'sub-002']);
  assert.equal(ds.tr, 1.5);
  const training = ds.clips.filter((c) => c.split === 'training');
  const testClips = ds.clips.filter((c) => c.split === 'test');
  assert.equal(training.length, 480);
  assert.equal(testClips.length, 60);
  assert.deepEqual(training.map((c) => c.id), truth.trainingIds);
  assert.deepEqual(testClips.map((c) => c.id), truth.testIds);
  for (const c of ds.clips) {
    assert.match(c.id, /^[a-z]+\.\d{5}$/);
    const e = truth.excerpts.get(c.id)!;
    assert.deepEqual([c.genre, c.track, c.start, c.end], [e.genre, e.track, e.start, e.end]);
  }
  assert.equal(ds.schedule.length, 18);
  for (const s of ds.schedule) {
    assert.equal(s.nScansInFile, 410);
    assert.equal(s.trimmedScans, 10);
    assert.equal(s.scansPerClip, 10);
    assert.equal(s.presentations.length, 40);
    assert.deepEqual(s.presentations.map((p) => p.firstScan), Array.from({ length: 40 }, (_, i) => i * 10));
  }
  const pres = ds.schedule.flatMap((s) => s.presentations);
  assert.equal(pres.filter((p) => p.task === 'Training').length, 480);
  assert.ok(pres.filter((p) => p.task === 'Training').every((p) => p.repetition === 0));
  for (const id of truth.testIds) {
    const reps = pres.filter((p) => p.clipId === id);
    assert.deepEqual(reps.map((p) => p.repetition), [0, 1, 2, 3]);
    assert.ok(reps.every((p) => p.run === reps[0].run && p.task === 'Test'));
  }
});

function checkMapping(resp: SubjectResponses, exact: boolean): void {
  assert.equal(resp.runs.length, 18);
  assert.ok(resp.runs.every((r) => r.nScans === 400));
  assert.equal(resp.presentations.length, 480 + 240);
  if (!exact) return;
  const V = resp.nVoxels;
  for (const p of resp.presentations) {
    const run = resp.runs.find((r) => r.task === p.task && r.run === p.run)!;
    for (const s of [0, 9]) for (const v of [0, V - 1]) {
      assert.equal(run.data[(p.firstScan + s) * V + v], truth.code(p.clipId, s, v) + 0.25 * p.repetition);
    }
  }
}

test('loadResponses(ds, sub, derivative) maps the 4800/2400/600 rows to the same clips as the events', async () => {
  const ds = openDataset(base);
  const resp = await loadResponses(ds, 'sub-001', { source: 'derivative', zscore: false });
  assert.equal(resp.source, 'derivative');
  assert.equal(resp.nVoxels, truth.maskIndices.length);
  checkMapping(resp, true);
  assert.deepEqual(resp.testMean!.clipIds, truth.testIds);
  const V = resp.nVoxels;
  truth.testIds.forEach((id, c) => {
    assert.equal(resp.testMean!.data[(c * 10 + 3) * V + 5], truth.code(id, 3, 5) + 0.375);
  });
  assert.deepEqual(Array.from(resp.atlas.labels), Array.from(truth.labels));
  assert.equal(resp.atlas.names.get(2), 'S_calcarine');
  assert.deepEqual(Array.from(resp.space!.voxelIndices), Array.from(truth.maskIndices));
  assert.deepEqual(resp.space!.volumeShape, truth.shape);
  // default: each run z-scored per voxel
  const z = await loadResponses(ds, 'sub-001');
  assert.equal(z.source, 'derivative');
  const r0 = z.runs[0];
  let m = 0;
  let ss = 0;
  for (let t = 0; t < 400; t++) m += r0.data[t * V + 7];
  m /= 400;
  for (let t = 0; t < 400; t++) ss += (r0.data[t * V + 7] - m) ** 2;
  assert.ok(Math.abs(m) < 1e-5);
  assert.ok(Math.abs(Math.sqrt(ss / 400) - 1) < 1e-5);
});

test('loadResponses(ds, sub, derivative) accepts voxels × scans arrays (transposed) identically', async () => {
  const root = copyFixture();
  const p = join(root, 'derivative', 'preprocessed_data', 'sub-001_Resp_Training.npy');
  const a = readNpy(p);
  const [rows, V] = a.shape;
  const tr = new Float32Array(rows * V);
  for (let t = 0; t < rows; t++) for (let v = 0; v < V; v++) tr[v * rows + t] = (a.data as Float32Array)[t * V + v];
  writeNpy(p, tr, [V, rows]);
  const resp = await loadResponses(openDataset(root), 'sub-001', { source: 'derivative', zscore: false });
  checkMapping(resp, true);
});

test('loadResponses(ds, sub, raw) masks by atlas, detrends, trims the duplicate clip and z-scores per run', async () => {
  const ds = openDataset(base);
  const raw = await loadResponses(ds, 'sub-002', { source: 'raw' });
  const der = await loadResponses(ds, 'sub-002', { source: 'derivative' });
  assert.equal(raw.source, 'raw');
  checkMapping(raw, false);
  assert.deepEqual(raw.presentations, der.presentations);
  assert.equal(raw.nVoxels, truth.maskIndices.length);
  assert.deepEqual(Array.from(raw.space!.voxelIndices), Array.from(truth.maskIndices));
  assert.deepEqual(Array.from(raw.space!.affine), Array.from(truth.affine));
  assert.deepEqual(Array.from(raw.atlas.labels), Array.from(truth.labels));
  const V = raw.nVoxels;
  for (const run of [raw.runs[0], raw.runs[17]]) {
    for (const v of [0, V - 1]) {
      let m = 0;
      for (let t = 0; t < 400; t++) m += run.data[t * V + v];
      m /= 400;
      let ss = 0;
      for (let t = 0; t < 400; t++) ss += (run.data[t * V + v] - m) ** 2;
      assert.ok(Math.abs(m) < 1e-5, `mean ${m}`);
      assert.ok(Math.abs(Math.sqrt(ss / 400) - 1) < 1e-4);
    }
  }
  // undetrended, unscaled: the stored int16 values from scan 10 on
  const plain = await loadResponses(ds, 'sub-002', { source: 'raw', detrend: false, zscore: false });
  const vox0 = truth.maskIndices[0];
  const img = readFileSync(join(base, 'sub-002', 'func', 'sub-002_task-Training_run-01_bold.nii'));
  const stored = new Int16Array(img.buffer.slice(img.byteOffset + 352, img.byteOffset + img.byteLength));
  assert.equal(plain.runs[0].data[0 * V + 0], stored[10 * 48 + vox0]);
  assert.equal(plain.runs[0].data[399 * V + 0], stored[409 * 48 + vox0]);
  // testMean averages the 4 repetitions of each test clip
  const id = truth.testIds[0];
  const reps = plain.presentations.filter((p) => p.clipId === id);
  const expect = reps.reduce((acc, p) => acc + plain.runs.find((r) => r.task === 'Test' && r.run === p.run)!.data[(p.firstScan + 2) * V + 1], 0) / 4;
  assert.ok(Math.abs(plain.testMean!.data[2 * V + 1] - expect) < 1e-3);
  // maps go back into the volume at the right voxels
  const vol = voxelsToVolume(raw.space!, Float32Array.from({ length: V }, (_, v) => v + 1));
  assert.equal(vol[truth.maskIndices[3]], 4);
  assert.equal(vol[0], 0);
});

test('loadResponses(ds, sub, raw) with a given mask keeps exactly the mask voxels', async () => {
  const root = copyFixture();
  const mask = new Uint8Array(48);
  mask[5] = 1;
  mask[0] = 1;
  mask[47] = 1;
  writeNifti(join(root, 'mask.nii.gz'), { dims: [4, 4, 3], data: mask, affine: truth.affine });
  const resp = await loadResponses(openDataset(root), 'sub-001', { source: 'raw', mask: join(root, 'mask.nii.gz') });
  assert.deepEqual(Array.from(resp.space!.voxelIndices), [0, 5, 47]);
  assert.deepEqual(Array.from(resp.atlas.labels), [0, (5 * 7) % 4, (47 * 7) % 4]);
});

test('openDataset / loadResponses name the file for every mismatch', async () => {
  // no TR
  let root = copyFixture();
  rmSync(join(root, 'sub-001', 'func', 'sub-001_task-Test_run-03_bold.json'));
  assert.throws(() => openDataset(root), isErr('NOT_FOUND', /no TR for sub-001 task-Test run-03/));
  // an inherited root-level sidecar fixes it
  writeFileSync(join(root, 'task-Test_bold.json'), JSON.stringify({ RepetitionTime: 1.5 }));
  assert.equal(openDataset(root).tr, 1.5);

  // a clip listed with two excerpts
  root = copyFixture();
  for (const sub of ['sub-001', 'sub-002']) {
    const f = join(root, sub, 'func', `${sub}_task-Test_run-02_events.tsv`);
    const lines = readFileSync(f, 'utf8').split('\n');
    const cells = lines[5].split('\t');
    cells[4] = String(Number(cells[4]) + 1);
    cells[5] = String(Number(cells[5]) + 1);
    lines[5] = cells.join('\t');
    writeFileSync(f, lines.join('\n'));
  }
  assert.throws(() => openDataset(root), isErr('MISMATCH', /is listed with two excerpts: .*sub-001_task-Test_run-02_events\.tsv/));

  // subjects with different schedules
  root = copyFixture();
  const run = truth.runs[3];
  writeFileSync(join(root, 'sub-002', 'func', 'sub-002_task-Training_run-04_events.tsv'), eventsText({ ...run, clips: [...run.clips.slice(1), run.clips[0]] }, truth.excerpts));
  assert.throws(() => openDataset(root), isErr('MISMATCH', /sub-002_task-Training_run-04_events\.tsv differs from .*sub-001_task-Training_run-04_events\.tsv at event 2/));

  // scan count ≠ events
  root = copyFixture();
  writeNifti(join(root, 'sub-001', 'func', 'sub-001_task-Training_run-05_bold.nii'), { dims: [4, 4, 3, 400], data: new Int16Array(48 * 400), affine: truth.affine });
  await assert.rejects(loadResponses(openDataset(root), 'sub-001', { source: 'raw' }), isErr('MISMATCH', /sub-001_task-Training_run-05_bold\.nii has 400 scans but .*run-05_events\.tsv describes 410/));

  // derivative rows ≠ events schedule
  root = copyFixture();
  writeNpy(join(root, 'derivative', 'preprocessed_data', 'sub-001_Resp_Training.npy'), new Float32Array(4790 * 36), [4790, 36]);
  await assert.rejects(loadResponses(openDataset(root), 'sub-001'), isErr('MISMATCH', /sub-001_Resp_Training\.npy: shape \[4790, 36\] but the events schedule gives 4800 scans/));

  // voxel counts differing between arrays
  root = copyFixture();
  writeNpy(join(root, 'derivative', 'preprocessed_data', 'sub-001_Resp_Test.npy'), new Float32Array(2400 * 35), [2400, 35]);
  await assert.rejects(loadResponses(openDataset(root), 'sub-001'), isErr('MISMATCH', /sub-001_Resp_Test\.npy has 35 voxels but .*sub-001_Resp_Training\.npy has 36/));

  // labels of the wrong size
  root = copyFixture();
  writeNpy(join(root, 'derivatives', 'atlas', 'sub-001', 'sub-001_desc-voxels_labels.npy'), new Int32Array(30), [30]);
  await assert.rejects(loadResponses(openDataset(root), 'sub-001'), isErr('MISMATCH', /sub-001_desc-voxels_labels\.npy: holds labels of shape \[30\] but .* has 36 voxels/));

  // label image of the wrong size for raw runs
  root = copyFixture();
  writeNifti(join(root, 'derivatives', 'atlas', 'sub-001', 'sub-001_space-bold_dseg.nii.gz'), { dims: [4, 4, 2], data: new Int16Array(32).fill(1), affine: truth.affine });
  await assert.rejects(loadResponses(openDataset(root), 'sub-001', { source: 'raw' }), isErr('MISMATCH', /run-01_bold\.nii has volumes of 4×4×3 but .*sub-001_space-bold_dseg\.nii\.gz is 4×4×2/));

  // NaNs in responses
  root = copyFixture();
  const p = join(root, 'derivative', 'preprocessed_data', 'sub-001_Resp_Test.npy');
  const a = readNpy(p);
  (a.data as Float32Array)[36 * 100 + 4] = Number.NaN;
  writeNpy(p, a.data, a.shape);
  await assert.rejects(loadResponses(openDataset(root), 'sub-001'), isErr('BAD_FILE', /sub-001_Resp_Test\.npy: NaN at row 100, voxel 4/));

  // unknown subject, missing atlas
  await assert.rejects(loadResponses(openDataset(base), 'sub-009'), isErr('NOT_FOUND', /subject sub-009 is not in/));
  root = copyFixture();
  rmSync(join(root, 'derivatives'), { recursive: true });
  await assert.rejects(loadResponses(openDataset(root), 'sub-001'), isErr('NOT_FOUND', /no per-voxel atlas labels/));
  const noAtlas = await loadResponses(openDataset(root), 'sub-001', { atlas: 'optional', zscore: false });
  assert.equal(noAtlas.space, null);
  assert.ok(noAtlas.atlas.labels.every((l) => l === 0));
});

test('openDataset(root) reads derivative-only subjects with the shared schedule', () => {
  const root = copyFixture();
  cpSync(join(root, 'derivative', 'preprocessed_data', 'sub-001_Resp_Training.npy'), join(root, 'derivative', 'preprocessed_data', 'sub-003_Resp_Training.npy'));
  const ds = openDataset(root);
  assert.deepEqual(ds.subjects, ['sub-001', 'sub-002', 'sub-003']);
  assert.equal(ds.files['sub-003'].runs.length, 0);
  assert.equal(ds.files['sub-003'].derivative.test, null);
  assert.throws(() => openDataset(join(dir, 'nope')), isErr('NOT_FOUND', /does not exist/));
});
