// loadResponses with source 'fmriprep' (and raw BIDS with a user atlas) on fixtures in fMRIPrep's
// exact layout (test/bids/fmriprepFixture.ts): voxel selection, resampled labels, the space,
// motion regression, and every bad-input error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset, loadResponses, type SubjectResponses } from '../../src/bids/index.ts';
import { writeNifti } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { writeFmriprepFixture, hasNibabel, type FmriprepFixture } from './fmriprepFixture.ts';
import { writeDs003720Fixture } from './ds003720Fixture.ts';

const skip = hasNibabel ? false : 'needs /usr/bin/python3 with nibabel (the fixture writes its MGZ with nibabel)';
let dir = '';
let fx: FmriprepFixture;
let still: FmriprepFixture;
const SUB = 'sub-001';
before(() => {
  if (!hasNibabel) return;
  dir = mkdtempSync(join(tmpdir(), 'b2m-fmriprep-'));
  fx = writeFmriprepFixture(join(dir, 'moving'), { trainingRuns: 1, testRuns: 1 });
  still = writeFmriprepFixture(join(dir, 'still'), { trainingRuns: 1, testRuns: 1, motionScale: 0 });
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let copies = 0;
function copy(): FmriprepFixture {
  const root = join(dir, `copy-${copies++}`);
  cpSync(fx.root, root, { recursive: true });
  const fmriprepDir = join(root, 'derivatives', 'fmriprep');
  return { ...fx, root, fmriprepDir, freesurferDir: join(fmriprepDir, 'sourcedata', 'freesurfer'), file: (s, t, r, k) => fx.file(s, t, r, k).replace(fx.root, root) };
}

const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);
const load = (root: string, opts: Parameters<typeof loadResponses>[2] = {}) => loadResponses(openDataset(root), SUB, { source: 'fmriprep', ...opts });

/** Mean over voxels of the Pearson r between two loads' time courses (runs concatenated). */
function meanVoxelR(a: SubjectResponses, b: SubjectResponses): number {
  const V = a.nVoxels;
  let sum = 0;
  for (let v = 0; v < V; v++) {
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    a.runs.forEach((ra, i) => {
      const rb = b.runs[i];
      for (let t = 0; t < ra.nScans; t++) {
        const x = ra.data[t * V + v];
        const y = rb.data[t * V + v];
        sab += x * y;
        saa += x * x;
        sbb += y * y;
      }
    });
    sum += sab / Math.sqrt(saa * sbb);
  }
  return sum / V;
}

test('writeFmriprepFixture writes fMRIPrep\'s file names (func, anat, sourcedata/freesurfer) and real confound columns', { skip }, () => {
  const f = join(fx.fmriprepDir, SUB);
  for (const p of [
    'func/sub-001_task-Training_run-01_space-T1w_desc-preproc_bold.nii.gz', 'func/sub-001_task-Training_run-01_space-T1w_desc-brain_mask.nii.gz',
    'func/sub-001_task-Training_run-01_desc-confounds_timeseries.tsv', 'func/sub-001_task-Test_run-01_space-T1w_desc-preproc_bold.nii.gz',
    'anat/sub-001_desc-aparcaseg_dseg.nii.gz', 'anat/sub-001_from-fsnative_to-T1w_mode-image_xfm.txt',
  ]) assert.ok(existsSync(join(f, p)), p);
  assert.ok(existsSync(join(fx.freesurferDir, SUB, 'mri', 'aparc.a2009s+aseg.mgz')));
  const header = readFileSync(fx.file(SUB, 'Test', 1, 'confounds'), 'utf8').split('\n')[0].split('\t');
  for (const c of ['trans_x', 'rot_z', 'trans_x_derivative1', 'rot_z_derivative1_power2', 'framewise_displacement', 'a_comp_cor_00', 'cosine00']) assert.ok(header.includes(c), c);
  assert.ok(!existsSync(join(fx.root, SUB, 'func', 'sub-001_task-Training_run-02_events.tsv')));
});

test('loadResponses(ds, sub, {source: "fmriprep"}) keeps brain mask ∩ Destrieux cortex, resampled from the 1 mm LIA MGZ through the xfm', { skip }, async () => {
  const r = await load(fx.root);
  assert.equal(r.source, 'fmriprep');
  assert.equal(r.nVoxels, fx.expected.voxelIndices.length);
  assert.deepEqual(Array.from(r.space!.voxelIndices), Array.from(fx.expected.voxelIndices));
  assert.deepEqual(Array.from(r.atlas.labels), Array.from(fx.expected.labels));
  assert.deepEqual([...r.atlas.names], [...fx.expected.names]);
  assert.equal(r.atlas.names.get(11133), 'ctx_lh_G_temp_sup-G_T_transv');
  assert.ok(![...r.atlas.names.keys()].some((l) => l === 11142 || l < 11101), 'no medial wall or white matter');
  // maps are written in the BOLD space
  assert.deepEqual(r.space!.volumeShape, fx.bold.dims);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(r.space!.affine[i] - fx.bold.affine[i]) < 1e-5);
  assert.deepEqual(r.provenance, {
    fmriprepDir: fx.fmriprepDir, space: 'T1w', confounds: 'motion6', firstBold: fx.file(SUB, 'Training', 1, 'bold'),
    parcellation: { kind: 'destrieux', file: join(fx.freesurferDir, SUB, 'mri', 'aparc.a2009s+aseg.mgz'), transform: join(fx.fmriprepDir, SUB, 'anat', 'sub-001_from-fsnative_to-T1w_mode-image_xfm.txt'), names: null },
    nMaskVoxels: fx.expected.maskVoxels, nInsideGrid: fx.expected.maskVoxels, nVoxels: fx.expected.voxelIndices.length,
  });
  // runs: the duplicate clip's 10 scans cut, z-scored per voxel
  assert.deepEqual(r.runs.map((x) => [x.task, x.run, x.nScans]), [['Training', 1, 400], ['Test', 1, 400]]);
  assert.equal(r.presentations.length, 80);
  const V = r.nVoxels;
  let m = 0;
  let ss = 0;
  for (let t = 0; t < 400; t++) m += r.runs[1].data[t * V + 5];
  for (let t = 0; t < 400; t++) ss += (r.runs[1].data[t * V + 5] - m / 400) ** 2;
  assert.ok(Math.abs(m / 400) < 1e-5 && Math.abs(Math.sqrt(ss / 400) - 1) < 1e-4);
  assert.equal(r.testMean!.clipIds.length, 10);
});

test('loadResponses(fmriprep) applies the fsnative → T1w xfm: without it the shifted MGZ labels other voxels', { skip }, async () => {
  const c = copy();
  rmSync(join(c.fmriprepDir, SUB, 'anat', 'sub-001_from-fsnative_to-T1w_mode-image_xfm.txt'));
  const r = await load(c.root);
  assert.equal(r.provenance!.parcellation.transform, null);
  const want = new Map(Array.from(fx.expected.voxelIndices, (f, i) => [f, fx.expected.labels[i]]));
  const differ = Array.from(r.space!.voxelIndices).filter((f, i) => want.get(f) !== r.atlas.labels[i]).length;
  assert.ok(differ > 50, `${differ} voxels changed label without the 1.5/-2/1 mm shift`);
});

test('loadResponses(fmriprep) regresses motion: motion6 output ≈ the motion-free data, none does not', { skip }, async () => {
  const clean = await load(still.root, { fmriprep: { confounds: 'none' } });
  const m6 = await load(fx.root);
  const m12 = await load(fx.root, { fmriprep: { confounds: 'motion12' } });
  const none = await load(fx.root, { fmriprep: { confounds: 'none' } });
  const r6 = meanVoxelR(m6, clean);
  const r12 = meanVoxelR(m12, clean);
  const r0 = meanVoxelR(none, clean);
  assert.ok(r6 > 0.97, `motion6 vs motion-free r = ${r6}`);
  assert.ok(r12 > 0.95, `motion12 vs motion-free r = ${r12}`);
  assert.ok(r0 < 0.5, `no regression vs motion-free r = ${r0}`);
  assert.equal(none.provenance!.confounds, 'none');
});

test('loadResponses(fmriprep) with parcellation desikan (or no FreeSurfer folder) uses fMRIPrep\'s aparcaseg', { skip }, async () => {
  const r = await load(fx.root, { fmriprep: { parcellation: 'desikan' } });
  assert.deepEqual(Array.from(r.space!.voxelIndices), Array.from(fx.expectedDesikan.voxelIndices));
  assert.deepEqual(Array.from(r.atlas.labels), Array.from(fx.expectedDesikan.labels));
  assert.equal(r.atlas.names.get(1034), 'ctx-lh-transversetemporal');
  const c = copy();
  rmSync(c.freesurferDir, { recursive: true });
  const auto = await load(c.root);
  assert.equal(auto.provenance!.parcellation.kind, 'desikan');
  // a FreeSurfer subjects dir elsewhere, given explicitly
  const c2 = copy();
  renameSync(c2.freesurferDir, join(c2.root, 'fs'));
  const given = await load(c2.root, { fmriprep: { freesurfer: join(c2.root, 'fs') } });
  assert.equal(given.provenance!.parcellation.kind, 'destrieux');
  assert.deepEqual(Array.from(given.atlas.labels), Array.from(fx.expected.labels));
});

test('loadResponses(fmriprep) reads legacy confounds names, unpadded run numbers and a session folder', { skip }, async () => {
  const c = copy();
  const func = join(c.fmriprepDir, SUB, 'func');
  const ses = join(c.fmriprepDir, SUB, 'ses-1', 'func');
  cpSync(func, ses, { recursive: true });
  rmSync(func, { recursive: true });
  for (const [task, n] of [['Training', 1], ['Test', 1]] as const) {
    for (const kind of ['bold', 'mask', 'confounds'] as const) {
      const from = c.file(SUB, task, n, kind).replace(func, ses);
      let to = from.replace(`${SUB}_task-`, `${SUB}_ses-1_task-`).replace('_run-01_', '_run-1_');
      if (kind === 'confounds') to = to.replace('_timeseries.tsv', '_regressors.tsv');
      renameSync(from, to);
    }
  }
  const r = await load(c.root);
  assert.deepEqual(Array.from(r.atlas.labels), Array.from(fx.expected.labels));
});

test('loadResponses(fmriprep) errors name the file and the fix', { skip }, async () => {
  // confounds rows ≠ BOLD volumes
  let c = copy();
  const conf = c.file(SUB, 'Test', 1, 'confounds');
  writeFileSync(conf, readFileSync(conf, 'utf8').split('\n').slice(0, 300).join('\n') + '\n');
  await assert.rejects(load(c.root), isErr('MISMATCH', /sub-001_task-Test_run-01_desc-confounds_timeseries\.tsv has 299 rows but .*preproc_bold\.nii\.gz has 410 volumes/));
  // missing motion columns
  c = copy();
  const conf2 = c.file(SUB, 'Training', 1, 'confounds');
  const lines = readFileSync(conf2, 'utf8').split('\n');
  const cols = lines[0].split('\t');
  const drop = new Set(['rot_y', 'rot_z'].map((x) => cols.indexOf(x)));
  writeFileSync(conf2, lines.map((l) => l.split('\t').filter((_, i) => !drop.has(i)).join('\t')).join('\n'));
  await assert.rejects(load(c.root), isErr('BAD_FILE', /sub-001_task-Training_run-01_desc-confounds_timeseries\.tsv: missing confound column\(s\) rot_y, rot_z/));
  // BOLD volumes ≠ events
  c = copy();
  const img = join(c.fmriprepDir, SUB, 'func', 'sub-001_task-Test_run-01_space-T1w_desc-preproc_bold.nii.gz');
  writeNifti(img, { dims: [...fx.bold.dims, 400], data: new Float32Array(fx.bold.dims[0] * fx.bold.dims[1] * fx.bold.dims[2] * 400), affine: fx.bold.affine });
  await assert.rejects(load(c.root), isErr('MISMATCH', /preproc_bold\.nii\.gz has 400 volumes but .*sub-001_task-Test_run-01_events\.tsv describes 410/));
  // space not written
  await assert.rejects(load(fx.root, { fmriprep: { space: 'MNI152NLin2009cAsym' } }), isErr('NOT_FOUND', /space-MNI152NLin2009cAsym_desc-preproc_bold\.nii\.gz\. This folder has preprocessed BOLD in space T1w/));
  // missing confounds
  c = copy();
  rmSync(c.file(SUB, 'Training', 1, 'confounds'));
  await assert.rejects(load(c.root), isErr('NOT_FOUND', /the confounds table for sub-001 task-Training run-01 is missing: expected .*sub-001_task-Training_run-01_desc-confounds_timeseries\.tsv/));
  // no parcellation at all
  c = copy();
  rmSync(c.freesurferDir, { recursive: true });
  rmSync(join(c.fmriprepDir, SUB, 'anat', 'sub-001_desc-aparcaseg_dseg.nii.gz'));
  await assert.rejects(load(c.root), isErr('NOT_FOUND', /no parcellation for sub-001: looked for .*aparc\.a2009s\+aseg\.mgz.*--freesurfer DIR.*--atlas FILE/));
  // an atlas whose grid does not overlap the BOLD
  const far = join(dir, 'far_atlas.nii.gz');
  writeNifti(far, { dims: [5, 5, 5], data: new Int16Array(125).fill(3), affine: Float64Array.from([2, 0, 0, 500, 0, 2, 0, 500, 0, 0, 2, 500, 0, 0, 0, 1]) });
  await assert.rejects(load(fx.root, { atlasFile: far }), isErr('MISMATCH', /far_atlas\.nii\.gz does not overlap the BOLD grid .*span \[-16\.2, -21\.1, -9\.7\] to \[16\.8, 17\.9, 17\.3\] mm, the parcellation's span \[500\.0, 500\.0, 500\.0\] to \[508\.0, 508\.0, 508\.0\] mm/));
  // an atlas with no cortical label in the mask (only FreeSurfer white matter and a subcortical id)
  const wm = join(dir, 'wm_atlas.nii.gz');
  const wmData = new Int16Array(12 * 14 * 10);
  wmData.forEach((_, i) => { wmData[i] = i % 2 ? 2 : 1004; });
  writeNifti(wm, { dims: fx.bold.dims, data: wmData, affine: fx.bold.affine });
  writeFileSync(join(dir, 'wm_names.tsv'), 'index\tname\n2\tLeft-Cerebral-White-Matter\n');
  await assert.rejects(load(fx.root, { atlasFile: wm, atlasNames: join(dir, 'wm_names.tsv') }), isErr('BAD_INPUT', /no cortical label of .*wm_atlas\.nii\.gz falls inside the BOLD brain mask \(1080 mask voxels, 1080 inside .*labels found there: .*1004 .*expected FreeSurfer cortical labels/));
  // an atlas labelled only outside the brain mask
  const edge = join(dir, 'edge_atlas.nii.gz');
  writeNifti(edge, { dims: fx.bold.dims, data: new Int16Array(12 * 14 * 10).map((_, i) => (i % 12 === 0 ? 5 : 0)), affine: fx.bold.affine });
  await assert.rejects(load(fx.root, { atlasFile: edge }), isErr('BAD_INPUT', /labels found there: only 0; expected a label above 0\)\. Check that the parcellation/));
  // FreeSurfer parcellations need the T1w space
  c = copy();
  for (const t of ['Training', 'Test'] as const) for (const k of ['bold', 'mask'] as const) renameSync(c.file(SUB, t, 1, k), c.file(SUB, t, 1, k).replace('space-T1w', 'space-MNI152NLin2009cAsym'));
  await assert.rejects(load(c.root, { fmriprep: { space: 'MNI152NLin2009cAsym' } }), isErr('BAD_INPUT', /BOLD is in space MNI152NLin2009cAsym; .*pass an atlas in MNI152NLin2009cAsym/));
  // ... and with an atlas in that space it loads, in that space's grid
  const atlas = join(dir, 'mni_atlas.nii.gz');
  const lab = new Int16Array(12 * 14 * 10).map((_, i) => 1 + (i % 7));
  writeNifti(atlas, { dims: fx.bold.dims, data: lab, affine: fx.bold.affine });
  writeFileSync(join(dir, 'mni_names.tsv'), 'index\tname\n1\tA1\n2\tSTG\n');
  const r = await load(c.root, { fmriprep: { space: 'MNI152NLin2009cAsym' }, atlasFile: atlas, atlasNames: join(dir, 'mni_names.tsv') });
  assert.equal(r.nVoxels, fx.expected.maskVoxels);
  assert.equal(r.atlas.names.get(1), 'A1');
  assert.equal(r.atlas.names.get(7), 'label-7');
  assert.equal(r.provenance!.space, 'MNI152NLin2009cAsym');
  await assert.rejects(load(fx.root, { atlasNames: join(dir, 'mni_names.tsv') }), isErr('BAD_INPUT', /without an atlas file/));
});

test('loadResponses(ds, sub, {source: "raw", atlasFile}) resamples a user atlas in another grid onto the raw BOLD', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-rawatlas-'));
  try {
    const truth = writeDs003720Fixture(root, { atlas: false, derivative: false });
    // BOLD: 4×4×3 at 2 mm (affine [-2 0 0 4; 0 2 0 -4; 0 0 2 -3]); atlas: 1 mm, 8×8×6, same field of view,
    // label = 10 + BOLD voxel index for the left half of the grid (0 elsewhere)
    const atlasAffine = Float64Array.from([-1, 0, 0, 4.5, 0, 1, 0, -4.5, 0, 0, 1, -3.5, 0, 0, 0, 1]);
    const data = new Int16Array(8 * 8 * 6);
    for (let c = 0; c < 6; c++) for (let b = 0; b < 8; b++) for (let a = 0; a < 8; a++) {
      const f = Math.floor(a / 2) + 4 * (Math.floor(b / 2) + 4 * Math.floor(c / 2));
      data[a + 8 * (b + 8 * c)] = Math.floor(a / 2) < 2 ? 10 + f : 0;
    }
    const atlas = join(root, 'my_atlas.nii.gz');
    writeNifti(atlas, { dims: [8, 8, 6], data, affine: atlasAffine });
    const r = await loadResponses(openDataset(root), SUB, { source: 'raw', atlasFile: atlas });
    const want = Array.from({ length: 48 }, (_, f) => f).filter((f) => f % 4 < 2);
    assert.deepEqual(Array.from(r.space!.voxelIndices), want);
    assert.deepEqual(Array.from(r.atlas.labels), want.map((f) => 10 + f));
    assert.equal(r.atlas.names.get(10), 'label-10');
    assert.deepEqual(Array.from(r.space!.affine), Array.from(truth.affine));
    assert.equal(r.provenance!.parcellation.kind, 'user');
    assert.equal(r.runs.length, 18);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
