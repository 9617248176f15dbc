import { powerSpectrogram } from '../../dsp/index.ts';
import { meanStd } from './timbreFeatures.ts';

/** Krumhansl-Kessler key profiles (major, minor), tonic first. */
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
const PITCH_CLASSES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const N_FFT = 4096;
const HOP = 2048;
const F_LO = 65;
const F_HI = 2100;

export function tonalFeatureNames(): string[] {
  return [
    ...PITCH_CLASSES.map((p) => `chroma:${p}`),
    ...[1, 2, 3, 4, 5, 6].map((k) => `chroma:meanDft${k}`),
    ...[1, 2, 3, 4, 5, 6].map((k) => `chroma:frameDft${k}`),
    'chroma:entropy', 'chroma:flux', 'key:clarity', 'key:majorMinusMinor',
  ];
}

function corr(a: ArrayLike<number>, b: ArrayLike<number>, shift: number): number {
  const [ma, sa] = meanStd(a);
  const [mb, sb] = meanStd(b);
  if (sa === 0 || sb === 0) return 0;
  let acc = 0;
  for (let i = 0; i < 12; i++) acc += (a[(i + shift) % 12] - ma) * (b[i] - mb);
  return acc / (12 * sa * sb);
}

function dftMagnitudes(v: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let k = 1; k <= 6; k++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < 12; i++) {
      re += v[i] * Math.cos((2 * Math.PI * k * i) / 12);
      im -= v[i] * Math.sin((2 * Math.PI * k * i) / 12);
    }
    out.push(Math.hypot(re, im));
  }
  return out;
}

/**
 * Tonal summaries from a chromagram: a long STFT (4096 samples, hop 2048 at 22050 Hz, 5.4 Hz
 * bins) whose magnitudes between 65 and 2100 Hz are folded onto the 12 pitch classes (nearest
 * equal-tempered semitone, A4 = 440 Hz), each frame normalised to sum 1. Reported: the mean
 * chroma (12, key-dependent); the magnitudes of the DFT of the mean chroma and the mean of the
 * per-frame chroma DFT magnitudes (6 + 6, transposition-invariant interval content: k = 5 fifths,
 * k = 3/4 thirds); chroma entropy and flux; key clarity (best correlation with the 24 rotated
 * Krumhansl-Kessler profiles) and major-minus-minor best correlation.
 */
export function tonalFeatures(x: Float32Array, sampleRate: number): number[] {
  const { frames, bins, data } = powerSpectrogram(x, N_FFT, HOP);
  const kLo = Math.ceil((F_LO * N_FFT) / sampleRate);
  const kHi = Math.floor((F_HI * N_FFT) / sampleRate);
  const pc = new Int32Array(kHi + 1);
  for (let k = kLo; k <= kHi; k++) {
    const midi = 69 + 12 * Math.log2((k * sampleRate) / N_FFT / 440);
    pc[k] = ((Math.round(midi) % 12) + 12) % 12;
  }
  const mean = new Float64Array(12);
  const frameDft = new Float64Array(6);
  let entropy = 0;
  let flux = 0;
  let used = 0;
  let prev: Float64Array | null = null;
  const chroma = new Float64Array(12);
  for (let t = 0; t < frames; t++) {
    chroma.fill(0);
    let sum = 0;
    for (let k = kLo; k <= kHi; k++) {
      const m = Math.sqrt(data[t * bins + k]);
      chroma[pc[k]] += m;
      sum += m;
    }
    if (sum <= 1e-9) continue;
    used++;
    let h = 0;
    for (let i = 0; i < 12; i++) {
      chroma[i] /= sum;
      mean[i] += chroma[i];
      if (chroma[i] > 0) h -= chroma[i] * Math.log2(chroma[i]);
    }
    entropy += h;
    dftMagnitudes(chroma).forEach((v, i) => (frameDft[i] += v));
    if (prev) {
      let d = 0;
      for (let i = 0; i < 12; i++) d += Math.abs(chroma[i] - prev[i]);
      flux += d;
    }
    prev = Float64Array.from(chroma);
  }
  if (used === 0) {
    // Silence (or nothing between 65 and 2100 Hz): a flat chroma, maximal entropy.
    mean.fill(1 / 12);
    return [...mean, ...dftMagnitudes(mean), ...frameDft, Math.log2(12), 0, 0, 0];
  }
  for (let i = 0; i < 12; i++) mean[i] /= used;
  for (let i = 0; i < 6; i++) frameDft[i] /= used;
  let bestMaj = -1;
  let bestMin = -1;
  for (let s = 0; s < 12; s++) {
    bestMaj = Math.max(bestMaj, corr(mean, MAJOR, s));
    bestMin = Math.max(bestMin, corr(mean, MINOR, s));
  }
  return [
    ...mean, ...dftMagnitudes(mean), ...frameDft,
    entropy / used, used > 1 ? flux / (used - 1) : 0, Math.max(bestMaj, bestMin), bestMaj - bestMin,
  ];
}
