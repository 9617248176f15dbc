import FFT from 'fft.js';

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * maxNormalisedCrossCorrelation(a, b) → max over all lags of |Σ a[t]·b[t+lag]| / (‖a‖·‖b‖), in [0, 1].
 * 1 means b contains a scaled, shifted copy of a; unrelated music stays far below. Computed with
 * one FFT size covering the full linear correlation (no circular wrap-around).
 */
export function maxNormalisedCrossCorrelation(a: Float32Array, b: Float32Array): number {
  let na = 0;
  let nb = 0;
  for (const x of a) na += x * x;
  for (const x of b) nb += x * x;
  if (na === 0 || nb === 0) return 0;
  const size = nextPow2(a.length + b.length - 1);
  const fft = new FFT(size);
  const pa = new Float64Array(size);
  const pb = new Float64Array(size);
  pa.set(a);
  pb.set(b);
  const A = fft.createComplexArray() as number[];
  const B = fft.createComplexArray() as number[];
  fft.realTransform(A, pa);
  fft.completeSpectrum(A);
  fft.realTransform(B, pb);
  fft.completeSpectrum(B);
  // conj(A)·B gives the cross-correlation Σ a[t]·b[t+lag]
  const P = fft.createComplexArray() as number[];
  for (let k = 0; k < size; k++) {
    const ar = A[2 * k]!, ai = A[2 * k + 1]!, br = B[2 * k]!, bi = B[2 * k + 1]!;
    P[2 * k] = ar * br + ai * bi;
    P[2 * k + 1] = ar * bi - ai * br;
  }
  const out = fft.createComplexArray() as number[];
  fft.inverseTransform(out, P);
  let best = 0;
  for (let k = 0; k < size; k++) best = Math.max(best, Math.abs(out[2 * k]!));
  return best / Math.sqrt(na * nb);
}
