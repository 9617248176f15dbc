import FFT from 'fft.js';

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

// fft.js builds its twiddle and bit-reversal tables in the constructor (a quarter of the cost at
// 2^18 points), so one plan per size is kept for the process.
const plans = new Map<number, FFT>();
function planOf(size: number): FFT {
  let plan = plans.get(size);
  if (!plan) {
    plan = new FFT(size);
    plans.set(size, plan);
  }
  return plan;
}

/** Full complex spectrum (interleaved re, im) of `x` zero-padded to `size`; typed arrays, not fft.js's boxed ones. */
function spectrumOf(x: Float32Array, size: number): Float64Array {
  const plan = planOf(size);
  const padded = new Float64Array(size);
  padded.set(x);
  const spectrum = new Float64Array(2 * size);
  plan.realTransform(spectrum, padded);
  plan.completeSpectrum(spectrum);
  return spectrum;
}

function energy(x: Float32Array): number {
  let e = 0;
  for (const v of x) e += v * v;
  return e;
}

/**
 * maxNormalisedCrossCorrelations(a, bs) → for each b, max over all lags of |Σ a[t]·b[t+lag]| /
 * (‖a‖·‖b‖), in [0, 1]. 1 means b contains a scaled, shifted copy of a; unrelated music stays far
 * below. Each pair uses one FFT size covering the full linear correlation (no circular
 * wrap-around); a's spectrum is computed once per size.
 */
export function maxNormalisedCrossCorrelations(a: Float32Array, bs: readonly Float32Array[]): number[] {
  const na = energy(a);
  const spectraOfA = new Map<number, Float64Array>();
  return bs.map((b) => {
    const nb = energy(b);
    if (na === 0 || nb === 0) return 0;
    const size = nextPow2(a.length + b.length - 1);
    let A = spectraOfA.get(size);
    if (!A) {
      A = spectrumOf(a, size);
      spectraOfA.set(size, A);
    }
    const B = spectrumOf(b, size);
    // conj(A)·B gives the cross-correlation Σ a[t]·b[t+lag]; written over B, which is not needed again
    for (let k = 0; k < size; k++) {
      const ar = A[2 * k]!, ai = A[2 * k + 1]!, br = B[2 * k]!, bi = B[2 * k + 1]!;
      B[2 * k] = ar * br + ai * bi;
      B[2 * k + 1] = ar * bi - ai * br;
    }
    const out = new Float64Array(2 * size);
    planOf(size).inverseTransform(out, B);
    let best = 0;
    for (let k = 0; k < size; k++) best = Math.max(best, Math.abs(out[2 * k]!));
    return best / Math.sqrt(na * nb);
  });
}

/** maxNormalisedCrossCorrelation(a, b) → the normalised cross-correlation of one pair (see maxNormalisedCrossCorrelations). */
export function maxNormalisedCrossCorrelation(a: Float32Array, b: Float32Array): number {
  return maxNormalisedCrossCorrelations(a, [b])[0]!;
}
