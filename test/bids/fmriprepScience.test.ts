// The pure parts of the fMRIPrep route, each against an independent reference: confound
// regression vs numpy.linalg.lstsq, label resampling vs nibabel.affines.apply_affine + rounding,
// the transform readers, the LUT readers, and the shipped FreeSurfer label tables.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  regressConfounds, resampleLabels, readWorldTransform, readLabelNames, readMotionConfounds, readLabelVolume,
  destrieuxLabels, desikanLabels, corticalLabelNames, invertAffine, multiplyAffine, parseSpace, parseBidsName,
} from '../../src/bids/index.ts';
import { readNpy, writeNpy } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { normalStream } from '../decode/synthetic.ts';

const PY = '/usr/bin/python3';
const hasNibabel = spawnSync(PY, ['-c', 'import nibabel']).status === 0;
const skipNib = hasNibabel ? false : 'needs /usr/bin/python3 with numpy and nibabel';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'b2m-fmriprep-sci-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function py(script: string, ...args: string[]): string {
  const r = spawnSync(PY, ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);

test('regressConfounds(data, T, V, C, k) gives numpy.linalg.lstsq residuals on [1, C] (|Δ| < 1e-4 on values ~100)', { skip: skipNib }, () => {
  const g = normalStream(5);
  const T = 120;
  const V = 37;
  const k = 13; // 12 motion-like columns + one exact duplicate (rank-deficient, as lstsq allows)
  const C = new Float64Array(T * k);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < 12; j++) C[t * k + j] = (j < 6 ? 0.3 : 0.002) * g() + (j === 0 ? 0.01 * t : 0);
    C[t * k + 12] = 2 * C[t * k + 3];
  }
  const Y = new Float32Array(T * V);
  for (let t = 0; t < T; t++) for (let v = 0; v < V; v++) Y[t * V + v] = 100 + v + 40 * C[t * k + (v % 12)] * (v % 12 < 6 ? 1 : 150) + g();
  writeNpy(join(dir, 'Y.npy'), Y, [T, V]);
  writeNpy(join(dir, 'C.npy'), C, [T, k]);
  py(`import sys, numpy as np
Y = np.load(sys.argv[1]).astype(np.float64); C = np.load(sys.argv[2])
X = np.column_stack([np.ones(len(C)), C])
beta = np.linalg.lstsq(X, Y, rcond=None)[0]
np.save(sys.argv[3], Y - X @ beta)`, join(dir, 'Y.npy'), join(dir, 'C.npy'), join(dir, 'R.npy'));
  const want = readNpy(join(dir, 'R.npy')).data as Float64Array;
  regressConfounds(Y, T, V, C, k);
  let worst = 0;
  for (let i = 0; i < Y.length; i++) worst = Math.max(worst, Math.abs(Y[i] - want[i]));
  assert.ok(worst < 1e-4, `max |residual - lstsq residual| = ${worst}`);
  // residuals are orthogonal to every confound and have mean 0
  for (const v of [0, V - 1]) {
    let m = 0;
    let dot = 0;
    for (let t = 0; t < T; t++) {
      m += Y[t * V + v];
      dot += Y[t * V + v] * C[t * k + 2];
    }
    assert.ok(Math.abs(m / T) < 1e-4 && Math.abs(dot) < 1e-3, `voxel ${v}: mean ${m / T}, dot ${dot}`);
  }
});

test('regressConfounds with no confounds only removes the mean; a constant confound is ignored', () => {
  const Y = Float32Array.from([1, 10, 2, 20, 3, 30, 6, 60]); // 4 scans × 2 voxels
  regressConfounds(Y, 4, 2, new Float64Array(4).fill(7), 1);
  assert.deepEqual(Array.from(Y), [-2, -20, -1, -10, 0, 0, 3, 30]);
});

test('resampleLabels(mgz, bold grid, mask, xfm) equals nibabel apply_affine + floor(x + 0.5 + 1e-6) on an oblique LIA MGZ', { skip: skipNib }, () => {
  // label image: 1 mm LIA conformed-like, oblique by 12°, 40×36×44; BOLD: 2.5 mm RAS 14×12×10
  const made = py(`import sys, numpy as np, nibabel as nib
from nibabel.affines import apply_affine
out = sys.argv[1]
rng = np.random.default_rng(9)
th = np.deg2rad(12)
R = np.array([[np.cos(th), 0, np.sin(th)], [0, 1, 0], [-np.sin(th), 0, np.cos(th)]])
lia = np.zeros((4, 4)); lia[:3, :3] = R @ np.array([[-1.0, 0, 0], [0, 0, 1], [0, -1.0, 0]]); lia[:3, 3] = [20.3, -18.6, 21.1]; lia[3, 3] = 1
lab = rng.integers(0, 6, size=(40, 36, 44)).astype(np.int32) * 1000 + 11101
nib.save(nib.MGHImage(lab, lia), f'{out}/lab.mgz')
bold = np.diag([2.5, 2.5, 2.5, 1.0]); bold[:3, 3] = [-16.1, -14.3, -11.2]
np.save(f'{out}/bold_affine.npy', bold)
# world transform T1w -> fsnative: a small rotation + translation (RAS)
a = np.deg2rad(3); T = np.eye(4); T[:3, :3] = [[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]]; T[:3, 3] = [1.2, -0.7, 2.1]
np.save(f'{out}/T.npy', T)
img = nib.load(f'{out}/lab.mgz')
ijk = np.stack(np.meshgrid(np.arange(14), np.arange(12), np.arange(10), indexing='ij'), -1).reshape(-1, 3, order='F')
vox = apply_affine(np.linalg.inv(img.affine) @ T @ bold, ijk)
idx = np.floor(vox + 0.5 + 1e-6).astype(int)
data = np.asarray(img.dataobj)
ok = np.all((idx >= 0) & (idx < np.array(data.shape)), axis=1)
want = np.zeros(len(idx), np.int32)
want[ok] = data[idx[ok, 0], idx[ok, 1], idx[ok, 2]]
np.save(f'{out}/want.npy', want)
print(int(ok.sum()))`, dir);
  const vol = readLabelVolume(join(dir, 'lab.mgz'));
  const boldAffine = readNpy(join(dir, 'bold_affine.npy')).data as Float64Array;
  const T = readNpy(join(dir, 'T.npy')).data as Float64Array;
  const want = readNpy(join(dir, 'want.npy')).data as Int32Array;
  const all = Int32Array.from({ length: 14 * 12 * 10 }, (_, i) => i);
  const got = resampleLabels(vol, [14, 12, 10], boldAffine, all, T);
  assert.equal(got.inside, Number(made.trim()));
  assert.ok(got.inside > 500 && got.inside < all.length, `${got.inside} inside: the test needs voxels both in and out of the label grid`);
  assert.deepEqual(Array.from(got.labels), Array.from(want));
  // a voxel subset gives the same labels at those voxels
  const some = Int32Array.from([0, 77, 1679]);
  assert.deepEqual(Array.from(resampleLabels(vol, [14, 12, 10], boldAffine, some, T).labels), [want[0], want[77], want[1679]]);
});

test('readWorldTransform reads ITK (LPS, fixed → moving, with centre) and LTA (RAS src → dst, inverted) to the same T1w → fsnative map', () => {
  // fsnative = R·T1w + t (RAS), with a rotation about z
  const a = 0.1;
  const M = Float64Array.from([Math.cos(a), -Math.sin(a), 0, 1.5, Math.sin(a), Math.cos(a), 0, -2, 0, 0, 1, 0.75, 0, 0, 0, 1]);
  // ITK: LPS = F·M·F; written with a centre c: x' = A(x − c) + t' + c, so t' = b − c + A c
  const F = [-1, -1, 1];
  const A = [0, 1, 2].map((r) => [0, 1, 2].map((c) => F[r] * M[r * 4 + c] * F[c]));
  const b = [0, 1, 2].map((r) => F[r] * M[r * 4 + 3]);
  const c = [10, -20, 5];
  const tp = [0, 1, 2].map((r) => b[r] - c[r] + A[r][0] * c[0] + A[r][1] * c[1] + A[r][2] * c[2]);
  const itk = join(dir, 'sub-001_from-fsnative_to-T1w_mode-image_xfm.txt');
  writeFileSync(itk, `#Insight Transform File V1.0\n#Transform 0\nTransform: MatrixOffsetTransformBase_double_3_3\nParameters: ${A.flat().join(' ')} ${tp.join(' ')}\nFixedParameters: ${c.join(' ')}\n`);
  const got = readWorldTransform(itk);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(got[i] - M[i]) < 1e-12, `ITK [${i}] ${got[i]} vs ${M[i]}`);
  // LTA type 1: the matrix maps src (fsnative) to dst (T1w), i.e. M⁻¹
  const inv = invertAffine(M);
  const rows = [0, 1, 2, 3].map((r) => Array.from(inv.slice(r * 4, r * 4 + 4)).join(' '));
  const lta1 = join(dir, 'ras.lta.txt');
  writeFileSync(lta1, `# transform file\ntype      = 1 # LINEAR_RAS_TO_RAS\nnxforms   = 1\nmean      = 0.0000 0.0000 0.0000\nsigma     = 1.0000\n1 4 4\n${rows.join('\n')}\nsrc volume info\nvalid = 1\n`);
  const g1 = readWorldTransform(lta1);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(g1[i] - M[i]) < 1e-12);
  // LTA type 0: vox2vox between two conformed geometries; ras2ras = dst_v2r · V · src_v2r⁻¹
  const geom = (cras: number[]) => `valid = 1\nfilename = x.mgz\nvolume = 256 256 256\nvoxelsize = 1.0 1.0 1.0\nxras   = -1 0 0\nyras   = 0 0 -1\nzras   = 0 1 0\ncras   = ${cras.join(' ')}\n`;
  const v2r = (cras: number[]) => Float64Array.from([-1, 0, 0, cras[0] + 128, 0, 0, 1, cras[1] - 128, 0, -1, 0, cras[2] + 128, 0, 0, 0, 1]);
  const srcC = [1, 2, 3];
  const dstC = [-4, 5, 0.5];
  const V = multiplyAffine(multiplyAffine(invertAffine(v2r(dstC)), inv), v2r(srcC));
  const vrows = [0, 1, 2, 3].map((r) => Array.from(V.slice(r * 4, r * 4 + 4)).join(' '));
  const lta0 = join(dir, 'vox.lta.txt');
  writeFileSync(lta0, `type      = 0 # LINEAR_VOX_TO_VOX\nnxforms   = 1\n1 4 4\n${vrows.join('\n')}\nsrc volume info\n${geom(srcC)}dst volume info\n${geom(dstC)}`);
  const g0 = readWorldTransform(lta0);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(g0[i] - M[i]) < 1e-9, `LTA0 [${i}] ${g0[i]} vs ${M[i]}`);
  writeFileSync(join(dir, 'bad.txt'), 'hello\n');
  assert.throws(() => readWorldTransform(join(dir, 'bad.txt')), isErr('UNSUPPORTED', /bad\.txt: neither an ITK text transform/));
});

test('readLabelNames reads a BIDS dseg TSV and FreeSurferColorLUT text', () => {
  writeFileSync(join(dir, 'names.tsv'), 'index\tname\tcolor\n1\tHeschl\t#ff0000\n7\t\'STG\'\t#00ff00\n');
  assert.deepEqual([...readLabelNames(join(dir, 'names.tsv'))], [[1, 'Heschl'], [7, 'STG']]);
  writeFileSync(join(dir, 'lut.txt'), '#$Id: FreeSurferColorLUT.txt\n\n#No. Label Name:   R G B A\n0   Unknown  0 0 0 0\n11133  ctx_lh_G_temp_sup-G_T_transv  60 60 220 0\n');
  assert.deepEqual([...readLabelNames(join(dir, 'lut.txt'))], [[0, 'Unknown'], [11133, 'ctx_lh_G_temp_sup-G_T_transv']]);
  writeFileSync(join(dir, 'dup.txt'), '5 a\n5 b\n');
  assert.throws(() => readLabelNames(join(dir, 'dup.txt')), isErr('BAD_FILE', /dup\.txt: line 2: label 5 is listed twice/));
});

test('destrieuxLabels() and desikanLabels() hold FreeSurferColorLUT.txt\'s cortical ids and names', () => {
  const d = destrieuxLabels();
  assert.equal(d.size, 148);
  // spot checks against FreeSurferColorLUT.txt (FreeSurfer 7): the first, around Medial_wall, the last
  assert.equal(d.get(11101), 'ctx_lh_G_and_S_frontomargin');
  assert.equal(d.get(11133), 'ctx_lh_G_temp_sup-G_T_transv');
  assert.equal(d.get(11141), 'ctx_lh_Lat_Fis-post');
  assert.equal(d.has(11142), false); // ctx_lh_Medial_wall: not cortex
  assert.equal(d.get(11143), 'ctx_lh_Pole_occipital');
  assert.equal(d.get(11165), 'ctx_lh_S_orbital-H_Shaped');
  assert.equal(d.get(11175), 'ctx_lh_S_temporal_transverse');
  assert.equal(d.get(12114), 'ctx_rh_G_front_inf-Triangul');
  assert.equal(d.get(12175), 'ctx_rh_S_temporal_transverse');
  assert.deepEqual([...d.keys()].filter((k) => k < 12000), [...Array.from({ length: 41 }, (_, i) => 11101 + i), ...Array.from({ length: 33 }, (_, i) => 11143 + i)]);
  const k = desikanLabels();
  assert.equal(k.size, 68);
  assert.equal(k.get(1001), 'ctx-lh-bankssts');
  assert.equal(k.has(1004), false); // corpuscallosum
  assert.equal(k.get(1030), 'ctx-lh-superiortemporal');
  assert.equal(k.get(2034), 'ctx-rh-transversetemporal');
  assert.equal(k.get(2035), 'ctx-rh-insula');
});

test('corticalLabelNames: FreeSurfer ids keep cortex only; a non-FreeSurfer atlas keeps every label > 0', () => {
  assert.deepEqual([...corticalLabelNames('destrieux', new Set([0, 2, 41, 11142, 11133, 12174]), null)], [[11133, 'ctx_lh_G_temp_sup-G_T_transv'], [12174, 'ctx_rh_S_temporal_sup']]);
  assert.deepEqual([...corticalLabelNames('user', new Set([0, 3, 1030, 17]), null)], [[1030, 'ctx-lh-superiortemporal']]);
  assert.deepEqual([...corticalLabelNames('user', new Set([0, 3, 17]), new Map([[3, 'A1']]))], [[3, 'A1'], [17, 'label-17']]);
});

test('readMotionConfounds: motion6/motion12 columns, n/a first derivative row as 0, missing columns named', () => {
  const cols = ['global_signal', 'trans_x', 'trans_y', 'trans_z', 'rot_x', 'rot_y', 'rot_z', 'trans_x_derivative1', 'trans_y_derivative1', 'trans_z_derivative1', 'rot_x_derivative1', 'rot_y_derivative1', 'rot_z_derivative1'];
  const rows = [['600', '0.1', '0.2', '0.3', '0.001', '0.002', '0.003', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'], ['601', '0.2', '0.2', '0.1', '0.001', '0.002', '0.004', '0.1', '0', '-0.2', '0', '0', '0.001']];
  const p = join(dir, 'sub-001_task-Test_run-01_desc-confounds_timeseries.tsv');
  writeFileSync(p, [cols, ...rows].map((r) => r.join('\t')).join('\n') + '\n');
  const m6 = readMotionConfounds(p, 'motion6');
  assert.deepEqual(m6.columns, ['trans_x', 'trans_y', 'trans_z', 'rot_x', 'rot_y', 'rot_z']);
  assert.equal(m6.nScans, 2);
  assert.deepEqual(Array.from(m6.data), [0.1, 0.2, 0.3, 0.001, 0.002, 0.003, 0.2, 0.2, 0.1, 0.001, 0.002, 0.004]);
  const m12 = readMotionConfounds(p, 'motion12');
  assert.deepEqual(Array.from(m12.data.subarray(6, 12)), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(m12.data.subarray(18, 24)), [0.1, 0, -0.2, 0, 0, 0.001]);
  const q = join(dir, 'partial_desc-confounds_timeseries.tsv');
  writeFileSync(q, 'global_signal\ttrans_x\trot_x\n1\t0\t0\n');
  assert.throws(() => readMotionConfounds(q, 'motion6'), isErr('BAD_FILE', /partial_desc-confounds_timeseries\.tsv: missing confound column\(s\) trans_y, trans_z, rot_y, rot_z/));
  writeFileSync(q, 'trans_x\ttrans_y\ttrans_z\trot_x\trot_y\trot_z\n1\t0\tn/a\t0\t0\t0\n');
  assert.throws(() => readMotionConfounds(q, 'motion6'), isErr('BAD_FILE', /line 2, column trans_z is 'n\/a'/));
});

test('parseSpace and parseBidsName read fMRIPrep names', () => {
  assert.deepEqual(parseSpace('T1w'), { space: 'T1w' });
  assert.deepEqual(parseSpace('MNI152NLin2009cAsym:res-2'), { space: 'MNI152NLin2009cAsym', res: '2' });
  assert.deepEqual(parseSpace('space-MNI152NLin6Asym_res-1'), { space: 'MNI152NLin6Asym', res: '1' });
  assert.throws(() => parseSpace('T1w space'), isErr('BAD_INPUT', /not an fMRIPrep output space/));
  const b = parseBidsName('sub-001_ses-1_task-Test_run-1_space-MNI152NLin2009cAsym_res-2_desc-preproc_bold.nii.gz')!;
  assert.deepEqual([...b.entities], [['sub', '001'], ['ses', '1'], ['task', 'Test'], ['run', '1'], ['space', 'MNI152NLin2009cAsym'], ['res', '2'], ['desc', 'preproc']]);
  assert.equal(b.suffix, 'bold');
  assert.equal(b.ext, '.nii.gz');
  assert.equal(parseBidsName('README'), null);
});
