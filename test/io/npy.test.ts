import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNpy, readNpy, serializeNpy, writeNpy, type NpyData } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const noNumpy = python.status === 0 ? false : 'python3 with numpy is not available on this machine';

const CODES = ['f4', 'f8', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8', 'b1'] as const;
type Code = (typeof CODES)[number];
const SHAPES: number[][] = [[], [0], [7], [2, 3, 4], [3, 1, 5]];

/** Same values as the Python side: element k of a C-order array. */
function expected(code: Code, n: number): NpyData {
  const ks = Array.from({ length: n }, (_, k) => k);
  switch (code) {
    case 'f4': return Float32Array.from(ks, (k) => k * 0.1 - 3);
    case 'f8': return Float64Array.from(ks, (k) => k * 0.1 - 3);
    case 'i1': return Int8Array.from(ks, (k) => (k % 100) - 50);
    case 'i2': return Int16Array.from(ks, (k) => k * 1000 - 30000);
    case 'i4': return Int32Array.from(ks, (k) => k * 100000 - 2000000000);
    case 'i8': return BigInt64Array.from(ks, (k) => BigInt(k) * 1099511627776n - 3n);
    case 'u1': return Uint8Array.from(ks, (k) => (k * 7) % 256);
    case 'u2': return Uint16Array.from(ks, (k) => k * 1000);
    case 'u4': return Uint32Array.from(ks, (k) => k * 100000000);
    case 'u8': return BigUint64Array.from(ks, (k) => BigInt(k) * 1099511627776n + 5n);
    case 'b1': return Uint8Array.from(ks, (k) => (k % 3 === 0 ? 1 : 0));
  }
}

const PY_VALUES = `
import numpy as np, sys, os, json
def values(code, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    k = np.arange(n)
    v = {'f4': (k * 0.1 - 3).astype(np.float32), 'f8': k * 0.1 - 3, 'i1': (k % 100 - 50).astype(np.int8),
         'i2': (k * 1000 - 30000).astype(np.int16), 'i4': (k * 100000 - 2000000000).astype(np.int32),
         'i8': k.astype(np.int64) * 1099511627776 - 3, 'u1': ((k * 7) % 256).astype(np.uint8),
         'u2': (k * 1000).astype(np.uint16), 'u4': (k * 100000000).astype(np.uint32),
         'u8': k.astype(np.uint64) * np.uint64(1099511627776) + np.uint64(5), 'b1': k % 3 == 0}[code]
    # f4 computed in float64 then cast, like Float32Array.from in the test
    if code == 'f4': v = (k * 0.1 - 3).astype(np.float32)
    return v.reshape(shape)
`;

function name(code: Code, shape: number[], tag: string): string {
  return `${tag}_${code}_${shape.join('x') || 'scalar'}.npy`;
}

test('readNpy(path) reads every dtype, both byte orders, C and Fortran order, and 0-d/1-d/3-d shapes written by numpy', { skip: noNumpy }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-'));
  try {
    const script = `${PY_VALUES}
d = sys.argv[1]
for code in ${JSON.stringify(CODES)}:
    for shape in ${JSON.stringify(SHAPES)}:
        s = 'x'.join(map(str, shape)) or 'scalar'
        v = values(code, tuple(shape))
        np.save(os.path.join(d, f'le_{code}_{s}.npy'), v.astype(v.dtype.newbyteorder('<')))
        np.save(os.path.join(d, f'be_{code}_{s}.npy'), v.astype(v.dtype.newbyteorder('>')))
        be = v.astype(v.dtype.newbyteorder('>'))
        np.save(os.path.join(d, f'fo_{code}_{s}.npy'), np.asfortranarray(be) if be.ndim >= 2 else be)
`;
    const r = spawnSync('python3', ['-c', script, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(readFileSync(join(dir, 'fo_f8_2x3x4.npy')).toString('latin1', 0, 128), /'fortran_order': True/);
    let checked = 0;
    for (const code of CODES) {
      for (const shape of SHAPES) {
        const n = shape.reduce((a, b) => a * b, 1);
        for (const tag of ['le', 'be', 'fo']) {
          const arr = readNpy(join(dir, name(code, shape, tag)));
          assert.deepEqual(arr.shape, shape, `${tag} ${code} ${shape}`);
          assert.deepEqual(arr.data, expected(code, n), `${tag} ${code} ${shape}`);
          const order = code === 'i1' || code === 'u1' || code === 'b1' ? '|' : tag === 'le' ? '<' : '>';
          assert.equal(arr.dtype, order + code);
          checked++;
        }
      }
    }
    assert.equal(checked, CODES.length * SHAPES.length * 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serializeNpy(data, shape) is byte-identical to numpy.save and numpy.load reads writeNpy files back exactly', { skip: noNumpy }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-'));
  try {
    for (const code of CODES) {
      for (const shape of SHAPES) {
        const n = shape.reduce((a, b) => a * b, 1);
        writeNpy(join(dir, name(code, shape, 'ts')), expected(code, n), shape, { bool: code === 'b1' });
      }
    }
    const script = `${PY_VALUES}
d = sys.argv[1]
bad = []
for code in ${JSON.stringify(CODES)}:
    for shape in ${JSON.stringify(SHAPES)}:
        s = 'x'.join(map(str, shape)) or 'scalar'
        v = values(code, tuple(shape))
        got = np.load(os.path.join(d, f'ts_{code}_{s}.npy'))
        if got.dtype != v.dtype or got.shape != v.shape or not np.array_equal(got, v): bad.append(f'{code} {s}')
        np.save(os.path.join(d, f'np_{code}_{s}.npy'), v)
print(json.dumps(bad))
`;
    const r = spawnSync('python3', ['-c', script, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
    for (const code of CODES) {
      for (const shape of SHAPES) {
        const ours = readFileSync(join(dir, name(code, shape, 'ts')));
        const theirs = readFileSync(join(dir, name(code, shape, 'np')));
        assert.ok(ours.equals(theirs), `bytes differ for ${code} ${shape}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseNpy(bytes) reads version 2.0 and 3.0 headers', { skip: noNumpy }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-'));
  try {
    const script = `
import numpy as np, sys
from numpy.lib import format as f
a = np.arange(12, dtype='<f8').reshape(3, 4) / 7
for v in [(2, 0), (3, 0)]:
    with open(f'{sys.argv[1]}/v{v[0]}.npy', 'wb') as fh:
        f.write_array(fh, a, version=v)
`;
    const r = spawnSync('python3', ['-c', script, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const v of [2, 3]) {
      const bytes = readFileSync(join(dir, `v${v}.npy`));
      assert.equal(bytes[6], v);
      const arr = parseNpy(bytes);
      assert.deepEqual(arr.shape, [3, 4]);
      assert.deepEqual(arr.data, Float64Array.from({ length: 12 }, (_, k) => k / 7));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseNpy(bytes) of a long shape header switches serializeNpy to version 2.0 and reads it back', () => {
  const shape = Array.from({ length: 30000 }, () => 1);
  const bytes = serializeNpy(new Float32Array([2.5]), shape);
  assert.equal(bytes[6], 2);
  assert.equal((10 + 2 + new DataView(bytes.buffer).getUint32(8, true)) % 64, 0);
  const arr = parseNpy(bytes);
  assert.equal(arr.shape.length, 30000);
  assert.deepEqual(arr.data, new Float32Array([2.5]));
});

test('parseNpy(bytes) rejects truncated data, a bad magic, unsupported dtypes and versions with Brain2MusicError', () => {
  const good = serializeNpy(new Float64Array([1, 2, 3, 4]), [2, 2]);
  const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);
  assert.throws(() => parseNpy(good.subarray(0, good.length - 1), 'x.npy'), isErr('BAD_FILE', /x\.npy is truncated.*needs 32 data bytes, found 31/));
  assert.throws(() => parseNpy(good.subarray(0, 40)), isErr('BAD_FILE', /truncated/));
  assert.throws(() => parseNpy(new Uint8Array([1, 2, 3])), isErr('BAD_FILE', /not a NumPy \.npy file/));
  const f2 = new TextDecoder('latin1').decode(good).replace("'<f8'", "'<f2'");
  assert.throws(() => parseNpy(Uint8Array.from(f2, (c) => c.charCodeAt(0))), isErr('UNSUPPORTED', /dtype '<f2'/));
  const v9 = good.slice();
  v9[6] = 9;
  assert.throws(() => parseNpy(v9), isErr('UNSUPPORTED', /version 9\.0/));
  const structured = new TextDecoder('latin1').decode(good).replace("'<f8'", "[('a','<f8')]");
  assert.throws(() => parseNpy(Uint8Array.from(structured, (c) => c.charCodeAt(0))), isErr('UNSUPPORTED', /structured dtype/));
  assert.throws(() => readNpy('/nonexistent/dir/a.npy'), isErr('NOT_FOUND', /a\.npy/));
  assert.throws(() => serializeNpy(new Float32Array(5), [2, 2]), isErr('MISMATCH', /4 elements but the data has 5/));
});

test('readNpy(path) reads a file whose data is not aligned in memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-'));
  try {
    const bytes = serializeNpy(Float32Array.from([1.5, -2, 3]), [3]);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    assert.deepEqual(parseNpy(shifted.subarray(1)).data, Float32Array.from([1.5, -2, 3]));
    writeFileSync(join(dir, 'a.npy'), bytes);
    assert.deepEqual(readNpy(join(dir, 'a.npy')).data, Float32Array.from([1.5, -2, 3]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
