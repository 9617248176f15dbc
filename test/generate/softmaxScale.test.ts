import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSoftmaxScale, softmaxScaled } from '../../src/generate/index.ts';
import { createRng } from '../../src/linalg/index.ts';

test('softmaxScaled([1, 0], ln 3) is [0.75, 0.25]', () => {
  const p = softmaxScaled([1, 0], Math.log(3));
  assert.ok(Math.abs(p[0]! - 0.75) < 1e-12 && Math.abs(p[1]! - 0.25) < 1e-12);
  assert.deepEqual(Array.from(softmaxScaled([2, 2, 2], 7)), [1 / 3, 1 / 3, 1 / 3]);
});

test('fitSoftmaxScale(scores, labels) recovers the scale the labels were drawn with', () => {
  const rng = createRng(3);
  const n = 4000;
  const k = 4;
  for (const beta of [2, 8]) {
    const scores = Float64Array.from({ length: n * k }, () => rng.uniform(0, 1));
    const labels = Array.from({ length: n }, (_, i) => {
      const p = softmaxScaled(scores.subarray(i * k, (i + 1) * k), beta);
      return rng.weighted([0, 1, 2, 3], Array.from(p));
    });
    const fitted = fitSoftmaxScale(scores, labels, k);
    assert.ok(Math.abs(fitted / beta - 1) < 0.1, `β ${beta} fitted as ${fitted.toFixed(3)}`);
  }
});

test('fitSoftmaxScale(scores, labels) stays in [0.01, 100] and rejects a label outside the classes', () => {
  // labels always the top score: the likelihood rises towards 0 as β grows (flat in float64 past β ≈ 36), a hard argmax
  const scores = new Float64Array([1, 0, 0, 1, 1, 0]);
  const hard = fitSoftmaxScale(scores, [0, 1, 0], 2);
  assert.ok(hard > 30 && hard <= 100, `β ${hard}`);
  // labels always the lowest score: β shrinks to the floor
  assert.ok(Math.abs(fitSoftmaxScale(scores, [1, 0, 1], 2) - 0.01) < 1e-3);
  assert.equal(fitSoftmaxScale(new Float64Array(0), [], 3), 1);
  assert.throws(() => fitSoftmaxScale(scores, [0, 2, 0], 2), /labels must be class indices in \[0, 2\)/);
});
