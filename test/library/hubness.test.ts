import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centerOnLibrary, cosineTopK, evaluateRetrieval, hubnessTopK, retrievalConcentration } from '../../src/library/index.ts';
import { mulberry32 } from '../../src/linalg/index.ts';

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

test('centerOnLibrary(lib, q) removes the mean direction of the unit-length tracks from tracks and queries', () => {
  const rand = mulberry32(1);
  const dim = 6, N = 40;
  const lib = Float32Array.from({ length: N * dim }, () => gauss(rand) + 2);
  const q = Float32Array.from({ length: 3 * dim }, () => gauss(rand));
  const c = centerOnLibrary(lib, q, dim);
  for (let d = 0; d < dim; d++) {
    let m = 0;
    for (let i = 0; i < N; i++) m += c.library[i * dim + d]! / N;
    assert.ok(Math.abs(m) < 1e-6, `column ${d} mean ${m}`);
  }
});

test('hubnessTopK(…, "none") is exact cosine; "csls" matches a float64 brute force of 2·cos − r(q) − r(t)', async () => {
  const rand = mulberry32(2);
  const dim = 5, N = 30, Q = 12, k = 4, K = 3;
  const lib = Float32Array.from({ length: N * dim }, () => gauss(rand));
  const qs = Float32Array.from({ length: Q * dim }, () => gauss(rand));
  const plain = await hubnessTopK(lib, qs, dim, k, 'none');
  assert.deepEqual(Array.from(plain.indices), Array.from(cosineTopK(lib, qs, dim, k).indices));
  const cos = (a: Float32Array, i: number, b: Float32Array, j: number) => {
    let ab = 0, aa = 0, bb = 0;
    for (let d = 0; d < dim; d++) { ab += a[i * dim + d]! * b[j * dim + d]!; aa += a[i * dim + d]! ** 2; bb += b[j * dim + d]! ** 2; }
    return ab / Math.sqrt(aa * bb);
  };
  const meanTop = (xs: number[], n: number) => xs.sort((a, b) => b - a).slice(0, n).reduce((s, x) => s + x, 0) / n;
  const rT = Array.from({ length: N }, (_, t) => meanTop(Array.from({ length: Q }, (_, q) => cos(qs, q, lib, t)), K));
  const rQ = Array.from({ length: Q }, (_, q) => meanTop(Array.from({ length: N }, (_, t) => cos(qs, q, lib, t)), K));
  const csls = await hubnessTopK(lib, qs, dim, k, 'csls', { cslsK: K, blockRows: 7 });
  for (let q = 0; q < Q; q++) {
    const ref = Array.from({ length: N }, (_, t) => ({ t, s: 2 * cos(qs, q, lib, t) - rQ[q]! - rT[t]! })).sort((a, b) => b.s - a.s).slice(0, k);
    assert.deepEqual(Array.from(csls.indices.subarray(q * k, (q + 1) * k)), ref.map((r) => r.t), `query ${q}`);
    ref.forEach((r, j) => assert.ok(Math.abs(csls.scores[q * k + j]! - r.s) < 1e-5, `query ${q} rank ${j}: ${csls.scores[q * k + j]} vs ${r.s}`));
  }
});

test('retrievalConcentration(top1) counts distinct tracks and the largest hub; one track for more than a quarter of the clips is degenerate', () => {
  assert.deepEqual(retrievalConcentration(['a', 'b', 'c', 'd']), { n: 4, distinct: 4, largestHub: { id: 'a', count: 1, share: 0.25 }, degenerate: false });
  const c = retrievalConcentration(['h', 'h', 'h', 'a', 'b', 'c', 'd', 'e', 'f', 'g']);
  assert.deepEqual([c.distinct, c.largestHub.id, c.largestHub.count, c.largestHub.share, c.degenerate], [8, 'h', 3, 0.3, true]);
});

test('on a library with hubs, hubness reduction spreads the retrieved tracks and identifies the clips better than plain cosine', async () => {
  // Tracks: a shared offset (the anisotropy that makes hubs) plus each track's own direction; two
  // hub tracks sit on the offset. Test clips are 40 library tracks, decoded the way ridge decodes:
  // shrunk towards the mean (a third of each clip's own direction) and noisy, so every decoded
  // embedding points nearly along the offset, where the hubs are.
  const rand = mulberry32(7);
  const dim = 24, N = 400, n = 40;
  const offset = Float32Array.from({ length: dim }, () => gauss(rand));
  const lib = new Float32Array(N * dim);
  for (let i = 0; i < N; i++) for (let d = 0; d < dim; d++) lib[i * dim + d] = offset[d]! + 0.6 * gauss(rand);
  for (const h of [0, 1]) for (let d = 0; d < dim; d++) lib[h * dim + d] = offset[d]! * 1.02 + 0.05 * gauss(rand);
  const ids = Array.from({ length: N }, (_, i) => `t${i}`);
  const clipRows = Array.from({ length: n }, (_, j) => 2 + j * 9);
  const truth = new Float32Array(n * dim);
  const predicted = new Float32Array(n * dim);
  clipRows.forEach((r, j) => {
    for (let d = 0; d < dim; d++) {
      truth[j * dim + d] = lib[r * dim + d]!;
      predicted[j * dim + d] = offset[d]! + (lib[r * dim + d]! - offset[d]!) / 3 + 0.1 * gauss(rand);
    }
  });
  const library = { ids, genres: ids.map(() => null), vectors: lib };
  const base = { predicted, truth, clipGenres: clipRows.map(() => null), library, dim, k: 5, seed: 3 };
  const plain = evaluateRetrieval(base);
  const results: Record<string, { distinct: number; hub: number; ident: number }> = { none: { distinct: plain.concentration.predicted.distinct, hub: plain.concentration.predicted.largestHub.share, ident: plain.identification.predicted } };
  for (const method of ['center', 'csls'] as const) {
    const ev = evaluateRetrieval({ ...base, retrieved: await hubnessTopK(lib, predicted, dim, 5, method), oracleRetrieved: await hubnessTopK(lib, truth, dim, 1, method) });
    results[method] = { distinct: ev.concentration.predicted.distinct, hub: ev.concentration.predicted.largestHub.share, ident: ev.identification.predicted };
  }
  console.log(`hubs: ${JSON.stringify(results)}`);
  assert.ok(plain.concentration.predicted.degenerate, `plain cosine is degenerate on this library (largest hub ${results.none!.hub})`);
  for (const m of ['center', 'csls']) {
    assert.ok(results[m]!.distinct > results.none!.distinct, `${m}: ${results[m]!.distinct} distinct tracks vs ${results.none!.distinct}`);
    assert.ok(results[m]!.hub < results.none!.hub, `${m}: largest hub ${results[m]!.hub} vs ${results.none!.hub}`);
    assert.ok(results[m]!.ident > results.none!.ident, `${m}: identification ${results[m]!.ident} vs ${results.none!.ident}`);
  }
});
