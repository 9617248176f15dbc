import FFT from 'fft.js';
import type { AuditorySpectrogram } from './auditorySpectrogram.ts';
import { FRAME_RATE } from './auditorySpectrogram.ts';
import { hann } from '../../dsp/index.ts';

/** Temporal modulation rate bands (Hz, [lo, hi)): octaves centred near 1, 2, 4, 8, 16, 32 Hz. */
export const RATE_BANDS: readonly (readonly [number, number])[] = [[0.5, 1.5], [1.5, 3], [3, 6], [6, 12], [12, 24], [24, 44]];
/**
 * Spectral modulation scale bands in cycles per filterbank span (64 ERB channels ≈ 33 ERB):
 * q = 0 (flat), 1, 2-3, 4-7, 8-15, 16-31, i.e. up to about 1 cycle/ERB.
 */
export const SCALE_BANDS: readonly (readonly [number, number])[] = [[0, 0], [1, 1], [2, 3], [4, 7], [8, 15], [16, 31]];

const SEG = 128; // frames per modulation segment (≈ 1.49 s)
const SEG_HOP = 64;
const EPS = 1e-12;

export function modulationFeatureNames(regions: number): string[] {
  const names: string[] = [];
  RATE_BANDS.forEach(([lo, hi]) => {
    SCALE_BANDS.forEach(([q0, q1], si) => {
      const dirs = si === 0 ? [''] : [':up', ':down'];
      for (const d of dirs) names.push(`mps:rate${lo}-${hi}Hz:scale${q0}-${q1}${d}`);
    });
  });
  names.push('mps:logTotal');
  for (let r = 0; r < regions; r++) for (const [lo, hi] of RATE_BANDS) names.push(`tmod:region${r}:rate${lo}-${hi}Hz`);
  return names;
}

function rateBandOf(k: number, n: number): number {
  const f = (k * FRAME_RATE) / n;
  return RATE_BANDS.findIndex(([lo, hi]) => f >= lo && f < hi);
}

/**
 * Spectro-temporal modulation energies of the log auditory spectrogram.
 *
 * 1. The 2-D modulation power spectrum (MPS): Hann-windowed segments of 128 frames (hop 64) of the
 *    per-channel mean-removed dB spectrogram are 2-D Fourier transformed (time → temporal rate,
 *    channel → spectral scale); power is pooled into rate × scale bands, with upward and downward
 *    sweeps (the two signs of rate × scale) kept apart, averaged over segments, and expressed as
 *    log relative power (plus the log total).
 * 2. Temporal modulation per frequency region: the mean dB envelope of each of `regions` channel
 *    groups over the whole window, its power spectrum pooled into the same rate bands (log
 *    relative power).
 */
export function modulationFeatures(spec: AuditorySpectrogram, regions = 4): number[] {
  const { channels: C, frames: T, level } = spec;
  const nRate = RATE_BANDS.length;
  const nScale = SCALE_BANDS.length;
  // band[r][s][dir]
  const band = new Float64Array(nRate * nScale * 2);
  const scaleOf = new Int32Array(C).fill(-1);
  for (let q = 0; q <= C / 2; q++) {
    const s = SCALE_BANDS.findIndex(([a, b]) => q >= a && q <= b);
    scaleOf[q] = s;
  }
  const rateOf = new Int32Array(SEG / 2 + 1);
  for (let k = 0; k <= SEG / 2; k++) rateOf[k] = rateBandOf(k, SEG);

  const tFft = new FFT(SEG);
  const cFft = new FFT(C);
  const win = hann(SEG);
  const seg = new Float64Array(SEG);
  const tOut = tFft.createComplexArray() as number[];
  // spectra[c][k] for k = 0..SEG/2 (complex)
  const K = SEG / 2 + 1;
  const spectra = new Float64Array(C * K * 2);
  const col = cFft.createComplexArray() as number[];
  const colOut = cFft.createComplexArray() as number[];
  const nSeg = T <= SEG ? 1 : Math.floor((T - SEG) / SEG_HOP) + 1;
  let total = 0;
  for (let g = 0; g < nSeg; g++) {
    const t0 = g * SEG_HOP;
    const len = Math.min(SEG, T - t0);
    for (let c = 0; c < C; c++) {
      const row = c * T + t0;
      let mean = 0;
      for (let t = 0; t < len; t++) mean += level[row + t];
      mean /= len;
      for (let t = 0; t < SEG; t++) seg[t] = t < len ? (level[row + t] - mean) * win[t] : 0;
      tFft.realTransform(tOut, seg);
      for (let k = 0; k < K; k++) {
        spectra[(c * K + k) * 2] = tOut[2 * k];
        spectra[(c * K + k) * 2 + 1] = tOut[2 * k + 1];
      }
    }
    for (let k = 1; k < K; k++) {
      const r = rateOf[k];
      for (let c = 0; c < C; c++) {
        col[2 * c] = spectra[(c * K + k) * 2];
        col[2 * c + 1] = spectra[(c * K + k) * 2 + 1];
      }
      cFft.transform(colOut, col);
      // Rates k and K-1..SEG-1 are mirror images; count interior rates twice (both signs).
      const mult = k === SEG / 2 ? 1 : 2;
      for (let q = 0; q < C; q++) {
        const p = (colOut[2 * q] ** 2 + colOut[2 * q + 1] ** 2) * mult;
        total += p;
        if (r < 0) continue;
        // Signed scale: q in 1..C/2-1 is one sweep direction, C-q the other.
        const qa = q <= C / 2 ? q : C - q;
        const s = scaleOf[qa];
        if (s < 0) continue;
        const dir = q === 0 || q > C / 2 ? 0 : 1;
        band[(r * nScale + s) * 2 + (s === 0 ? 0 : dir)] += p;
      }
    }
  }
  const out: number[] = [];
  const tot = total + EPS;
  for (let r = 0; r < nRate; r++) {
    for (let s = 0; s < nScale; s++) {
      if (s === 0) out.push(Math.log(band[(r * nScale) * 2] / tot + EPS));
      else {
        out.push(Math.log(band[(r * nScale + s) * 2 + 1] / tot + EPS));
        out.push(Math.log(band[(r * nScale + s) * 2] / tot + EPS));
      }
    }
  }
  out.push(Math.log(total / nSeg + EPS));

  // Temporal modulation per frequency region over the whole window.
  let n = 1;
  while (n < Math.max(T, SEG)) n *= 2;
  const fft = new FFT(n);
  const env = new Float64Array(n);
  const spec1 = fft.createComplexArray() as number[];
  const w = hann(T);
  const per = Math.floor(C / regions);
  for (let g = 0; g < regions; g++) {
    env.fill(0);
    for (let c = g * per; c < (g + 1) * per; c++) for (let t = 0; t < T; t++) env[t] += level[c * T + t] / per;
    let mean = 0;
    for (let t = 0; t < T; t++) mean += env[t];
    mean /= T;
    for (let t = 0; t < T; t++) env[t] = (env[t] - mean) * w[t];
    fft.realTransform(spec1, env);
    const bands = new Float64Array(nRate);
    let tot1 = 0;
    for (let k = 1; k <= n / 2; k++) {
      const p = spec1[2 * k] ** 2 + spec1[2 * k + 1] ** 2;
      tot1 += p;
      const r = rateBandOf(k, n);
      if (r >= 0) bands[r] += p;
    }
    for (let r = 0; r < nRate; r++) out.push(Math.log(bands[r] / (tot1 + EPS) + EPS));
  }
  return out;
}
