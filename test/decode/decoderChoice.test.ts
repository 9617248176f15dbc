import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Brain2MusicError } from '../../src/errors.ts';
import { checkDecoderChoice, defaultDecoder, DEFAULT_ENCODING_VOXELS, formatDecoderChoice, parseDecoderChoice, type DecoderChoice } from '../../src/decode/index.ts';

const badInput = (re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && re.test(e.message);

test('parseDecoderChoice(s) reads encoding:N, encoding-r:T, all and rois, and formatDecoderChoice inverts it', () => {
  const cases: [string, DecoderChoice][] = [
    ['encoding:3000', { kind: 'encoding-top', n: 3000 }],
    ['encoding:1', { kind: 'encoding-top', n: 1 }],
    ['encoding-r:0.05', { kind: 'encoding-r', threshold: 0.05 }],
    ['encoding-r:0', { kind: 'encoding-r', threshold: 0 }],
    ['encoding-r:.1', { kind: 'encoding-r', threshold: 0.1 }],
    ['all', { kind: 'all' }],
    ['rois', { kind: 'roi-ensemble' }],
  ];
  for (const [s, want] of cases) assert.deepEqual(parseDecoderChoice(s), want, s);
  assert.deepEqual(parseDecoderChoice('  encoding:200 '), { kind: 'encoding-top', n: 200 });
  assert.equal(formatDecoderChoice(parseDecoderChoice('encoding-r:5e-2')), 'encoding-r:0.05');
  for (const s of ['encoding:3000', 'encoding-r:0.05', 'all', 'rois']) assert.equal(formatDecoderChoice(parseDecoderChoice(s)), s);
});

test('parseDecoderChoice(s) rejects bad strings with a message that says what to pass', () => {
  assert.throws(() => parseDecoderChoice('top3000'), badInput(/decoder 'top3000' is not one of the forms encoding:N .*encoding-r:T .*all .*rois/));
  assert.throws(() => parseDecoderChoice('encoding:'), badInput(/after 'encoding:' give a whole number of voxels, e.g. encoding:3000/));
  assert.throws(() => parseDecoderChoice('encoding:0.05'), badInput(/whole number of voxels.*encoding-r:0.05/));
  assert.throws(() => parseDecoderChoice('encoding:-5'), badInput(/whole number/));
  assert.throws(() => parseDecoderChoice('encoding:0'), badInput(/encoding:0: the number of voxels must be a positive integer/));
  assert.throws(() => parseDecoderChoice('encoding-r:high'), badInput(/after 'encoding-r:' give an encoding CV r threshold in \[0, 1\)/));
  assert.throws(() => parseDecoderChoice('encoding-r:-0.1'), badInput(/threshold in \[0, 1\)/));
  assert.throws(() => parseDecoderChoice('encoding-r:1'), badInput(/encoding-r:1: the encoding CV r threshold must be in \[0, 1\).*use all/));
  assert.throws(() => parseDecoderChoice('ALL'), badInput(/is not one of the forms/));
  assert.throws(() => parseDecoderChoice(''), badInput(/decoder '' is not one of the forms/));
});

test('checkDecoderChoice(c) validates the object form', () => {
  assert.deepEqual(checkDecoderChoice({ kind: 'encoding-top', n: 5 }), { kind: 'encoding-top', n: 5 });
  assert.throws(() => checkDecoderChoice({ kind: 'encoding-top', n: 2.5 }), badInput(/positive integer/));
  assert.throws(() => checkDecoderChoice({ kind: 'encoding-r', threshold: Number.NaN }), badInput(/threshold must be in \[0, 1\)/));
  assert.throws(() => checkDecoderChoice({ kind: 'lasso' } as unknown as DecoderChoice), badInput(/decoder kind 'lasso' is unknown/));
});

test('defaultDecoder(atlas, V) is the ROI ensemble with labels and encoding:3000 without, clamped to V in its reason', () => {
  const names = new Map([[1, 'A'], [2, 'B']]);
  const labelled = defaultDecoder({ labels: Int32Array.of(0, 1, 2, 2), names }, 4);
  assert.deepEqual(labelled, { choice: { kind: 'roi-ensemble' }, label: 'rois', reason: 'atlas with 2 regions: ROI ensemble' });
  assert.equal(DEFAULT_ENCODING_VOXELS, 3000);
  assert.deepEqual(defaultDecoder({ labels: new Int32Array(60784), names: new Map() }, 60784), {
    choice: { kind: 'encoding-top', n: 3000 }, label: 'encoding:3000', reason: 'no atlas: decoding with encoding:3000',
  });
  assert.equal(defaultDecoder(null, 2000).reason, 'no atlas: decoding with encoding:3000 (all 2000 voxels: fewer than 3000)');
  assert.equal(defaultDecoder({ labels: new Int32Array(0), names: new Map() }, 10).label, 'encoding:3000');
});
