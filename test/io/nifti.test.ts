import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  readNifti, readNiftiSync, readNiftiHeader, readNiftiMasked, writeNifti, serializeNifti, parseNifti, maskToIndices, readNpy,
  type NiftiData,
} from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

const PY = '/usr/bin/python3';
const hasNibabel = spawnSync(PY, ['-c', 'import nibabel']).status === 0;
const skipNib = hasNibabel ? false : 'needs /usr/bin/python3 with nibabel (Debian python3-nibabel; npm test installs it as root)';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'b2m-nifti-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function py(script: string, ...args: string[]): string {
  const r = spawnSync(PY, ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

// Writes one file per case with nibabel plus the expected scaled data (file order), the raw
// stored values and nibabel's affine, all as .npy.
const MAKE_CASES = String.raw`
import sys, struct, numpy as np, nibabel as nib
out = sys.argv[1]
rng = np.random.default_rng(7)
shear = np.array([[-2.0, 0.1, 0.0, 90.0], [0.05, 2.0, 0.2, -126.0], [0.0, -0.1, 2.5, -72.0], [0, 0, 0, 1]])
th = 0.3
R = np.array([[np.cos(th), -np.sin(th), 0], [np.sin(th), np.cos(th), 0], [0, 0, 1.0]])
rot = np.eye(4); rot[:3, :3] = R @ np.diag([2.0, 2.5, 3.0]); rot[:3, 3] = [10.0, -20.0, 30.0]
flip = np.diag([-2.0, 2.0, 2.0, 1.0]); flip[:3, 3] = [95.0, -130.0, -70.0]
def save(name, img):
    nib.save(img, f'{out}/{name}')
    record(name)
def record(name):
    back = nib.load(f'{out}/{name}')
    np.save(f'{out}/{name}.data.npy', back.get_fdata().astype(np.float64).ravel(order='F'))
    np.save(f'{out}/{name}.raw.npy', np.asanyarray(back.dataobj.get_unscaled()).astype(np.float64).ravel(order='F'))
    np.save(f'{out}/{name}.affine.npy', back.affine.astype(np.float64))
ranges = {'uint8': (0, 255), 'int8': (-128, 127), 'int16': (-32768, 32767), 'uint16': (0, 65535), 'int32': (-2**31, 2**31 - 1), 'uint32': (0, 2**32 - 1)}
for dt in ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64']:
    if dt in ranges:
        lo, hi = ranges[dt]
        arr = rng.integers(lo, hi, size=(5, 4, 3), endpoint=True, dtype=np.int64).astype(dt)
    else:
        arr = rng.normal(size=(5, 4, 3)).astype(dt) * 1000
    img = nib.Nifti1Image(arr, shear)
    img.header.set_data_dtype(dt)
    save(f'dt_{dt}.nii.gz', img)
# 4-D float32 run with TR, qform only (rotation, positive determinant)
arr = rng.normal(size=(6, 5, 4, 7)).astype(np.float32)
img = nib.Nifti1Image(arr, None)
img.header.set_qform(rot, code=1); img.header.set_sform(None, code=0)
img.header.set_zooms((2.0, 2.5, 3.0, 1.5))
save('qform_rot.nii', img)
# qform with negative determinant (qfac = -1), uint8
img = nib.Nifti1Image(rng.integers(0, 9, size=(4, 3, 2)).astype(np.uint8), None)
img.header.set_qform(flip, code=1); img.header.set_sform(None, code=0)
save('qform_flip.nii.gz', img)
# neither code: nibabel's base affine from pixdim
img = nib.Nifti1Image(rng.normal(size=(4, 3, 2)).astype(np.float32), None)
img.header.set_qform(None, code=0); img.header.set_sform(None, code=0); img.header.set_zooms((2.0, 3.0, 4.0))
save('nocode.nii', img)
# float data stored as int16: nibabel chooses scl_slope / scl_inter itself
f = (rng.normal(size=(5, 4, 3)) * 3.7 + 100).astype(np.float64)
img = nib.Nifti1Image(f, rot); img.set_data_dtype(np.int16)
save('scaled_auto.nii.gz', img)
# explicit slope 0.5 / inter 10 patched into an int16 file; big-endian int16 with scaling too
for name, endian in [('scaled_le.nii', '<'), ('scaled_be.nii', '>')]:
    hdr = nib.Nifti1Header(endianness=endian)
    img = nib.Nifti1Image(rng.integers(-300, 300, size=(5, 4, 3)).astype(np.int16), flip, header=hdr)
    img.set_data_dtype(np.int16)
    nib.save(img, f'{out}/{name}')
    b = bytearray(open(f'{out}/{name}', 'rb').read())
    b[112:120] = struct.pack(endian + 'ff', 0.5, 10.0)
    open(f'{out}/{name}', 'wb').write(bytes(b))
    record(name)
    assert (open(f'{out}/{name}', 'rb').read(4) == (b'\x00\x00\x01\x5c' if endian == '>' else b'\x5c\x01\x00\x00'))
# a header extension (vox_offset > 352)
img = nib.Nifti1Image(rng.normal(size=(3, 2, 2)).astype(np.float32), rot)
img.header.extensions.append(nib.nifti1.Nifti1Extension('comment', b'brain2music test extension'))
save('ext.nii.gz', img)
import gzip
assert struct.unpack('<f', gzip.open(f'{out}/ext.nii.gz').read(112)[108:112])[0] > 352
# big-endian float64 4-D
hdr = nib.Nifti1Header(endianness='>')
save('be_f64.nii.gz', nib.Nifti1Image(rng.normal(size=(3, 4, 2, 5)), shear, header=hdr))
print('ok')
`;

const CASES = [
  ...['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'].map((d) => `dt_${d}.nii.gz`),
  'qform_rot.nii', 'qform_flip.nii.gz', 'nocode.nii', 'scaled_auto.nii.gz', 'scaled_le.nii', 'scaled_be.nii', 'be_f64.nii.gz', 'ext.nii.gz',
];

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) assert.fail(`${what}[${i}]: ${actual[i]} vs nibabel ${expected[i]}`);
  }
}

test('readNifti(path) matches nibabel for every datatype, scaling, affine kind and endianness', { skip: skipNib }, async () => {
  assert.equal(py(MAKE_CASES, dir).trim(), 'ok');
  for (const name of CASES) {
    const p = join(dir, name);
    const expData = readNpy(`${p}.data.npy`).data as Float64Array;
    const expRaw = readNpy(`${p}.raw.npy`).data as Float64Array;
    const expAff = readNpy(`${p}.affine.npy`).data as Float64Array;
    const img = await readNifti(p);
    assert.equal(img.datatype, 'float32');
    // float32 output: exact for every stored value representable in float32, else float32 rounding
    assertClose(img.data, expData, 6e-8, `${name} data`);
    assertClose(img.affine, expAff, 0, `${name} affine`);
    const raw = await readNifti(p, { raw: true });
    assertClose(raw.data, expRaw, 0, `${name} raw`);
    assert.equal(raw.datatype, raw.header.datatype);
    // the in-memory parser and the streaming reader agree exactly
    const sync = readNiftiSync(p, { raw: true });
    assert.deepEqual(Array.from(sync.data), Array.from(raw.data));
  }
  const be = await readNifti(join(dir, 'scaled_be.nii'), { raw: true });
  assert.equal(be.header.littleEndian, false);
  assert.equal(be.header.sclSlope, 0.5);
  assert.equal(be.header.sclInter, 10);
  assert.ok(be.data instanceof Int16Array);
  const run = await readNifti(join(dir, 'qform_rot.nii'));
  assert.deepEqual(run.dims, [6, 5, 4, 7]);
  assert.deepEqual(run.pixDims, [2, 2.5, 3, 1.5]);
  assert.equal(run.header.sformCode, 0);
  assert.equal(run.header.qformCode, 1);
  const flip = await readNiftiHeader(join(dir, 'qform_flip.nii.gz'));
  assert.equal(flip.qfac, -1);
  assert.ok((await readNiftiHeader(join(dir, 'ext.nii.gz'))).voxOffset > 352);
});

test('readNiftiMasked(path, indices) returns time × voxels equal to the full read at those voxels', { skip: skipNib }, async () => {
  const p = join(dir, 'be_f64.nii.gz'); // 3×4×2×5, big-endian float64
  const full = await readNifti(p);
  const idx = Int32Array.from([0, 5, 23, 7]);
  const m = await readNiftiMasked(p, idx);
  assert.equal(m.nVolumes, 5);
  assert.equal(m.data.length, 5 * 4);
  for (let t = 0; t < 5; t++) for (let k = 0; k < idx.length; k++) assert.equal(m.data[t * 4 + k], full.data[t * 24 + idx[k]]);
  const scaled = await readNiftiMasked(join(dir, 'scaled_be.nii'), Int32Array.from([59, 0]));
  const expect = readNpy(join(dir, 'scaled_be.nii.data.npy')).data as Float64Array;
  assert.deepEqual(Array.from(scaled.data), [expect[59], expect[0]]);
  await assert.rejects(readNiftiMasked(p, Int32Array.from([24])), (e: unknown) => e instanceof Brain2MusicError && e.code === 'MISMATCH' && /outside the 3×4×2 volume/.test(e.message));
});

test('writeNifti(path, image) output loads in nibabel with identical data, affine, sform and qform', { skip: skipNib }, async () => {
  const th = 0.4;
  const aff = Float64Array.from([
    -2 * Math.cos(th), -2.5 * Math.sin(th), 0, 91.5,
    -2 * Math.sin(th), 2.5 * Math.cos(th), 0, -120.25,
    0, 0, 2.2, -60,
    0, 0, 0, 1,
  ]);
  const dims = [5, 4, 3, 2];
  const n = 5 * 4 * 3 * 2;
  const arrays: [string, NiftiData][] = [
    ['w_f32.nii.gz', Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 100)],
    ['w_i16.nii', Int16Array.from({ length: n }, (_, i) => (i * 977) % 65536 - 32768)],
    ['w_u8.nii.gz', Uint8Array.from({ length: n }, (_, i) => i % 256)],
    ['w_f64.nii.gz', Float64Array.from({ length: n }, (_, i) => Math.cos(i) / 3)],
  ];
  for (const [name, data] of arrays) writeNifti(join(dir, name), { dims, data, affine: aff, pixDims: [0, 0, 0, 1.5] });
  const out = py(String.raw`
import sys, json, numpy as np, nibabel as nib
res = {}
for name in sys.argv[2:]:
    img = nib.load(sys.argv[1] + '/' + name)
    res[name] = dict(shape=list(img.shape), dtype=str(img.get_data_dtype()), data=img.get_fdata().ravel(order='F').tolist(),
                     affine=img.affine.ravel().tolist(), qform=img.get_qform().ravel().tolist(),
                     codes=[int(img.header['sform_code']), int(img.header['qform_code'])], zooms=[float(z) for z in img.header.get_zooms()])
print(json.dumps(res))
`, dir, ...arrays.map((a) => a[0]));
  const res = JSON.parse(out) as Record<string, { shape: number[]; dtype: string; data: number[]; affine: number[]; qform: number[]; codes: number[]; zooms: number[] }>;
  const dtypes: Record<string, string> = { 'w_f32.nii.gz': 'float32', 'w_i16.nii': 'int16', 'w_u8.nii.gz': 'uint8', 'w_f64.nii.gz': 'float64' };
  const f32 = (x: number) => Math.fround(x);
  for (const [name, data] of arrays) {
    const r = res[name];
    assert.deepEqual(r.shape, dims);
    assert.equal(r.dtype, dtypes[name]);
    assert.deepEqual(r.data, Array.from(data));
    assert.deepEqual(r.affine, Array.from(aff, f32)); // sform stores float32
    assertClose(r.qform, aff, 2e-6, `${name} qform`);
    assert.deepEqual(r.codes, [1, 1]);
    assertClose(r.zooms, [2, 2.5, 2.2, 1.5], 1e-6, `${name} zooms`);
  }
  // and our reader agrees with what we wrote
  const back = await readNifti(join(dir, 'w_i16.nii'), { raw: true });
  assert.deepEqual(Array.from(back.data), Array.from(arrays[1][1]));
  assert.deepEqual(Array.from(back.affine), Array.from(aff, f32));
});

test('writeNifti(path, image) keeps a source image header codes and is byte-deterministic', async () => {
  const image = { dims: [3, 2, 2], data: new Float32Array(12).fill(1.5), affine: [2, 0, 0, -3, 0, 2, 0, 4, 0, 0, 2, 5, 0, 0, 0, 1], header: { sformCode: 4, qformCode: 2 } };
  const a = serializeNifti(image);
  const b = serializeNifti(image);
  assert.deepEqual(a, b);
  const back = parseNifti(a);
  assert.equal(back.header.sformCode, 4);
  assert.equal(back.header.qformCode, 2);
  assert.deepEqual(Array.from(back.affine), image.affine);
  assert.deepEqual(back.pixDims, [2, 2, 2]);
  assert.throws(() => writeNifti(join(dir, 'x.img'), image), /must end in \.nii\.gz or \.nii/);
  assert.throws(() => serializeNifti({ ...image, dims: [3, 2, 3] }), (e: unknown) => e instanceof Brain2MusicError && e.code === 'MISMATCH');
});

test('readNifti(path) rejects truncated, corrupt and non-NIfTI files with BAD_FILE / UNSUPPORTED', async () => {
  const good = serializeNifti({ dims: [8, 8, 8, 4], data: Float32Array.from({ length: 2048 }, (_, i) => i), affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }, { gzip: false });
  const cases: [string, Uint8Array, RegExp, string][] = [
    ['trunc.nii', good.subarray(0, 352 + 1000), /truncated: the header declares 8×8×8×4 float32 voxels \(8192 bytes after offset 352\) but only 1000 bytes follow/, 'BAD_FILE'],
    ['trunc.nii.gz', gzipSync(good).subarray(0, 600), /trunc\.nii\.gz: (truncated|gzip data is corrupt)/, 'BAD_FILE'],
    ['header-only.nii', good.subarray(0, 200), /before the 348-byte NIfTI-1 header is complete/, 'BAD_FILE'],
    ['text.nii', new TextEncoder().encode('hello, this is not an image\n'.repeat(20)), /not a NIfTI-1 image \(sizeof_hdr is/, 'BAD_FILE'],
    ['garbage.nii.gz', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9]), /garbage\.nii\.gz: gzip data is corrupt or truncated/, 'BAD_FILE'],
  ];
  const badMagic = good.slice();
  badMagic[344] = 0x41;
  cases.push(['magic.nii', badMagic, /NIfTI magic is 'A\+1', expected 'n\+1'/, 'BAD_FILE']);
  const nifti2 = good.slice();
  new DataView(nifti2.buffer).setInt32(0, 540, true);
  cases.push(['two.nii', nifti2, /NIfTI-2 file/, 'UNSUPPORTED']);
  const complex = good.slice();
  new DataView(complex.buffer).setInt16(70, 32, true);
  cases.push(['complex.nii', complex, /datatype code 32 \(complex64\) is not supported/, 'UNSUPPORTED']);
  for (const [name, bytes, re, code] of cases) {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    await assert.rejects(readNifti(p), (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message) && e.message.includes(name), name);
    assert.throws(() => readNiftiSync(p), (e: unknown) => e instanceof Brain2MusicError && e.code === code, `${name} (sync)`);
  }
  await assert.rejects(readNifti(join(dir, 'missing.nii')), (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND');
  // a complete file still reads after all that
  writeFileSync(join(dir, 'good.nii'), good);
  const ok = await readNifti(join(dir, 'good.nii'));
  assert.equal(ok.data[2047], 2047);
  assert.deepEqual(readFileSync(join(dir, 'good.nii')).subarray(344, 348), Buffer.from([0x6e, 0x2b, 0x31, 0]));
});

test('maskToIndices(mask) lists non-zero voxels in file order', () => {
  assert.deepEqual(Array.from(maskToIndices([0, 3, 0, -1, Number.NaN, 0.5])), [1, 3, 5]);
});

test('readNifti(path) streams multi-megabyte files in chunks identically to the in-memory parser', async () => {
  const dims = [64, 48, 40, 3]; // 1.4 MiB per volume: volumes straddle the 1 MiB stream chunks
  const n = dims.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => (i % 1009) * 0.5 - (i % 7));
  const affine = [2, 0, 0, -64, 0, 2, 0, -48, 0, 0, 2, -40, 0, 0, 0, 1];
  for (const name of ['big.nii', 'big.nii.gz']) {
    const p = join(dir, name);
    writeNifti(p, { dims, data, affine }, { level: 1 });
    const img = await readNifti(p);
    assert.deepEqual(img.dims, dims);
    assert.equal(img.data.length, n);
    let same = true;
    for (let i = 0; i < n; i++) if (img.data[i] !== data[i]) { same = false; break; }
    assert.ok(same, name);
    const idx = Int32Array.from([0, 64 * 48 * 40 - 1, 12345]);
    const m = await readNiftiMasked(p, idx);
    assert.deepEqual(Array.from(m.data), [0, 1, 2].flatMap((t) => Array.from(idx, (k) => data[t * 64 * 48 * 40 + k])));
  }
});
