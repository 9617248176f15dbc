import FFT from 'fft.js';
import type { AuditorySpectrogram } from './auditorySpectrogram.ts';
import { FRAME_RATE } from './auditorySpectrogram.ts';
import { meanStd } from './timbreFeatures.ts';

/** Tempo bands (beats per minute, [lo, hi)), log-spaced from 40 to 254 BPM. */
export const TEMPO_BANDS: readonly (readonly [number, number])[] = Array.from({ length: 8 }, (_, i) => [40 * 2 ** (i / 3), 40 * 2 ** ((i + 1) / 3)] as const);

export function rhythmFeatureNames(): string[] {
  return [
    'onset:mean', 'onset:std', 'onset:peakRate',
    ...TEMPO_BANDS.map(([lo, hi]) => `tempo:${lo.toFixed(0)}-${hi.toFixed(0)}bpm`),
    'tempo:pulseClarity', 'tempo:log2Bpm',
  ];
}

/**
 * Rhythm summaries. The onset strength envelope is the spectral flux of the auditory
 * spectrogram (mean over channels of the half-wave rectified frame-to-frame rise in dB); its mean,
 * std and the rate of its local peaks above mean + 1 std (onsets per second) describe event
 * density. Tempo salience is the autocorrelation of the mean-removed onset envelope (via FFT,
 * normalised by lag 0), maximised within each tempo band (beat periods 0.24-1.5 s); its maximum
 * is the pulse clarity and its argmax the dominant tempo (log2 BPM).
 */
export function rhythmFeatures(spec: AuditorySpectrogram): number[] {
  const { channels: C, frames: T, level } = spec;
  const onset = new Float64Array(T);
  for (let c = 0; c < C; c++) {
    const row = c * T;
    for (let t = 1; t < T; t++) {
      const d = level[row + t] - level[row + t - 1];
      if (d > 0) onset[t] += d / C;
    }
  }
  const [m, s] = meanStd(onset);
  let peaks = 0;
  for (let t = 1; t + 1 < T; t++) if (onset[t] > m + s && onset[t] >= onset[t - 1] && onset[t] > onset[t + 1]) peaks++;
  const out = [m, s, (peaks * FRAME_RATE) / T];

  let n = 1;
  while (n < 2 * T) n *= 2;
  const fft = new FFT(n);
  const buf = new Float64Array(n);
  for (let t = 0; t < T; t++) buf[t] = onset[t] - m;
  const spec1 = fft.createComplexArray() as number[];
  fft.realTransform(spec1, buf);
  fft.completeSpectrum(spec1);
  for (let k = 0; k < n; k++) {
    spec1[2 * k] = spec1[2 * k] ** 2 + spec1[2 * k + 1] ** 2;
    spec1[2 * k + 1] = 0;
  }
  const ac = fft.createComplexArray() as number[];
  fft.inverseTransform(ac, spec1);
  const r0 = ac[0] > 0 ? ac[0] : 1;
  let best = 0;
  let bestBpm = 0;
  for (const [lo, hi] of TEMPO_BANDS) {
    let bandMax = 0;
    const lagLo = Math.max(1, Math.ceil((60 / hi) * FRAME_RATE));
    const lagHi = Math.floor((60 / lo) * FRAME_RATE);
    for (let lag = lagLo; lag <= lagHi && lag < T; lag++) {
      // Unbiased: correct for the shrinking overlap so that long lags in short windows are not penalised.
      const v = (ac[2 * lag] / r0) * (T / (T - lag));
      if (v > bandMax) bandMax = v;
      if (v > best) { best = v; bestBpm = (60 * FRAME_RATE) / lag; }
    }
    out.push(bandMax);
  }
  out.push(best, bestBpm > 0 ? Math.log2(bestBpm) : Math.log2(40));
  return out;
}
