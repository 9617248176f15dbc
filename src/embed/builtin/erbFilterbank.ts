/** Equivalent rectangular bandwidth (Hz) of the human auditory filter at `f` Hz (Glasberg & Moore 1990). */
export const erb = (f: number): number => 24.7 * (4.37e-3 * f + 1);

/** ERB-rate (number of ERBs below `f` Hz). */
export const erbRate = (f: number): number => 21.4 * Math.log10(4.37e-3 * f + 1);

/** Inverse of {@link erbRate}. */
export const erbRateToHz = (e: number): number => (Math.pow(10, e / 21.4) - 1) / 4.37e-3;

/**
 * A cochlear-like filterbank on STFT bins: channel `c` has centre frequency `centres[c]` (equally
 * spaced on the ERB-rate scale) and the power response of a 4th-order gammatone filter,
 * `|H(f)|² = (1 + ((f − fc)/b)²)^−4` with `b = 1.019·ERB(fc)`, truncated where it falls below
 * 1e-4 of its peak. Stored sparsely: channel `c` weights bins `start[c] … start[c] + len(c) − 1`
 * with `weights[offset[c] …]`.
 */
export interface ErbFilterbank {
  channels: number;
  centres: Float64Array;
  start: Int32Array;
  offset: Int32Array;
  weights: Float64Array;
}

export function erbFilterbank(sampleRate: number, nFft: number, channels: number, fMin: number, fMax: number): ErbFilterbank {
  const bins = nFft / 2 + 1;
  const e0 = erbRate(fMin);
  const e1 = erbRate(fMax);
  const centres = new Float64Array(channels);
  const start = new Int32Array(channels);
  const offset = new Int32Array(channels + 1);
  const ws: number[] = [];
  for (let c = 0; c < channels; c++) {
    const fc = erbRateToHz(e0 + ((e1 - e0) * c) / (channels - 1));
    centres[c] = fc;
    const b = 1.019 * erb(fc);
    const row: number[] = [];
    let first = -1;
    for (let k = 0; k < bins; k++) {
      const f = (k * sampleRate) / nFft;
      const u = (f - fc) / b;
      const w = Math.pow(1 + u * u, -4);
      if (w >= 1e-4) {
        if (first < 0) first = k;
        row.push(w);
      } else if (first >= 0) break;
    }
    if (first < 0) {
      // Narrower than one bin and between bins: take the nearest bin.
      first = Math.min(bins - 1, Math.round((fc * nFft) / sampleRate));
      row.push(1);
    }
    start[c] = first;
    offset[c] = ws.length;
    ws.push(...row);
  }
  offset[channels] = ws.length;
  return { channels, centres, start, offset, weights: Float64Array.from(ws) };
}
