import FFT from 'fft.js';
import { hann } from './hann.ts';

/** Short-time power spectrum: `frames × (nFft/2 + 1)` row-major float64, bin k at k·rate/nFft Hz. */
export interface PowerSpectrogram {
  frames: number;
  bins: number;
  data: Float64Array;
}

/**
 * Power spectra |X_k|² of Hann-windowed frames of `nFft` samples (a power of 2) starting at the
 * given sample offsets (frame t covers `[starts[t], starts[t] + nFft)`; samples past the end of
 * `x` are zeros). Uses fft.js's real transform.
 */
export function powerSpectrogramAt(x: Float32Array, starts: ArrayLike<number>, nFft: number): PowerSpectrogram {
  const frames = starts.length;
  const bins = nFft / 2 + 1;
  const fft = new FFT(nFft);
  const win = hann(nFft);
  const buf = new Float64Array(nFft);
  const out = fft.createComplexArray() as number[];
  const data = new Float64Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    const a = starts[t]!;
    for (let i = 0; i < nFft; i++) buf[i] = a + i < x.length ? x[a + i]! * win[i]! : 0;
    fft.realTransform(out, buf);
    const row = t * bins;
    for (let k = 0; k < bins; k++) {
      const re = out[2 * k]!;
      const im = out[2 * k + 1]!;
      data[row + k] = re * re + im * im;
    }
  }
  return { frames, bins, data };
}

/**
 * powerSpectrogram(x, nFft, hop) → the STFT power of `x` with a Hann window of `nFft` samples
 * advanced by `hop` samples (frame t covers samples `[t·hop, t·hop + nFft)`, no centring; a
 * signal shorter than one frame is zero-padded to one frame).
 * @example powerSpectrogram(x, 1024, 256).frames // floor((x.length − 1024) / 256) + 1
 */
export function powerSpectrogram(x: Float32Array, nFft: number, hop: number): PowerSpectrogram {
  const frames = x.length < nFft ? 1 : Math.floor((x.length - nFft) / hop) + 1;
  return powerSpectrogramAt(x, Int32Array.from({ length: frames }, (_, t) => t * hop), nFft);
}
