import { fail } from '../../errors.ts';
import { AUDITORY, auditorySpectrogram } from './auditorySpectrogram.ts';
import { modulationFeatureNames, modulationFeatures } from './modulationFeatures.ts';
import { rhythmFeatureNames, rhythmFeatures } from './rhythmFeatures.ts';
import { timbreFeatureNames, timbreFeatures } from './timbreFeatures.ts';
import { tonalFeatureNames, tonalFeatures } from './tonalFeatures.ts';

const REGIONS = 4;

/** Names of the raw auditory features, in the order {@link auditoryFeatures} returns them. */
export function auditoryFeatureNames(): string[] {
  return [...modulationFeatureNames(REGIONS), ...timbreFeatureNames(), ...rhythmFeatureNames(), ...tonalFeatureNames(), 'zcr:mean'];
}

/** Shortest window (seconds) the builtin model accepts: one modulation segment is 1.49 s. */
export const MIN_WINDOW_SEC = 0.5;

/**
 * The raw (unstandardised) builtin auditory features of one mono window at 22050 Hz:
 * spectro-temporal modulation energies, timbre, rhythm and tonal summaries and the zero-crossing
 * rate (see {@link auditoryFeatureNames}). Pure and deterministic.
 */
export function auditoryFeatures(x: Float32Array): Float64Array {
  if (x.length < MIN_WINDOW_SEC * AUDITORY.sampleRate) {
    fail('BAD_INPUT', `builtin embedder needs windows of at least ${MIN_WINDOW_SEC} s at ${AUDITORY.sampleRate} Hz, got ${x.length} samples.`);
  }
  const spec = auditorySpectrogram(x);
  let zc = 0;
  for (let i = 1; i < x.length; i++) if ((x[i] >= 0) !== (x[i - 1] >= 0)) zc++;
  const f = [
    ...modulationFeatures(spec, REGIONS),
    ...timbreFeatures(spec),
    ...rhythmFeatures(spec),
    ...tonalFeatures(x, AUDITORY.sampleRate),
    zc / (x.length - 1),
  ];
  return Float64Array.from(f);
}
