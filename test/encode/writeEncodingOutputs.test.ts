import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSpaces, partitionVariance, writeEncodingOutputs, type EncodingMaps, type SubjectEncoding } from '../../src/encode/index.ts';
import { readNpy } from '../../src/io/index.ts';

const hasNibabel = spawnSync('/usr/bin/python3', ['-c', 'import nibabel'], { stdio: 'ignore' }).status === 0;
const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

function maps(name: string, r: number[], sig: number[]): EncodingMaps {
  const V = r.length;
  return {
    name, nVoxels: V, nTrain: 100, nTest: 50, nFeatures: 8, nullKind: 'gaussian', fdrAlpha: 0.05, nPerm: null, pTail: null, nullFromScan: null,
    r: Float32Array.from(r), rNull: Float32Array.from(r), r2: Float32Array.from(r, (x) => x * x), p: Float32Array.from(sig, (s) => (s ? 0.001 : 0.5)),
    pEmpirical: null, pSource: null,
    q: Float32Array.from(sig, (s) => (s ? 0.01 : 0.9)), significant: Uint8Array.from(sig), bestAlpha: new Float32Array(V).fill(10),
    ceiling: new Float32Array(V).fill(0.8), rNormalised: Float32Array.from(r, (x) => x / 0.8),
  };
}
const music = maps('music', [0.5, 0.4, 0.1, 0.0, 0.3], [1, 1, 0, 0, 1]);
const genre = maps('genre', [0.2, 0.1, 0.1, 0.3, 0.0], [1, 0, 0, 1, 0]);
const joint = maps('music+genre', [0.55, 0.4, 0.1, 0.3, 0.3], [1, 1, 0, 1, 1]);
const enc: SubjectEncoding = {
  subject: 'sub-001', delays: [1, 2, 3, 4], models: [music, genre], comparisons: [compareSpaces(music, genre, { bins: 4, lo: 0, hi: 0.8 })],
  partition: { a: 'music', b: 'genre', joint, parts: partitionVariance(music.r2, genre.r2, joint.r2) },
};
const atlas = { labels: Int32Array.of(1, 1, 2, 2, 3), names: new Map([[1, 'A1'], [2, 'PFC'], [3, 'V1']]) };

test('writeEncodingOutputs(dir, enc, atlas, null) writes .npy maps per voxel and a summary with ROI counts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-encode-'));
  try {
    const s = writeEncodingOutputs(dir, enc, atlas, null, 2);
    assert.deepEqual([...readNpy(join(dir, 'music_r.npy')).data], [...music.r]);
    assert.deepEqual([...readNpy(join(dir, 'music_sig.npy')).data], [1, 1, 0, 0, 1]);
    assert.equal(s.models.music!.nSignificant, 3);
    assert.deepEqual(s.models.music!.topRois.map((r) => [r.name, r.nSignificant]), [['A1', 2], ['V1', 1]]);
    // genre: one significant voxel in A1 (r 0.2) and one in PFC (r 0.3): the tie goes to the higher mean r
    assert.deepEqual(s.models.genre!.topRois.map((r) => [r.name, r.nSignificant]), [['PFC', 1], ['A1', 1]]);
    assert.deepEqual(s.comparisons[0]!.counts, { both: 1, onlyA: 2, onlyB: 1, neither: 1 });
    const fromDisk = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as typeof s;
    assert.equal(fromDisk.partition!.n, 4);
    assert.ok(Math.abs(fromDisk.partition!.meanUniqueA - (0.2625 + 0.15 + 0 + 0.09) / 4) < 1e-6);
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')), 'no temporary files left');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('writeEncodingOutputs(dir, enc, no atlas, null) writes 1-D per-voxel .npy maps that numpy loads, named in summary.json by file name', { skip: hasNumpy ? false : 'python3-numpy is not installed (/usr/bin/python3 -c "import numpy" failed)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-encode-npy-'));
  try {
    // the derivative arrays' case: no voxel space and no atlas (labels all 0)
    const s = writeEncodingOutputs(dir, enc, { labels: new Int32Array(5), names: new Map() }, null);
    assert.equal(s.maps, 'npy');
    assert.match(s.noVolume!, /no voxel coordinates/);
    assert.deepEqual(s.models.music!.files, { r: 'music_r.npy', q: 'music_q.npy', sig: 'music_sig.npy', ceiling: 'music_ceiling.npy', rnorm: 'music_rnorm.npy' });
    assert.equal(s.comparisons[0]!.file, 'music_minus_genre_rdiff.npy');
    assert.deepEqual(s.partition!.files, { uniqueA: 'music+genre_unique-music.npy', uniqueB: 'music+genre_unique-genre.npy', shared: 'music+genre_shared.npy' });
    assert.deepEqual(s.models.music!.topRois, []);
    const py = [
      'import numpy as np, json, sys, os',
      'd = sys.argv[1]',
      "s = json.load(open(os.path.join(d, 'summary.json')))",
      "names = [f for m in s['models'].values() for f in m['files'].values()] + [c['file'] for c in s['comparisons']] + list(s['partition']['files'].values())",
      'out = {}',
      'for n in names:',
      '    a = np.load(os.path.join(d, n))',
      '    out[n] = {"dtype": str(a.dtype), "shape": list(a.shape), "vals": a.astype(float).tolist()}',
      "print(json.dumps({'maps': s['maps'], 'files': out}))",
    ].join('\n');
    const res = spawnSync('/usr/bin/python3', ['-c', py, dir], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { maps: string; files: Record<string, { dtype: string; shape: number[]; vals: number[] }> };
    assert.equal(out.maps, 'npy');
    assert.equal(Object.keys(out.files).length, 5 * 3 + 1 + 3, 'five maps per model (music, genre, joint), one difference, three partition maps');
    for (const [n, f] of Object.entries(out.files)) {
      assert.deepEqual(f.shape, [5], `${n}: one value per voxel`);
      assert.equal(f.dtype, n.endsWith('_sig.npy') ? 'uint8' : 'float32', n);
    }
    const f32 = (x: number[]) => Array.from(Float32Array.from(x));
    assert.deepEqual(out.files['music_r.npy']!.vals, f32([0.5, 0.4, 0.1, 0.0, 0.3]));
    assert.deepEqual(out.files['music_q.npy']!.vals, f32([0.01, 0.01, 0.9, 0.9, 0.01]));
    assert.deepEqual(out.files['music_sig.npy']!.vals, [1, 1, 0, 0, 1]);
    assert.deepEqual(out.files['genre_rnorm.npy']!.vals, f32([0.2, 0.1, 0.1, 0.3, 0.0].map((x) => x / 0.8)));
    assert.deepEqual(out.files['music_minus_genre_rdiff.npy']!.vals, Array.from(enc.comparisons[0]!.diff));
    assert.deepEqual(out.files['music+genre_shared.npy']!.vals, Array.from(enc.partition!.parts.shared));
    // run-relative names on request
    const run = mkdtempSync(join(tmpdir(), 'b2m-run-'));
    try {
      const sub = join(run, 'subjects', 'sub-001', 'encode');
      const r = writeEncodingOutputs(sub, enc, atlas, null, 10, { relativeTo: run });
      assert.equal(r.models.music!.files.r, 'subjects/sub-001/encode/music_r.npy');
    } finally { rmSync(run, { recursive: true, force: true }); }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('writeEncodingOutputs(…) records the block null\'s settings, mean r and rNull of the significant voxels, and the significant count with the counted p alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-encode-'));
  try {
    // 5 voxels: three below the floor 1/1001 through the tail (source 1), whose counted p is the floor
    const block: EncodingMaps = {
      ...maps('music', [0.5, 0.4, 0.45, -0.1, 0.3], [1, 1, 1, 0, 1]), nullKind: 'block', nPerm: 1000, pTail: 'gpd', nullFromScan: 4,
      rNull: Float32Array.of(0.45, 0.3, 0.35, -0.2, 0.25),
      p: Float32Array.of(1e-6, 1e-5, 2e-6, 1, 0.0005),
      pEmpirical: Float32Array.of(1 / 1001, 1 / 1001, 1 / 1001, 1, 0.0005),
      pSource: Uint8Array.of(1, 1, 1, 0, 0),
    };
    const s = writeEncodingOutputs(dir, { subject: 'sub-001', delays: [1, 2, 3, 4], models: [block], comparisons: [], partition: null }, atlas, null);
    assert.deepEqual([s.null, s.nPerm, s.pTail, s.nullFromScan], ['block', 1000, 'gpd', 4]);
    const m = s.models.music!;
    assert.ok(Math.abs(m.meanSignificantR - (0.5 + 0.4 + 0.45 + 0.3) / 4) < 1e-6);
    assert.ok(Math.abs(m.meanSignificantRNull! - (0.45 + 0.3 + 0.35 + 0.25) / 4) < 1e-6);
    // counted p: BH over 5 tests, q = 5·p/rank: 0.0025 for the floor voxels and the 0.0005 one → all 4
    assert.equal(m.nSignificantCounted, 4);
    assert.deepEqual(m.pSources, { counted: 1, gpd: 3, moments: 0 }); // the r ≤ 0 voxel was not permuted
    const g = writeEncodingOutputs(dir, enc, atlas, null);
    assert.deepEqual([g.nPerm, g.pTail, g.models.music!.nSignificantCounted, g.models.music!.pSources], [null, null, null, null]);
    assert.equal(g.models.music!.meanSignificantRNull, g.models.music!.meanSignificantR);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('writeEncodingOutputs(dir, enc, atlas, space) writes NIfTI maps that nibabel loads with the subject affine', { skip: hasNibabel ? false : 'python3-nibabel is not installed (/usr/bin/python3 -c "import nibabel" failed)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-encode-'));
  try {
    const affine = Float64Array.of(-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1);
    const voxelIndices = Int32Array.of(0, 7, 13, 29, 59); // file order x + 4·(y + 5·z) in a 4×5×3 grid
    writeEncodingOutputs(dir, enc, atlas, { volumeShape: [4, 5, 3], affine, voxelIndices });
    const py = [
      'import nibabel as nib, numpy as np, json, sys',
      'd = sys.argv[1]',
      'out = {}',
      "for k in ['r', 'q', 'sig']:",
      "    img = nib.load(f'{d}/music_{k}.nii.gz')",
      "    a = np.asarray(img.dataobj).ravel(order='F')",
      '    out[k] = {"shape": list(img.shape), "dtype": str(img.get_data_dtype()), "vals": [float(a[i]) for i in [0, 7, 13, 29, 59, 1]]}',
      "out['affine'] = nib.load(f'{d}/music_r.nii.gz').affine.ravel().tolist()",
      'print(json.dumps(out))',
    ].join('\n');
    const res = spawnSync('/usr/bin/python3', ['-c', py, dir], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout) as Record<string, { shape: number[]; dtype: string; vals: number[] }> & { affine: number[] };
    assert.deepEqual(out.affine, [...affine]);
    assert.deepEqual(out.r!.shape, [4, 5, 3]);
    assert.equal(out.r!.dtype, 'float32');
    assert.deepEqual(out.r!.vals.map((v) => +v.toFixed(6)), [0.5, 0.4, 0.1, 0, 0.3, 0]);
    assert.deepEqual(out.q!.vals.map((v) => +v.toFixed(6)), [0.01, 0.01, 0.9, 0.9, 0.01, 1]);
    assert.equal(out.sig!.dtype, 'uint8');
    assert.deepEqual(out.sig!.vals, [1, 1, 0, 0, 1, 0]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
