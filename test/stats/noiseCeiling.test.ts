import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noiseCeiling, normalisedCorrelation } from '../../src/stats/index.ts';
import { createRng } from '../../src/linalg/index.ts';

test('noiseCeiling(reps, V) matches a hand-computed two-repetition example', () => {
  // voxel 0: rep1 = [1, -1], rep2 = [3, -3]: Var = 1 and 9, TP = 5; mean = [2, -2], Var(mean) = 4;
  //          SP = (2·4 - 5) / 1 = 3, NP = 2, EV = 0.6, ceiling for the mean of 2 = √(3 / (3 + 2/2)).
  // voxel 1: identical repetitions [0, 2]: TP = 1, SP = 1, NP = 0, ceiling 1.
  // voxel 2: opposite repetitions [1, -1] / [-1, 1]: TP = 1, Var(mean) = 0, SP = -1, EV = -1, ceiling 0.
  const rep1 = Float64Array.from([1, 0, 1, -1, 2, -1]);
  const rep2 = Float64Array.from([3, 0, -1, -3, 2, 1]);
  const nc = noiseCeiling([rep1, rep2], 3);
  assert.deepEqual(Array.from(nc.totalPower), [5, 1, 1]);
  assert.deepEqual(Array.from(nc.signalPower), [3, 1, -1]);
  assert.deepEqual(Array.from(nc.noisePower), [2, 0, 2]);
  assert.deepEqual(Array.from(nc.explainableVariance), [0.6, 1, -1]);
  assert.ok(Math.abs(nc.ceilingR[0]! - Math.sqrt(0.75)) < 1e-15);
  assert.equal(nc.ceilingR[1], 1);
  assert.equal(nc.ceilingR[2], 0);
  assert.equal(nc.nTime, 2);
  // for a single repetition: √(3 / (3 + 2)) = √0.6
  assert.ok(Math.abs(noiseCeiling([rep1, rep2], 3, { forRepetitions: 1 }).ceilingR[0]! - Math.sqrt(0.6)) < 1e-15);
});

test('noiseCeiling(reps, V) is unbiased: signal power ≈ true signal variance, ceiling ≈ r(signal, mean of reps)', () => {
  const normal = createRng(3).normal;
  const T = 400, V = 300, R = 4, noiseSd = 2; // SP = 1, NP = 4 → ceiling for mean of 4 = √(1 / (1 + 1)) ≈ 0.7071
  const signal = Float64Array.from({ length: T * V }, normal);
  const reps = Array.from({ length: R }, () => Float64Array.from(signal, (s) => s + noiseSd * normal()));
  const nc = noiseCeiling(reps, V);
  const meanOf = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(Math.abs(meanOf(nc.signalPower) - 1) < 0.03, `mean SP ${meanOf(nc.signalPower)}`);
  assert.ok(Math.abs(meanOf(nc.noisePower) - 4) < 0.05, `mean NP ${meanOf(nc.noisePower)}`);
  assert.ok(Math.abs(meanOf(nc.ceilingR) - Math.SQRT1_2) < 0.02, `mean ceiling ${meanOf(nc.ceilingR)}`);
  // the empirical r between the true signal and the mean of the repetitions agrees with the ceiling
  let rSum = 0;
  for (let v = 0; v < V; v++) {
    let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (let t = 0; t < T; t++) {
      const x = signal[t * V + v]!;
      const y = (reps[0]![t * V + v]! + reps[1]![t * V + v]! + reps[2]![t * V + v]! + reps[3]![t * V + v]!) / 4;
      sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
    }
    rSum += (sxy - (sx * sy) / T) / Math.sqrt((sxx - (sx * sx) / T) * (syy - (sy * sy) / T));
  }
  assert.ok(Math.abs(rSum / V - meanOf(nc.ceilingR)) < 0.02, `empirical r ${rSum / V}`);
});

test('noiseCeiling(reps, V) gives NaN for a constant voxel and rejects bad input', () => {
  const nc = noiseCeiling([new Float32Array([5, 5]), new Float32Array([5, 5])], 1);
  assert.ok(Number.isNaN(nc.explainableVariance[0]!));
  assert.ok(Number.isNaN(nc.ceilingR[0]!));
  assert.throws(() => noiseCeiling([new Float32Array(4)], 2), /at least 2 repetitions/);
  assert.throws(() => noiseCeiling([new Float32Array(4), new Float32Array(6)], 2), /same scans/);
  assert.throws(() => noiseCeiling([new Float32Array(5), new Float32Array(5)], 2), /not a multiple/);
});

test('normalisedCorrelation(r, ceiling) divides by the ceiling and is NaN where there is no signal', () => {
  const out = normalisedCorrelation([0.3, 0.2, 0.1, Number.NaN], [0.6, 0, Number.NaN, 0.5]);
  assert.ok(Math.abs(out[0]! - 0.5) < 1e-15);
  assert.ok(Number.isNaN(out[1]!) && Number.isNaN(out[2]!) && Number.isNaN(out[3]!));
  assert.throws(() => normalisedCorrelation([0.1], [0.2, 0.3]), /one ceiling per voxel/);
});
