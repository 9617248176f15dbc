import { fail } from '../errors.ts';

/** Per-voxel noise ceiling from repeated presentations (see {@link noiseCeiling}). */
export interface NoiseCeiling {
  /** Signal power SP per voxel (unbiased; may be slightly negative for a pure-noise voxel). */
  signalPower: Float64Array;
  /** Noise power NP = TP - SP per voxel (variance of one repetition around the signal). */
  noisePower: Float64Array;
  /** Total power TP: the variance of one repetition, averaged over repetitions. */
  totalPower: Float64Array;
  /** Explainable variance SP / TP of a single repetition (NaN for a constant voxel). */
  explainableVariance: Float64Array;
  /**
   * Ceiling correlation: the expected Pearson r between the true signal and the mean of
   * `forRepetitions` repetitions, √(SP⁺ / (SP⁺ + NP / K)), SP⁺ = max(SP, 0). The best r any model can
   * reach on that mean. 0 where SP ≤ 0, NaN for a constant voxel.
   */
  ceilingR: Float64Array;
  nRepetitions: number;
  nTime: number;
  /** K used in ceilingR. */
  forRepetitions: number;
}

/**
 * Explainable variance and ceiling correlation per voxel from R repetitions of the same
 * stimuli, with the bias-corrected signal power of Sahani & Linden (2003), as used for the
 * normalised correlation of Schoppe et al. (2016).
 *
 * Per voxel, with y_r(t) repetition r at time t (r = 1..R), ȳ = (1/R) Σ_r y_r and Var the
 * variance over time (1/T normalisation; each repetition's own mean removed):
 *   TP = (1/R) Σ_r Var(y_r)             total power of one repetition
 *   SP = (R · Var(ȳ) - TP) / (R - 1)    signal power, unbiased: E[Var(ȳ)] = SP + NP/R
 *   NP = TP - SP                        noise power of one repetition
 *   explainable variance = SP / TP,  ceilingR(K) = √(SP⁺ / (SP⁺ + NP/K)).
 * With K = R (default) ceilingR is the ceiling for the mean of the R repetitions, which is what
 * encoding models are scored on (the test-set average); divide r by it with
 * `normalisedCorrelation`.
 *
 * @param repetitions R ≥ 2 arrays, each T × V row-major (time × voxel), same stimuli in the same order.
 * @param nVoxels V.
 * @example noiseCeiling([rep1, rep2, rep3, rep4], V).ceilingR // → Float64Array(V)
 */
export function noiseCeiling(
  repetitions: ArrayLike<Float32Array | Float64Array>,
  nVoxels: number,
  opts: { forRepetitions?: number } = {},
): NoiseCeiling {
  const R = repetitions.length;
  if (R < 2) fail('BAD_INPUT', `noiseCeiling: got ${R} repetition(s); the noise ceiling needs at least 2 repetitions of the same stimuli.`);
  const V = nVoxels;
  if (!Number.isInteger(V) || V < 1) fail('BAD_INPUT', `noiseCeiling: nVoxels = ${V}; give a positive integer.`);
  const len = repetitions[0]!.length;
  if (len % V !== 0) fail('MISMATCH', `noiseCeiling: repetition length ${len} is not a multiple of nVoxels = ${V}.`);
  for (let r = 1; r < R; r++) {
    if (repetitions[r]!.length !== len) fail('MISMATCH', `noiseCeiling: repetition ${r} has ${repetitions[r]!.length} values, repetition 0 has ${len}; repetitions must cover the same scans.`);
  }
  const T = len / V;
  if (T < 2) fail('BAD_INPUT', `noiseCeiling: ${T} time point(s); need at least 2.`);
  const K = opts.forRepetitions ?? R;
  if (!(K > 0)) fail('BAD_INPUT', `noiseCeiling: forRepetitions = ${K}; give a positive number.`);

  const tp = new Float64Array(V);
  const sumMean = new Float64Array(T * V); // Σ_r y_r
  const mean = new Float64Array(V);
  for (let r = 0; r < R; r++) {
    const y = repetitions[r]!;
    mean.fill(0);
    for (let i = 0; i < len; i++) mean[i % V] += y[i]!;
    for (let v = 0; v < V; v++) mean[v] /= T;
    for (let t = 0; t < T; t++) {
      for (let v = 0; v < V; v++) {
        const d = y[t * V + v]! - mean[v]!;
        tp[v] += d * d;
        sumMean[t * V + v] += y[t * V + v]!;
      }
    }
  }
  for (let v = 0; v < V; v++) tp[v] /= R * T;
  const varMean = new Float64Array(V);
  mean.fill(0);
  for (let i = 0; i < len; i++) mean[i % V] += sumMean[i]! / R;
  for (let v = 0; v < V; v++) mean[v] /= T;
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) {
      const d = sumMean[t * V + v]! / R - mean[v]!;
      varMean[v] += d * d;
    }
  }
  const sp = new Float64Array(V);
  const np = new Float64Array(V);
  const ev = new Float64Array(V);
  const ceil = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    varMean[v] /= T;
    sp[v] = (R * varMean[v]! - tp[v]!) / (R - 1);
    np[v] = tp[v]! - sp[v]!;
    if (tp[v]! > 0) {
      ev[v] = sp[v]! / tp[v]!;
      const s = Math.max(0, sp[v]!);
      ceil[v] = s > 0 ? Math.sqrt(s / (s + np[v]! / K)) : 0;
    } else {
      ev[v] = Number.NaN;
      ceil[v] = Number.NaN;
    }
  }
  return { signalPower: sp, noisePower: np, totalPower: tp, explainableVariance: ev, ceilingR: ceil, nRepetitions: R, nTime: T, forRepetitions: K };
}
