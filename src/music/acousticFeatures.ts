import FFT from 'fft.js';
import { bandSpectrogram, type BandSpectrogram } from '../dsp/index.ts';

/** Names of the acoustic features, in column order. */
export const ACOUSTIC_FEATURES = [
  'loudness', 'brightness', 'lowBand', 'highBand', 'onsetRate', 'mod1to2Hz', 'mod2to4Hz', 'mod4to8Hz', 'mod8to16Hz',
] as const;

/** Acoustic features per time segment: `segments × ACOUSTIC_FEATURES.length` row-major float32. */
export interface AcousticFeatures {
  names: readonly string[];
  segments: number;
  segmentSec: number;
  data: Float32Array;
}

const EPS = 1e-10;
/** Frame centre offset in frames (nFft / 2 / hop for the 1024 / 256 spectrogram). */
const CENTRE_FRAMES = 2;
/** Onset strengths below this (mean log-power rise per band) are not onsets, so steady sounds have none. */
const MIN_ONSET = 0.05;

/**
 * Frame onset strength: half-wave rectified increase of log band power, averaged over bands.
 * Band powers are floored at -40 dB of the clip's mean band power, so near-silent bands add no
 * spurious onsets.
 */
function onsetStrength(s: BandSpectrogram): Float64Array {
  let mean = 0;
  for (let i = 0; i < s.power.length; i++) mean += s.power[i];
  mean /= Math.max(1, s.power.length);
  const floor = Math.max(EPS, 1e-4 * mean);
  const out = new Float64Array(s.frames);
  for (let t = 1; t < s.frames; t++) {
    let acc = 0;
    for (let b = 0; b < s.bands; b++) {
      const d = Math.log(s.power[t * s.bands + b] + floor) - Math.log(s.power[(t - 1) * s.bands + b] + floor);
      if (d > 0) acc += d;
    }
    out[t] = acc / s.bands;
  }
  return out;
}

/**
 * acousticFeatures(x, sampleRate, { segmentSec }) → what the simulated auditory cortex hears, per
 * segment of `segmentSec` seconds (default 1.5 s, one fMRI scan):
 * - loudness: 10·log10 of mean power (dB);
 * - brightness: log2 of the power-weighted spectral centroid (Hz);
 * - lowBand / highBand: log10 fraction of power below 250 Hz / above 4 kHz;
 * - onsetRate: onsets per second (peaks of the onset strength above a local threshold and 0.05);
 * - modNtoMHz: log10 relative energy of the amplitude envelope's modulation in the band
 *   (spectro-temporal modulation energy; 1-2, 2-4, 4-8, 8-16 Hz).
 * A trailing partial segment is dropped. Frames are 1024-point, hop 256 (86 frames/s at 22.05 kHz).
 */
export function acousticFeatures(x: Float32Array, sampleRate: number, opts: { segmentSec?: number } = {}): AcousticFeatures {
  const segmentSec = opts.segmentSec ?? 1.5;
  const spec = bandSpectrogram(x, sampleRate);
  const onset = onsetStrength(spec);
  const segments = Math.floor(x.length / sampleRate / segmentSec + 1e-9);
  const F = ACOUSTIC_FEATURES.length;
  const data = new Float32Array(segments * F);
  const lowEdge = 250;
  const highEdge = 4000;
  const nMod = 256;
  const fft = new FFT(nMod);
  const modBuf = new Float64Array(nMod);
  const modOut = fft.createComplexArray() as number[];
  for (let s = 0; s < segments; s++) {
    // A frame belongs to the segment that holds its centre (frame t is centred at t·hop + nFft/2).
    const t0 = Math.max(0, Math.ceil(s * segmentSec * spec.frameRate - CENTRE_FRAMES));
    const t1 = Math.min(spec.frames, Math.max(t0, Math.ceil((s + 1) * segmentSec * spec.frameRate - CENTRE_FRAMES)));
    const n = Math.max(1, t1 - t0);
    let tot = 0;
    let cw = 0;
    let low = 0;
    let high = 0;
    for (let t = t0; t < t1; t++) {
      tot += spec.total[t];
      cw += spec.total[t] * spec.centroid[t];
      for (let b = 0; b < spec.bands; b++) {
        const p = spec.power[t * spec.bands + b];
        if (spec.edges[b + 1] <= lowEdge) low += p;
        if (spec.edges[b] >= highEdge) high += p;
      }
    }
    // Onsets: local maxima of onset strength above mean + 0.5 sd of the segment, at least 50 ms apart.
    let m = 0;
    let v = 0;
    for (let t = t0; t < t1; t++) m += onset[t];
    m /= n;
    for (let t = t0; t < t1; t++) v += (onset[t] - m) ** 2;
    const thr = Math.max(MIN_ONSET, m + 0.5 * Math.sqrt(v / n));
    let onsets = 0;
    let last = -1e9;
    for (let t = Math.max(1, t0); t < t1 - 1; t++) {
      if (onset[t] > thr && onset[t] >= onset[t - 1] && onset[t] > onset[t + 1] && t - last >= 0.05 * spec.frameRate) {
        onsets++;
        last = t;
      }
    }
    // Envelope modulation spectrum of the segment (amplitude envelope, mean removed, zero-padded).
    modBuf.fill(0);
    let envMean = 0;
    for (let t = t0; t < t1; t++) envMean += Math.sqrt(spec.total[t]);
    envMean /= n;
    for (let t = t0; t < t1 && t - t0 < nMod; t++) modBuf[t - t0] = Math.sqrt(spec.total[t]) - envMean;
    fft.realTransform(modOut, modBuf);
    const modBand = (lo: number, hi: number): number => {
      let e = 0;
      for (let k = 1; k <= nMod / 2; k++) {
        const f = (k * spec.frameRate) / nMod;
        if (f >= lo && f < hi) e += modOut[2 * k] ** 2 + modOut[2 * k + 1] ** 2;
      }
      return Math.log10(e / (n * n * (envMean * envMean + EPS)) + 1e-6);
    };
    const row = s * F;
    data[row] = 10 * Math.log10(tot / n + EPS);
    data[row + 1] = Math.log2(tot > 0 ? cw / tot : 1);
    data[row + 2] = Math.log10(low / (tot + EPS) + 1e-6);
    data[row + 3] = Math.log10(high / (tot + EPS) + 1e-6);
    data[row + 4] = onsets / segmentSec;
    data[row + 5] = modBand(1, 2);
    data[row + 6] = modBand(2, 4);
    data[row + 7] = modBand(4, 8);
    data[row + 8] = modBand(8, 16);
  }
  return { names: ACOUSTIC_FEATURES, segments, segmentSec, data };
}

/**
 * clipAudioSummary(x, sampleRate) → one plain feature vector per clip for genre classification:
 * mean and standard deviation over frames of 24 log band powers (48 values), then mean and
 * standard deviation over segments of the acoustic features (18 values). Float64Array(66).
 */
export function clipAudioSummary(x: Float32Array, sampleRate: number): Float64Array {
  const spec = bandSpectrogram(x, sampleRate);
  const nb = spec.bands;
  const out = new Float64Array(2 * nb + 2 * ACOUSTIC_FEATURES.length);
  for (let b = 0; b < nb; b++) {
    let m = 0;
    for (let t = 0; t < spec.frames; t++) m += Math.log10(spec.power[t * nb + b] + EPS);
    m /= spec.frames;
    let v = 0;
    for (let t = 0; t < spec.frames; t++) v += (Math.log10(spec.power[t * nb + b] + EPS) - m) ** 2;
    out[b] = m;
    out[nb + b] = Math.sqrt(v / spec.frames);
  }
  const af = acousticFeatures(x, sampleRate);
  const F = ACOUSTIC_FEATURES.length;
  for (let f = 0; f < F; f++) {
    let m = 0;
    for (let s = 0; s < af.segments; s++) m += af.data[s * F + f];
    m /= Math.max(1, af.segments);
    let v = 0;
    for (let s = 0; s < af.segments; s++) v += (af.data[s * F + f] - m) ** 2;
    out[2 * nb + f] = m;
    out[2 * nb + F + f] = Math.sqrt(v / Math.max(1, af.segments));
  }
  return out;
}
