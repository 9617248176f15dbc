import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fdrBh } from '../../src/stats/index.ts';
import { mulberry32 } from '../../src/linalg/index.ts';

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e)) assert.ok(Number.isNaN(a), `index ${i}: expected NaN, got ${a}`);
    else assert.ok(Math.abs(a - e) <= tol, `index ${i}: ${a} vs ${e}`);
  }
}

test('fdrBh(p) matches a hand-computed example', () => {
  // sorted: 0.01 (1), 0.03 (2), 0.04 (3), 0.5 (4); m·p/rank = 0.04, 0.06, 0.0533, 0.5; then running min from the right
  close(fdrBh([0.01, 0.04, 0.03, 0.5]), [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5]);
});

test('fdrBh(p) caps q at 1 and gives ties equal q', () => {
  close(fdrBh([0.9, 0.9, 0.8]), [0.9, 0.9, 0.9]);
  close(fdrBh([0.02, 0.02, 0.02, 0.02]), [0.02, 0.02, 0.02, 0.02]);
  close(fdrBh([1, 0.6]), [1, 1]);
});

test('fdrBh(p) equals the brute-force definition min_{j≥i} m·p(j)/j and is monotone with q ≥ p', () => {
  const rand = mulberry32(7);
  const p = Float64Array.from({ length: 200 }, (_, i) => (i < 40 ? rand() * 0.002 : rand()));
  const q = fdrBh(p);
  const sorted = Array.from(p).sort((a, b) => a - b);
  const m = p.length;
  for (let i = 0; i < m; i++) {
    const rank = sorted.indexOf(p[i]!) + 1; // values are distinct
    let best = 1;
    for (let j = rank; j <= m; j++) best = Math.min(best, (m * sorted[j - 1]!) / j);
    assert.ok(Math.abs(q[i]! - best) < 1e-12, `q[${i}] = ${q[i]} vs ${best}`);
    assert.ok(q[i]! >= p[i]!);
    assert.ok(q[i]! <= 1);
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (p[i]! < p[j]!) assert.ok(q[i]! <= q[j]!);
});

test('fdrBh(p) skips NaN p-values: q is NaN there and m counts only the finite ones', () => {
  close(fdrBh([0.01, Number.NaN, 0.04]), [0.02, Number.NaN, 0.04]);
});

test('fdrBh(p) of an empty array is empty', () => {
  assert.equal(fdrBh([]).length, 0);
});

test('fdrBh(p) rejects values outside [0, 1]', () => {
  assert.throws(() => fdrBh([0.1, 1.5]), /outside \[0, 1\]/);
  assert.throws(() => fdrBh([-0.1]), /outside \[0, 1\]/);
});
