import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nWayTop1 } from './imports.ts';
import { randn } from './rng.ts';

test('nWayTop1(P, T) of a hand-worked 3-item case counts ties as failures', () => {
  const P = [0, 1, /**/ 1, 0, /**/ 0, 1];
  const T = [0, 1, /**/ 1, 0, /**/ 1, 0];
  // C = [[1,-1,-1], [-1,1,1], [1,-1,-1]]: item 0 strict best; item 1 ties item 2; item 2 loses.
  const res = nWayTop1(P, T, 3, 2);
  assert.deepEqual([...res.perItem], [1, 0, 0]);
  assert.equal(res.value, 1 / 3);
  assert.equal(res.chance, 1 / 3);
  assert.equal(res.n, 3);
});

test('nWayTop1(P, T) equals a brute-force argmax on random data, chance 1/60 for 60 items', () => {
  const n = 60, dim = 8;
  const T = randn(n * dim, 10);
  const noise = randn(n * dim, 11);
  const P = T.map((t, k) => t + 1.2 * noise[k]);
  const res = nWayTop1(P, T, n, dim);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = -1, bestR = -Infinity;
    for (let j = 0; j < n; j++) {
      const a = P.subarray(i * dim, (i + 1) * dim), b = T.subarray(j * dim, (j + 1) * dim);
      const ma = a.reduce((s, v) => s + v, 0) / dim, mb = b.reduce((s, v) => s + v, 0) / dim;
      let sab = 0, saa = 0, sbb = 0;
      for (let d = 0; d < dim; d++) { sab += (a[d] - ma) * (b[d] - mb); saa += (a[d] - ma) ** 2; sbb += (b[d] - mb) ** 2; }
      const r = sab / Math.sqrt(saa * sbb);
      if (r > bestR) { bestR = r; best = j; }
    }
    if (best === i) hits++;
  }
  assert.equal(res.value, hits / n);
  assert.ok(res.value > 0.1 && res.value < 1, `partly identifiable, got ${res.value}`);
  assert.equal(res.chance, 1 / 60);
});
