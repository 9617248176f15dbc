import { powerSpectrogramAt } from '../dsp/index.ts';
import { colorize } from './colormap.ts';

/** A spectrogram rendered for display. */
export interface SpectrogramImage {
  width: number;
  height: number;
  /** width × height × 3 RGB bytes, top row = highest frequency. */
  rgb: Uint8Array;
}

/**
 * A log-power spectrogram image of mono audio: Hann-windowed frames of `nFft` samples, spread
 * evenly over the clip to give `width` columns; frequency bins up to `maxHz` pooled into
 * `height` rows on a logarithmic frequency axis (from 50 Hz); power in dB, the top 70 dB of the
 * clip mapped through the report's colormap. Silence gives a uniform image.
 */
export function spectrogramImage(samples: Float32Array, sampleRate: number, width = 240, height = 96, nFft = 1024, maxHz = 8000): SpectrogramImage {
  const bins = nFft / 2 + 1;
  const top = Math.min(bins - 1, Math.floor((maxHz * nFft) / sampleRate));
  const minBin = Math.max(1, Math.floor((50 * nFft) / sampleRate));
  // Row r (0 = bottom) covers bins [edge[r], edge[r+1]) on a log scale.
  const edges = new Int32Array(height + 1);
  for (let r = 0; r <= height; r++) edges[r] = Math.round(minBin * Math.pow(top / minBin, r / height));
  const db = new Float64Array(width * height);
  const hop = samples.length > nFft ? (samples.length - nFft) / Math.max(1, width - 1) : 0;
  const spec = powerSpectrogramAt(samples, Int32Array.from({ length: width }, (_, c) => Math.round(c * hop)), nFft);
  for (let c = 0; c < width; c++) {
    const frame = c * bins;
    for (let r = 0; r < height; r++) {
      const a = edges[r]!;
      const b = Math.max(a + 1, edges[r + 1]!);
      let p = 0;
      for (let k = a; k < b; k++) p += spec.data[frame + k]!;
      db[(height - 1 - r) * width + c] = 10 * Math.log10(p / (b - a) + 1e-12);
    }
  }
  let max = -Infinity;
  for (const v of db) if (v > max) max = v;
  return { width, height, rgb: colorize(db, max - 70, max) };
}
