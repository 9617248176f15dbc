import { powerSpectrogram } from './powerSpectrogram.ts';

/** Log-spaced band energies over time: `frames × bands` row-major, plus the per-frame spectral centroid (Hz). */
export interface BandSpectrogram {
  frames: number;
  bands: number;
  /** Frames per second. */
  frameRate: number;
  /** Band edges in Hz (bands + 1 values). */
  edges: Float64Array;
  /** Power per band and frame (linear). */
  power: Float64Array;
  /** Total power per frame (DC excluded). */
  total: Float64Array;
  /** Power-weighted mean frequency per frame in Hz (0 for a silent frame). */
  centroid: Float64Array;
}

/**
 * bandSpectrogram(x, sampleRate, { nFft, hop, bands, fMin, fMax }) → short-time power in
 * log-spaced bands (the Hann STFT of {@link powerSpectrogram}, frame t covers samples
 * [t·hop, t·hop + nFft)). Defaults: 1024-point FFT, hop 256, 24 bands from 50 Hz to 10 kHz.
 */
export function bandSpectrogram(
  x: Float32Array,
  sampleRate: number,
  opts: { nFft?: number; hop?: number; bands?: number; fMin?: number; fMax?: number } = {},
): BandSpectrogram {
  const nFft = opts.nFft ?? 1024;
  const hop = opts.hop ?? 256;
  const nb = opts.bands ?? 24;
  const fMin = opts.fMin ?? 50;
  const fMax = Math.min(opts.fMax ?? 10000, sampleRate / 2);
  const spec = powerSpectrogram(x, nFft, hop);
  const { frames, bins } = spec;
  const edges = new Float64Array(nb + 1);
  for (let b = 0; b <= nb; b++) edges[b] = fMin * Math.pow(fMax / fMin, b / nb);
  const binBand = new Int32Array(bins).fill(-1);
  for (let k = 0; k < bins; k++) {
    const f = (k * sampleRate) / nFft;
    for (let b = 0; b < nb; b++) if (f >= edges[b]! && f < edges[b + 1]!) binBand[k] = b;
  }
  const power = new Float64Array(frames * nb);
  const total = new Float64Array(frames);
  const centroid = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let tot = 0;
    let fw = 0;
    for (let k = 1; k < bins; k++) {
      const p = spec.data[t * bins + k]!;
      tot += p;
      fw += p * ((k * sampleRate) / nFft);
      const b = binBand[k]!;
      if (b >= 0) power[t * nb + b] += p;
    }
    total[t] = tot;
    centroid[t] = tot > 0 ? fw / tot : 0;
  }
  return { frames, bands: nb, frameRate: sampleRate / hop, edges, power, total, centroid };
}
