import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readMgh, parseMgh, readNpy } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

const PY = '/usr/bin/python3';
const hasNibabel = spawnSync(PY, ['-c', 'import nibabel']).status === 0;
const skipNib = hasNibabel ? false : 'needs /usr/bin/python3 with nibabel (Debian python3-nibabel)';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'b2m-mgh-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// nibabel writes one file per case, then reads it back and records its data (Fortran order =
// MGH file order), shape and affine as .npy: the reference our reader must reproduce.
const MAKE_CASES = String.raw`
import sys, gzip, numpy as np, nibabel as nib
out = sys.argv[1]
rng = np.random.default_rng(3)
# a conformed-like LIA affine (1 mm, centre off the origin) and an oblique anisotropic one
lia = np.array([[-1.0, 0, 0, 129.7], [0, 0, 1.0, -110.2], [0, -1.0, 0, 131.9], [0, 0, 0, 1]])
th, ph = 0.4, -0.25
Rz = np.array([[np.cos(th), -np.sin(th), 0], [np.sin(th), np.cos(th), 0], [0, 0, 1.0]])
Rx = np.array([[1.0, 0, 0], [0, np.cos(ph), -np.sin(ph)], [0, np.sin(ph), np.cos(ph)]])
obl = np.eye(4); obl[:3, :3] = Rz @ Rx @ np.diag([1.2, 0.9, 2.5]); obl[:3, 3] = [-33.3, 12.25, 40.5]
def record(name):
    back = nib.load(f'{out}/{name}')
    np.save(f'{out}/{name}.data.npy', np.asarray(back.dataobj).astype(np.float64).ravel(order='F'))
    np.save(f'{out}/{name}.shape.npy', np.array(back.shape, dtype=np.int64))
    np.save(f'{out}/{name}.affine.npy', back.affine.astype(np.float64))
cases = [('uint8', (0, 255)), ('int32', (-2**31, 2**31 - 1)), ('int16', (-32768, 32767)), ('float32', None)]
for dt, rg in cases:
    for aname, aff in [('lia', lia), ('obl', obl)]:
        shape = (7, 5, 6)
        if rg:
            arr = rng.integers(rg[0], rg[1], size=shape, endpoint=True, dtype=np.int64).astype(dt)
        else:
            arr = (rng.normal(size=shape) * 1000).astype(np.float32)
        name = f'{dt}_{aname}.mgz'
        nib.save(nib.MGHImage(arr, aff), f'{out}/{name}')
        record(name)
# multi-frame float32, uncompressed .mgh
arr = rng.normal(size=(4, 3, 5, 6)).astype(np.float32)
img = nib.MGHImage(arr, obl)
nib.save(img, f'{out}/frames.mgh')
record('frames.mgh')
# goodRASFlag = 0: patch the flag in an otherwise valid file; nibabel falls back to its default affine
raw = bytearray(gzip.open(f'{out}/int16_obl.mgz').read())
raw[28:30] = (0).to_bytes(2, 'big')
with gzip.open(f'{out}/badras.mgz', 'wb') as f:
    f.write(bytes(raw))
record('badras.mgz')
`;

function py(script: string, ...args: string[]): void {
  const r = spawnSync(PY, ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
}

const isBadFile = (re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_FILE' && re.test(e.message);

test('readMgh(file) gives nibabel\'s data, shape and affine for uint8/int32/int16/float32, LIA and oblique, multi-frame, goodRASFlag 0', { skip: skipNib }, () => {
  py(MAKE_CASES, dir);
  const names = ['uint8', 'int32', 'int16', 'float32'].flatMap((dt) => [`${dt}_lia.mgz`, `${dt}_obl.mgz`]).concat(['frames.mgh', 'badras.mgz']);
  for (const name of names) {
    const img = readMgh(join(dir, name));
    const want = readNpy(join(dir, `${name}.data.npy`)).data as Float64Array;
    const shape = Array.from(readNpy(join(dir, `${name}.shape.npy`)).data as BigInt64Array, Number);
    const affine = readNpy(join(dir, `${name}.affine.npy`)).data as Float64Array;
    assert.deepEqual(img.dims, shape, name);
    assert.equal(img.data.length, want.length, name);
    // values: bit-exact (integers exactly; float32 widened to float64 exactly)
    for (let i = 0; i < want.length; i++) if (img.data[i] !== want[i]) assert.fail(`${name}: voxel ${i} is ${img.data[i]}, nibabel reads ${want[i]}`);
    for (let k = 0; k < 16; k++) assert.ok(Math.abs(img.affine[k] - affine[k]) < 1e-6, `${name}: affine[${k}] ${img.affine[k]} vs nibabel ${affine[k]}`);
    const dt = name.split('_')[0];
    if (['uint8', 'int32', 'int16', 'float32'].includes(dt)) assert.equal(img.datatype, dt);
  }
  // the LIA case, by hand: column 0 = -x, column 1 = -z... translation = the given corner
  const lia = readMgh(join(dir, 'int32_lia.mgz'));
  assert.deepEqual(Array.from(lia.affine).map((x) => Math.round(x * 1000) / 1000), [-1, 0, 0, 129.7, 0, 0, 1, -110.2, 0, -1, 0, 131.9, 0, 0, 0, 1]);
  assert.equal(readMgh(join(dir, 'badras.mgz')).header.goodRASFlag, 0);
  assert.deepEqual(readMgh(join(dir, 'badras.mgz')).pixDims, [1, 1, 1]);
});

test('parseMgh(bytes) of a hand-built big-endian file: header fields, c_ras at voxel dims/2', () => {
  // 2×3×4 int16, delta (2, 3, 4), RAS-aligned axes, c_ras (10, 20, 30)
  const [w, h, d] = [2, 3, 4];
  const buf = Buffer.alloc(284 + w * h * d * 2 + 4);
  buf.writeInt32BE(1, 0);
  [w, h, d, 1].forEach((x, i) => buf.writeInt32BE(x, 4 + 4 * i));
  buf.writeInt32BE(4, 20);
  buf.writeInt16BE(1, 28);
  [2, 3, 4].forEach((x, i) => buf.writeFloatBE(x, 30 + 4 * i));
  [1, 0, 0, 0, 1, 0, 0, 0, 1].forEach((x, i) => buf.writeFloatBE(x, 42 + 4 * i));
  [10, 20, 30].forEach((x, i) => buf.writeFloatBE(x, 78 + 4 * i));
  for (let i = 0; i < w * h * d; i++) buf.writeInt16BE(i * 100 - 1000, 284 + 2 * i);
  buf.writeFloatBE(1500, 284 + w * h * d * 2);
  const img = parseMgh(buf, 'hand.mgh');
  assert.deepEqual(img.dims, [2, 3, 4]);
  assert.equal(img.datatype, 'int16');
  assert.deepEqual(Array.from(img.data.subarray(0, 3)), [-1000, -900, -800]);
  assert.deepEqual(Array.from(img.affine), [2, 0, 0, 10 - 2, 0, 3, 0, 20 - 4.5, 0, 0, 4, 30 - 8, 0, 0, 0, 1]);
  assert.equal(img.header.tr, 1500);
  // the same bytes gzipped read the same
  assert.deepEqual(Array.from(parseMgh(gzipSync(buf), 'hand.mgz').data), Array.from(img.data));
});

test('readMgh fails with BAD_FILE naming the file: wrong version, unknown type, truncated, not gzip, corrupt gzip', () => {
  const buf = Buffer.alloc(284 + 8);
  buf.writeInt32BE(1, 0);
  [2, 2, 2, 1].forEach((x, i) => buf.writeInt32BE(x, 4 + 4 * i));
  buf.writeInt32BE(0, 20);
  const write = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  assert.equal(readMgh(write('ok.mgz', gzipSync(buf))).data.length, 8);
  const v2 = Buffer.from(buf);
  v2.writeInt32BE(2, 0);
  assert.throws(() => readMgh(write('v2.mgz', gzipSync(v2))), isBadFile(/v2\.mgz: MGH version field is 2, expected 1/));
  const t7 = Buffer.from(buf);
  t7.writeInt32BE(7, 20);
  assert.throws(() => readMgh(write('t7.mgz', gzipSync(t7))), isBadFile(/t7\.mgz: MGH data type 7 \(MRI_FLOAT_COMPLEX\)/));
  const zero = Buffer.from(buf);
  zero.writeInt32BE(0, 8);
  assert.throws(() => readMgh(write('zero.mgz', gzipSync(zero))), isBadFile(/zero\.mgz: MGH dimensions 2×0×2×1/));
  assert.throws(() => readMgh(write('short.mgz', gzipSync(buf.subarray(0, 288)))), isBadFile(/short\.mgz: truncated: .*8 bytes from offset 284\) but only 4 bytes follow/));
  assert.throws(() => readMgh(write('head.mgz', gzipSync(buf.subarray(0, 40)))), isBadFile(/head\.mgz: 40 bytes, shorter than the MGH header/));
  assert.throws(() => readMgh(write('plain.mgz', buf)), isBadFile(/plain\.mgz: not gzip data \(first bytes 00 00 00 01\)/));
  const gz = gzipSync(buf);
  assert.throws(() => readMgh(write('cut.mgz', gz.subarray(0, gz.length - 10))), isBadFile(/cut\.mgz: gzip data is corrupt or truncated/));
  // an uncompressed .mgh is read as is
  assert.equal(readMgh(write('plain.mgh', buf)).data.length, 8);
  assert.throws(() => readMgh(join(dir, 'missing.mgz')), (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND');
});

test('readMgh(file) of nibabel int32 data truncated by one voxel fails, one byte short of the footer passes', { skip: skipNib }, () => {
  const plain = gunzipSync(readFileSync(join(dir, 'int32_lia.mgz')));
  const dataEnd = 284 + 7 * 5 * 6 * 4;
  assert.equal(readMgh(writeTmp('nofooter.mgz', gzipSync(plain.subarray(0, dataEnd)))).data.length, 210);
  assert.throws(() => readMgh(writeTmp('lessone.mgz', gzipSync(plain.subarray(0, dataEnd - 4)))), isBadFile(/lessone\.mgz: truncated/));
});

function writeTmp(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}
