/**
 * hann(n) → the periodic Hann window of length `n`, w[i] = 0.5 − 0.5·cos(2πi/n), float64: the
 * window of every short-time spectrum in brain2music (builtin embedder, acoustic features,
 * report spectrograms).
 * @example hann(4) // [0, 0.5, 1, 0.5]
 */
export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}
