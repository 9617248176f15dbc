import { fail } from '../errors.ts';

/** Largest scale searched: ridge scores of a one-hot target live on about [0, 1], so β = 100 is already a hard argmax. */
const MAX_SCALE = 100;
const MIN_SCALE = 0.01;

/**
 * softmaxScaled(scores, scale) → probabilities softmax(scale · scores) (length k, sums to 1).
 * @example softmaxScaled([1, 0], Math.log(3)) // [0.75, 0.25]
 */
export function softmaxScaled(scores: ArrayLike<number>, scale: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scale * scores[i]!);
  const p = Float64Array.from(scores, (s) => Math.exp(scale * s - max));
  let total = 0;
  for (const x of p) total += x;
  for (let i = 0; i < p.length; i++) p[i]! /= total;
  return p;
}

/** Mean log-likelihood of the labels under softmax(scale · scores). */
function meanLogLikelihood(scores: Float64Array, labels: ArrayLike<number>, k: number, scale: number): number {
  let ll = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = scores.subarray(i * k, (i + 1) * k);
    let max = -Infinity;
    for (const s of row) max = Math.max(max, scale * s);
    let sum = 0;
    for (const s of row) sum += Math.exp(scale * s - max);
    ll += scale * row[labels[i]!]! - max - Math.log(sum);
  }
  return ll / labels.length;
}

/**
 * fitSoftmaxScale(scores, labels, k) → the scale β for which softmax(β · scores) best predicts
 * the labels (maximum mean log-likelihood, β in [0.01, 100]): temperature scaling, which turns
 * class scores (e.g. ridge predictions of a one-hot target) into calibrated probabilities
 * without changing their argmax. Pass out-of-fold scores, or β fits the training fit's
 * overconfidence. The log-likelihood is concave in β, so a golden-section search on log β finds it.
 * @param scores n × k class scores, row-major
 * @param labels n class indices in [0, k)
 * @returns β; 1 when there are no labels to fit
 */
export function fitSoftmaxScale(scores: Float64Array, labels: ArrayLike<number>, k: number): number {
  const n = labels.length;
  if (scores.length !== n * k) fail('MISMATCH', `fitSoftmaxScale: ${scores.length} scores for ${n} labels × ${k} classes.`);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k) fail('BAD_INPUT', `fitSoftmaxScale: label ${i} is ${y}; labels must be class indices in [0, ${k}).`);
  }
  if (n === 0) return 1;
  const f = (logScale: number) => meanLogLikelihood(scores, labels, k, Math.exp(logScale));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(MIN_SCALE);
  let hi = Math.log(MAX_SCALE);
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  while (hi - lo > 1e-4) {
    if (fa >= fb) {
      hi = b; b = a; fb = fa;
      a = hi - ratio * (hi - lo); fa = f(a);
    } else {
      lo = a; a = b; fa = fb;
      b = lo + ratio * (hi - lo); fb = f(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}
