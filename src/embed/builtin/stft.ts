import FFT from 'fft.js';

/** A periodic Hann window of length `n`. */
export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** Short-time power spectrum: `frames × (nFft/2 + 1)` row-major, frames without centring. */
export interface PowerSpectrogram {
  frames: number;
  bins: number;
  data: Float64Array;
}

/**
 * Power spectrogram of `x` with a Hann window of `nFft` samples advanced by `hop` samples
 * (frame `t` covers samples `[t·hop, t·hop + nFft)`; a signal shorter than one frame is
 * zero-padded to one frame). Uses fft.js's real transform.
 */
export function powerSpectrogram(x: Float32Array, nFft: number, hop: number): PowerSpectrogram {
  const frames = x.length < nFft ? 1 : Math.floor((x.length - nFft) / hop) + 1;
  const bins = nFft / 2 + 1;
  const fft = new FFT(nFft);
  const win = hann(nFft);
  const buf = new Float64Array(nFft);
  const out = fft.createComplexArray() as number[];
  const data = new Float64Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    const a = t * hop;
    for (let i = 0; i < nFft; i++) buf[i] = a + i < x.length ? x[a + i] * win[i] : 0;
    fft.realTransform(out, buf);
    const row = t * bins;
    for (let k = 0; k < bins; k++) {
      const re = out[2 * k];
      const im = out[2 * k + 1];
      data[row + k] = re * re + im * im;
    }
  }
  return { frames, bins, data };
}
