import { test } from 'node:test';
import assert from 'node:assert/strict';
import { betaIncReg, gaussianNullP, logGamma, studentTSf } from '../../src/stats/index.ts';

// References computed with scipy 1.10.1 (scipy.special.betainc, gammaln, scipy.stats.t.sf).
const BETAINC: [number, number, number, number][] = [
  [0.3, 2, 3, 0.3483],
  [0.9, 0.5, 0.5, 0.7951672353008662],
  [0.01, 5, 0.5, 2.4712578086395448e-11],
  [0.999, 299, 0.5, 0.4394189649923228],
  [0.0001, 0.5, 30, 0.06148745840877138],
  [0.2, 50, 60, 1.0328973362230232e-09],
  [0.97, 1199, 0.5, 1.2795373458184e-17],
];
const TSF: [number, number, number][] = [
  [2.228138851986, 10, 0.025000000000011614],
  [-1.5, 4, 0.896],
  [0.7, 598, 0.24209976323470656],
  [5.0, 58, 2.8092103486327213e-06],
  [12.0, 2398, 1.462410332124744e-32],
];
// r, n, one-sided P(R ≥ r), two-sided P(|R| ≥ |r|)
const RP: [number, number, number, number][] = [
  [0.1, 600, 0.007132365597179208, 0.014264731194358416],
  [0.3, 60, 0.009934091444660845, 0.01986818288932169],
  [-0.2, 100, 0.976981856769973, 0.046036286460054136],
  [0.05, 2400, 0.007147852510614822, 0.014295705021229644],
  [0.9, 10, 0.00019357812499999963, 0.00038715624999999926],
  [0.6, 600, 3.0252512140799826e-60, 6.050502428159965e-60],
  [0.0, 50, 0.5, 1.0],
];

function rel(a: number, e: number): number {
  return e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e);
}

test('logGamma(x) matches scipy gammaln', () => {
  const xs = [0.5, 1, 5, 10.5, 1200, 1e5];
  const ref = [0.5723649429247, 0.0, 3.1780538303479458, 13.940625219403763, 7305.466172491069, 1051287.7089736569];
  xs.forEach((x, i) => assert.ok(Math.abs(logGamma(x) - ref[i]!) < 1e-12 * Math.max(1, ref[i]!), `logGamma(${x}) = ${logGamma(x)}`));
});

test('betaIncReg(x, a, b) matches scipy betainc to 1e-9 relative', () => {
  for (const [x, a, b, e] of BETAINC) assert.ok(rel(betaIncReg(x, a, b), e) < 1e-9, `I_${x}(${a}, ${b}) = ${betaIncReg(x, a, b)} vs ${e}`);
  assert.equal(betaIncReg(0, 2, 3), 0);
  assert.equal(betaIncReg(1, 2, 3), 1);
  assert.ok(Number.isNaN(betaIncReg(1.2, 2, 3)));
});

test('studentTSf(t, dof) matches scipy t.sf', () => {
  for (const [t, d, e] of TSF) assert.ok(rel(studentTSf(t, d), e) < 1e-9, `sf(${t}; ${d}) = ${studentTSf(t, d)} vs ${e}`);
});

test('gaussianNullP(r, n) gives the one-sided t-test p-value of scipy', () => {
  for (const [r, n, e] of RP) {
    const p = gaussianNullP([r], n)[0]!;
    assert.ok(rel(p, e) < 1e-8, `p(${r}; n=${n}) = ${p} vs ${e}`);
  }
});

test('gaussianNullP(r, n, { tail: "two-sided" }) gives P(|R| ≥ |r|)', () => {
  for (const [r, n, , e] of RP) {
    const p = gaussianNullP([r], n, { tail: 'two-sided' })[0]!;
    assert.ok(rel(p, e) < 1e-8, `p(${r}; n=${n}) = ${p} vs ${e}`);
  }
});

test('gaussianNullP(r, n) is 0 at r = 1, 1 at r = -1, NaN for NaN, and rejects |r| > 1 and n < 3', () => {
  const p = gaussianNullP([1, -1, Number.NaN], 20);
  assert.equal(p[0], 0);
  assert.equal(p[1], 1);
  assert.ok(Number.isNaN(p[2]!));
  assert.throws(() => gaussianNullP([1.5], 20), /not a correlation/);
  assert.throws(() => gaussianNullP([0.5], 2), /n ≥ 3/);
});
