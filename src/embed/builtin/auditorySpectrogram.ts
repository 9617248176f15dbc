import { erbFilterbank, type ErbFilterbank } from './erbFilterbank.ts';
import { powerSpectrogram } from '../../dsp/index.ts';

/** Analysis constants of the builtin model (changing any of them changes `BUILTIN_VERSION`). */
export const AUDITORY = {
  sampleRate: 22050,
  nFft: 1024,
  hop: 256,
  channels: 64,
  fMin: 50,
  fMax: 10000,
  /** Power floor (signal in [-1, 1]) before the log: about −100 dB re full scale. */
  floor: 1e-10,
} as const;

/** Envelope frame rate of the auditory spectrogram (Hz): 22050 / 256 ≈ 86.1. */
export const FRAME_RATE = AUDITORY.sampleRate / AUDITORY.hop;

/**
 * The log auditory spectrogram: channel energies of a gammatone-like ERB filterbank (`energy`,
 * linear power) and their level in dB (`level`), both `channels × frames` row-major (channel-major,
 * so each channel's envelope is contiguous).
 */
export interface AuditorySpectrogram {
  channels: number;
  frames: number;
  energy: Float64Array;
  level: Float64Array;
}

let bank: ErbFilterbank | undefined;

/** Cochlear-like analysis of one window at {@link AUDITORY}.sampleRate. */
export function auditorySpectrogram(x: Float32Array): AuditorySpectrogram {
  bank ??= erbFilterbank(AUDITORY.sampleRate, AUDITORY.nFft, AUDITORY.channels, AUDITORY.fMin, AUDITORY.fMax);
  const { frames, bins, data } = powerSpectrogram(x, AUDITORY.nFft, AUDITORY.hop);
  const C = AUDITORY.channels;
  const energy = new Float64Array(C * frames);
  const level = new Float64Array(C * frames);
  // Normalise so that a full-scale sine gives about 0 dB in its channel.
  const norm = 4 / (AUDITORY.nFft * AUDITORY.nFft);
  for (let c = 0; c < C; c++) {
    const s = bank.start[c];
    const o0 = bank.offset[c];
    const n = bank.offset[c + 1] - o0;
    for (let t = 0; t < frames; t++) {
      const row = t * bins + s;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += bank.weights[o0 + j] * data[row + j];
      const e = acc * norm;
      energy[c * frames + t] = e;
      level[c * frames + t] = 10 * Math.log10(e + AUDITORY.floor);
    }
  }
  return { channels: C, frames, energy, level };
}
