import FFT from 'fft.js';
import type { AuditorySpectrogram } from './auditorySpectrogram.ts';
import { FRAME_RATE } from './auditorySpectrogram.ts';
import { meanStd } from './timbreFeatures.ts';

/** Tempo bands (beats per minute, [lo, hi)), log-spaced from 40 to 254 BPM. */
export const TEMPO_BANDS: readonly (readonly [number, number])[] = Array.from({ length: 8 }, (_, i) => [40 * 2 ** (i / 3), 40 * 2 ** ((i + 1) / 3)] as const);

/** Lags, in beats, at which the rhythm pattern samples each register's onset autocorrelation. */
export const PATTERN_BEATS = [0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1, 1.5, 2] as const;
/** Registers (channel ranges of the 64-channel filterbank): low ≈ 50-330 Hz, mid ≈ 330-2700 Hz, high above. */
const REGISTERS: readonly (readonly [string, number, number])[] = [['all', 0, 64], ['low', 0, 16], ['mid', 16, 40], ['high', 40, 64]];

export function rhythmFeatureNames(): string[] {
  return [
    'onset:mean', 'onset:std', 'onset:peakRate',
    ...TEMPO_BANDS.map(([lo, hi]) => `tempo:${lo.toFixed(0)}-${hi.toFixed(0)}bpm`),
    'tempo:pulseClarity', 'tempo:log2Bpm',
    ...REGISTERS.flatMap(([r]) => PATTERN_BEATS.map((b) => `pattern:${r}:${b.toFixed(2)}beat`)),
  ];
}

/** Onset strength (mean half-wave rectified dB rise) of channels [c0, c1). */
function onsetEnvelope(level: Float64Array, T: number, c0: number, c1: number): Float64Array {
  const onset = new Float64Array(T);
  for (let c = c0; c < c1; c++) {
    const row = c * T;
    for (let t = 1; t < T; t++) {
      const d = level[row + t] - level[row + t - 1];
      if (d > 0) onset[t] += d / (c1 - c0);
    }
  }
  return onset;
}

/** Autocorrelation of the mean-removed `x` at lags 0..T-1 via FFT, normalised by lag 0 and unbiased for overlap. */
function autocorrelation(x: Float64Array): Float64Array {
  const T = x.length;
  let n = 1;
  while (n < 2 * T) n *= 2;
  const fft = new FFT(n);
  const buf = new Float64Array(n);
  const [m] = meanStd(x);
  for (let t = 0; t < T; t++) buf[t] = x[t] - m;
  const spec = fft.createComplexArray() as number[];
  fft.realTransform(spec, buf);
  fft.completeSpectrum(spec);
  for (let k = 0; k < n; k++) {
    spec[2 * k] = spec[2 * k] ** 2 + spec[2 * k + 1] ** 2;
    spec[2 * k + 1] = 0;
  }
  const ac = fft.createComplexArray() as number[];
  fft.inverseTransform(ac, spec);
  const r0 = ac[0] > 0 ? ac[0] : 1;
  const out = new Float64Array(T);
  for (let lag = 0; lag < T; lag++) out[lag] = (ac[2 * lag] / r0) * (T / (T - lag));
  return out;
}

/**
 * Rhythm summaries. The onset strength envelope is the spectral flux of the auditory
 * spectrogram (mean over channels of the half-wave rectified frame-to-frame rise in dB); its mean,
 * std and the rate of its local peaks above mean + 1 std (onsets per second) describe event
 * density. Tempo salience is the autocorrelation of the mean-removed onset envelope (via FFT,
 * normalised by lag 0), maximised within each tempo band (beat periods 0.24-1.5 s); its maximum
 * is the pulse clarity and its argmax the dominant tempo (log2 BPM). The rhythm pattern samples
 * the onset autocorrelation of the whole spectrum and of low, mid and high registers at 1/4, 1/3,
 * 1/2, 2/3, 3/4, 1, 1.5 and 2 beats (local maximum within ±1 frame).
 */
export function rhythmFeatures(spec: AuditorySpectrogram): number[] {
  const { channels: C, frames: T, level } = spec;
  const onset = onsetEnvelope(level, T, 0, C);
  const [m, s] = meanStd(onset);
  let peaks = 0;
  for (let t = 1; t + 1 < T; t++) if (onset[t] > m + s && onset[t] >= onset[t - 1] && onset[t] > onset[t + 1]) peaks++;
  const out = [m, s, (peaks * FRAME_RATE) / T];

  const ac = autocorrelation(onset);
  let best = 0;
  let bestBpm = 0;
  for (const [lo, hi] of TEMPO_BANDS) {
    let bandMax = 0;
    const lagLo = Math.max(1, Math.ceil((60 / hi) * FRAME_RATE));
    const lagHi = Math.floor((60 / lo) * FRAME_RATE);
    for (let lag = lagLo; lag <= lagHi && lag < T; lag++) {
      if (ac[lag] > bandMax) bandMax = ac[lag];
      if (ac[lag] > best) { best = ac[lag]; bestBpm = (60 * FRAME_RATE) / lag; }
    }
    out.push(bandMax);
  }
  out.push(best, bestBpm > 0 ? Math.log2(bestBpm) : Math.log2(40));

  // Rhythm pattern: each register's onset autocorrelation at fractions of the beat, the beat
  // being the strongest period between 60 and 180 BPM (tempo-normalised, so swing, backbeat or
  // four-on-the-floor look alike at any tempo).
  let beat = 0;
  let beatV = -Infinity;
  for (let lag = Math.ceil((60 / 180) * FRAME_RATE); lag <= Math.floor(FRAME_RATE) && lag < T; lag++) {
    if (ac[lag] > beatV) { beatV = ac[lag]; beat = lag; }
  }
  for (const [, c0, c1] of REGISTERS) {
    const r = c0 === 0 && c1 === C ? ac : autocorrelation(onsetEnvelope(level, T, c0, c1));
    for (const b of PATTERN_BEATS) {
      const lag = Math.round(b * beat);
      let v = 0;
      if (beat > 0 && lag >= 1 && lag + 1 < T) v = Math.max(r[lag - 1], r[lag], r[lag + 1]);
      out.push(v);
    }
  }
  return out;
}
