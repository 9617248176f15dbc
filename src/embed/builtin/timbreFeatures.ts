import type { AuditorySpectrogram } from './auditorySpectrogram.ts';
import { AUDITORY } from './auditorySpectrogram.ts';
import { erbRate } from './erbFilterbank.ts';

export const N_CEPS = 13;
const SPECTRUM_GROUPS = 32;
const DYNAMICS_GROUPS = 8;

export function timbreFeatureNames(): string[] {
  const names: string[] = [];
  for (const stat of ['mean', 'std', 'deltaStd']) for (let i = 0; i < N_CEPS; i++) names.push(`ceps${i}:${stat}`);
  names.push('centroidErb:mean', 'centroidErb:std', 'flatness:mean', 'flatness:std');
  for (let g = 0; g < SPECTRUM_GROUPS; g++) names.push(`ltas:group${g}`);
  for (let g = 0; g < DYNAMICS_GROUPS; g++) names.push(`levelStd:group${g}`);
  return names;
}

let dct: Float64Array | undefined;

/**
 * Timbre summaries of the log auditory spectrogram: cepstral coefficients (DCT-II of the dB
 * channel levels per frame, the MFCC recipe on ERB channels) — mean, standard deviation, and
 * standard deviation of their frame-to-frame differences; the spectral centroid (in ERB-rate) and
 * spectral flatness (geometric / arithmetic mean of channel energies), mean and std; the
 * long-term average spectrum in 32 groups of 2 channels (dB); and the temporal standard
 * deviation of the level in 8 groups of 8 channels (dynamics per register, dB).
 */
export function timbreFeatures(spec: AuditorySpectrogram): number[] {
  const { channels: C, frames: T, level, energy } = spec;
  if (!dct) {
    dct = new Float64Array(N_CEPS * C);
    for (let i = 0; i < N_CEPS; i++) for (let c = 0; c < C; c++) dct[i * C + c] = Math.cos((Math.PI * i * (c + 0.5)) / C) * Math.sqrt((i === 0 ? 1 : 2) / C);
  }
  const ceps = new Float64Array(N_CEPS * T);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N_CEPS; i++) {
      let acc = 0;
      for (let c = 0; c < C; c++) acc += dct[i * C + c] * level[c * T + t];
      ceps[i * T + t] = acc;
    }
  }
  const mean = new Float64Array(N_CEPS);
  const sd = new Float64Array(N_CEPS);
  const dsd = new Float64Array(N_CEPS);
  for (let i = 0; i < N_CEPS; i++) {
    const row = ceps.subarray(i * T, (i + 1) * T);
    [mean[i], sd[i]] = meanStd(row);
    if (T > 1) {
      const d = new Float64Array(T - 1);
      for (let t = 1; t < T; t++) d[t - 1] = row[t] - row[t - 1];
      dsd[i] = meanStd(d)[1];
    }
  }
  const erbOf = new Float64Array(C);
  // Channels are equally spaced in ERB-rate between fMin and fMax.
  const e0 = erbRate(AUDITORY.fMin);
  const e1 = erbRate(AUDITORY.fMax);
  for (let c = 0; c < C; c++) erbOf[c] = e0 + ((e1 - e0) * c) / (C - 1);
  const centroid = new Float64Array(T);
  const flat = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0;
    let sc = 0;
    let sl = 0;
    for (let c = 0; c < C; c++) {
      const e = energy[c * T + t] + AUDITORY.floor;
      s += e;
      sc += e * erbOf[c];
      sl += Math.log(e);
    }
    centroid[t] = sc / s;
    flat[t] = Math.exp(sl / C) / (s / C);
  }
  const out = [...mean, ...sd, ...dsd, ...meanStd(centroid), ...meanStd(flat)];
  const per = C / SPECTRUM_GROUPS;
  for (let g = 0; g < SPECTRUM_GROUPS; g++) {
    let acc = 0;
    for (let c = g * per; c < (g + 1) * per; c++) for (let t = 0; t < T; t++) acc += level[c * T + t];
    out.push(acc / (per * T));
  }
  const per2 = C / DYNAMICS_GROUPS;
  const band = new Float64Array(T);
  for (let g = 0; g < DYNAMICS_GROUPS; g++) {
    band.fill(0);
    for (let c = g * per2; c < (g + 1) * per2; c++) for (let t = 0; t < T; t++) band[t] += level[c * T + t] / per2;
    out.push(meanStd(band)[1]);
  }
  return out;
}

/** Mean and population standard deviation. */
export function meanStd(x: ArrayLike<number>): [number, number] {
  const n = x.length;
  if (n === 0) return [0, 0];
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - m) ** 2;
  return [m, Math.sqrt(v / n)];
}
