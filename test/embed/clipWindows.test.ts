import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkClipWindows, readEmbeddings, rowsFor, writeEmbeddings, type ClipWindows } from '../../src/embed/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);
const emb: ClipWindows = { name: 'builtin', source: 'RUN/embeddings/builtin.npy', data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), clipIds: ['a.1', 'b.2'], nWindows: 2, dim: 2, windowStarts: [0, 1.5], windowSec: 10 };

test('rowsFor(cw, ids) copies the clips\' windows in the order asked, repeats included', () => {
  assert.deepEqual([...rowsFor(emb, ['b.2', 'a.1'])], [5, 6, 7, 8, 1, 2, 3, 4]);
  assert.deepEqual([...rowsFor(emb, ['a.1', 'a.1'])], [1, 2, 3, 4, 1, 2, 3, 4]);
  assert.deepEqual([...rowsFor(emb, [])], []);
  const out = rowsFor(emb, ['a.1']);
  out[0] = 99;
  assert.equal(emb.data[0], 1, 'a copy');
});

test('rowsFor(cw, ids, whose) fails naming the file, the missing clip and where the ids came from', () => {
  assert.throws(() => rowsFor(emb, ['a.1', 'c.3'], 'a test clip of sub-001'), isErr('MISMATCH', /^'builtin' \(RUN\/embeddings\/builtin\.npy\) has no vectors for clip 'c\.3' \(a test clip of sub-001\): it lists 2 clips such as a\.1, b\.2\./));
  assert.throws(() => rowsFor({ ...emb, source: undefined }, ['c.3']), isErr('MISMATCH', /^'builtin' has no vectors for clip 'c\.3': it lists 2 clips/));
  assert.throws(() => rowsFor({ ...emb, dim: 3 }, ['a.1']), isErr('MISMATCH', /holds 8 values, expected 2 clips × 2 windows × 3 dims/));
});

test('checkClipWindows(cw) names the set and the first bad value: shapes, window starts, duplicate ids, NaN', () => {
  assert.equal(checkClipWindows(emb), emb);
  assert.throws(() => checkClipWindows({ ...emb, windowStarts: [0] }), isErr('BAD_INPUT', /'builtin' \(RUN\/embeddings\/builtin\.npy\): 1 window starts for 2 windows/));
  assert.throws(() => checkClipWindows({ ...emb, clipIds: ['a.1', 'a.1'] }), isErr('BAD_INPUT', /clip ids are not unique/));
  assert.throws(() => checkClipWindows({ ...emb, data: new Float32Array([1, 2, 3, 4, 5, Number.NaN, 7, 8]) }), isErr('BAD_INPUT', /non-finite value NaN in clip 'b\.2'/));
  assert.throws(() => checkClipWindows({ ...emb, data: new Float32Array(7) }), isErr('BAD_INPUT', /data has 7 values, expected clips × windows × dim = 2 × 2 × 2/));
});

test('readEmbeddings(path) gives ClipWindows named after the model, sourced from the file, with the sidecar as meta', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-cw-'));
  try {
    const path = join(dir, 'e.npy');
    const meta = { model: 'clap', version: 'clap:x', dim: 2, sampleRate: 48000, windowSec: 10, hopSec: 1.5, clipSec: 15, windowStarts: [0, 1.5], clipIds: ['a.1', 'b.2'] };
    writeEmbeddings(path, { meta, data: emb.data });
    const e = readEmbeddings(path);
    assert.deepEqual({ name: e.name, source: e.source, clipIds: e.clipIds, nWindows: e.nWindows, dim: e.dim, windowStarts: e.windowStarts, windowSec: e.windowSec }, {
      name: 'clap', source: path, clipIds: ['a.1', 'b.2'], nWindows: 2, dim: 2, windowStarts: [0, 1.5], windowSec: 10,
    });
    assert.deepEqual(e.meta, meta);
    assert.deepEqual([...rowsFor(e, ['b.2'])], [5, 6, 7, 8]);
    assert.throws(() => rowsFor(e, ['z.9']), isErr('MISMATCH', new RegExp(`'clap' \\(${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) has no vectors for clip 'z\\.9'`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
