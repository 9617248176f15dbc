import { fail } from '../errors.ts';
import { matrix } from '../linalg/index.ts';
import { fitRidgeCV, logspace, predictRidge, type RidgeFit } from '../ridge/index.ts';
import { GENRES, type Arrangement, type Genre } from '../simulate/index.ts';

/** The 16 General MIDI program families (programs 8f .. 8f+7), named as a caption would. */
export const GM_FAMILIES = [
  'piano', 'mallets', 'organ', 'guitar', 'bass', 'strings', 'string ensemble', 'brass',
  'saxophone', 'flute', 'synth lead', 'synth pad', 'synth effects', 'ethnic instruments', 'percussion', 'sound effects',
] as const;

/** Parts whose instrument the decoder predicts (the drum kit follows the genre). */
export const PITCHED_PARTS = ['bass', 'chords', 'lead', 'pad'] as const;
export type PitchedPart = (typeof PITCHED_PARTS)[number];

const SCALARS = ['log2Tempo', 'minor', 'density', 'dynamics', 'reverb', 'swing', 'hasDrums', 'hasBass', 'hasLead', 'hasPad'] as const;
type Scalar = (typeof SCALARS)[number];

/** Column layout of the regression targets: genre one-hot, scalars, then one family one-hot per part. */
const N_TARGETS = GENRES.length + SCALARS.length + PITCHED_PARTS.length * GM_FAMILIES.length;
const scalarColumn = (s: Scalar) => GENRES.length + SCALARS.indexOf(s);
const familyColumn = (part: PitchedPart, family: number) =>
  GENRES.length + SCALARS.length + PITCHED_PARTS.indexOf(part) * GM_FAMILIES.length + family;

function targetsOf(a: Arrangement): Float64Array {
  const y = new Float64Array(N_TARGETS);
  y[GENRES.indexOf(a.genre)] = 1;
  const scalars: Record<Scalar, number> = {
    log2Tempo: Math.log2(a.tempo), minor: a.mode === 'minor' ? 1 : 0, density: a.density, dynamics: a.dynamics,
    reverb: a.reverb, swing: a.swing, hasDrums: a.drums ? 1 : 0, hasBass: a.bass ? 1 : 0, hasLead: a.lead ? 1 : 0, hasPad: a.pad ? 1 : 0,
  };
  for (const s of SCALARS) y[scalarColumn(s)] = scalars[s];
  for (const part of PITCHED_PARTS) {
    const p = a[part];
    if (p) y[familyColumn(part, Math.floor(p.program / 8))] = 1;
  }
  return y;
}

/**
 * A fitted map from the embedding space to the simulator's musical parameters: one ridge
 * regression (alpha per target by 5-fold CV) onto genre one-hot, log tempo, mode, density,
 * dynamics, reverb, swing, part presence and the GM family of each part's instrument.
 */
export interface ParameterDecoder {
  dim: number;
  fit: RidgeFit;
}

/** What a decoded embedding says about the music, as probabilities and expected values. */
export interface DecodedParameters {
  /** Probability per genre, in `GENRES` order (sums to 1). */
  genreProbs: Float64Array;
  tempo: number;
  minorProbability: number;
  density: number;
  dynamics: number;
  reverb: number;
  swing: number;
  presence: { drums: number; bass: number; lead: number; pad: number };
  /** Per part, a probability over the 16 GM families. */
  families: Record<PitchedPart, Float64Array>;
}

/**
 * fitParameterDecoder(embeddings, arrangements) learns the decoder from a music library.
 * @param embeddings n × dim, row-major (one clip-level embedding per library clip)
 * @param arrangements the n clips' generating parameters, in the same order
 */
export async function fitParameterDecoder(embeddings: Float32Array, dim: number, arrangements: readonly Arrangement[]): Promise<ParameterDecoder> {
  const n = arrangements.length;
  if (n * dim !== embeddings.length) fail('MISMATCH', `Library embeddings hold ${embeddings.length / dim} clips but ${n} arrangements were given; they must describe the same clips.`);
  if (n < 20) fail('BAD_INPUT', `The music library has ${n} clips; the builtin generator needs at least 20 to learn from (use a larger --library).`);
  const Y = new Float32Array(n * N_TARGETS);
  arrangements.forEach((a, i) => Y.set(targetsOf(a), i * N_TARGETS));
  const fit = await fitRidgeCV(matrix(n, dim, embeddings), matrix(n, N_TARGETS, Y), { folds: 5, alphas: logspace(-2, 6, 17) });
  return { dim, fit };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Non-negative scores → probabilities; all-zero scores become uniform. */
function normalise(scores: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < scores.length; i++) total += scores[i] = Math.max(0, scores[i]!);
  if (total <= 0) return scores.fill(1 / scores.length);
  for (let i = 0; i < scores.length; i++) scores[i]! /= total;
  return scores;
}

/** decodeParameters(decoder, embeddings, n) → the parameters each of n embeddings (n × dim) describes. */
export async function decodeParameters(decoder: ParameterDecoder, embeddings: Float32Array, n: number): Promise<DecodedParameters[]> {
  if (embeddings.length !== n * decoder.dim) fail('MISMATCH', `Expected ${n} embeddings of dimension ${decoder.dim}, got ${embeddings.length} values.`);
  const pred = await predictRidge(decoder.fit, matrix(n, decoder.dim, embeddings));
  const out: DecodedParameters[] = [];
  for (let i = 0; i < n; i++) {
    const row = Float64Array.from(pred.data.subarray(i * N_TARGETS, (i + 1) * N_TARGETS));
    const s = (name: Scalar) => row[scalarColumn(name)]!;
    const families = {} as Record<PitchedPart, Float64Array>;
    for (const part of PITCHED_PARTS) {
      const start = familyColumn(part, 0);
      families[part] = normalise(row.slice(start, start + GM_FAMILIES.length));
    }
    out.push({
      genreProbs: normalise(row.slice(0, GENRES.length)),
      tempo: 2 ** s('log2Tempo'),
      minorProbability: clamp01(s('minor')),
      density: clamp01(s('density')),
      dynamics: clamp01(s('dynamics')),
      reverb: clamp01(s('reverb')),
      swing: Math.min(0.4, Math.max(0, s('swing'))),
      presence: { drums: clamp01(s('hasDrums')), bass: clamp01(s('hasBass')), lead: clamp01(s('hasLead')), pad: clamp01(s('hasPad')) },
      families,
    });
  }
  return out;
}

/** The most likely genre of decoded parameters (a genre classifier on the embedding). */
export function likeliestGenre(p: DecodedParameters): Genre {
  let best = 0;
  for (let g = 1; g < GENRES.length; g++) if (p.genreProbs[g]! > p.genreProbs[best]!) best = g;
  return GENRES[best]!;
}
