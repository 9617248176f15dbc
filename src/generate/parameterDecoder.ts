import { fail } from '../errors.ts';
import { createRng, matrix, takeRows, type Matrix } from '../linalg/index.ts';
import { fitRidgeCV, logspace, predictRidge, type RidgeFit } from '../ridge/index.ts';
import { GENRES, type Arrangement, type Genre } from '../music/index.ts';
import { fitSoftmaxScale, softmaxScaled } from './softmaxScale.ts';

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
 * A fitted map from the embedding space to the music engine's parameters: one ridge
 * regression (alpha per target by 5-fold CV) onto genre one-hot, log tempo, mode, density,
 * dynamics, reverb, swing, part presence and the GM family of each part's instrument. The
 * one-hot scores become probabilities by a softmax whose scale is fitted on out-of-fold scores.
 */
export interface ParameterDecoder {
  dim: number;
  fit: RidgeFit;
  /** Softmax scale of the genre scores (see {@link fitSoftmaxScale}). */
  genreScale: number;
  /** Softmax scale of each part's instrument-family scores. */
  familyScale: Record<PitchedPart, number>;
}

const CALIBRATION_FOLDS = 5;
const RIDGE_ALPHAS = logspace(-2, 6, 17);

/**
 * Out-of-fold ridge predictions (n × T): each clip predicted by a model fitted without it. Folds
 * are a seeded shuffle, so a library sorted by genre still puts every genre in every fold.
 */
async function outOfFoldPredictions(X: Matrix, Y: Matrix): Promise<Float64Array> {
  const n = X.rows;
  const fold = new Int32Array(n);
  createRng(0x5ca1e).shuffle(Array.from({ length: n }, (_, i) => i)).forEach((i, pos) => { fold[i] = pos % CALIBRATION_FOLDS; });
  const out = new Float64Array(n * Y.cols);
  for (let f = 0; f < CALIBRATION_FOLDS; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const fit = await fitRidgeCV(takeRows(X, train), takeRows(Y, train), { folds: 5, alphas: RIDGE_ALPHAS });
    const pred = await predictRidge(fit, takeRows(X, test));
    test.forEach((i, r) => out.set(pred.data.subarray(r * Y.cols, (r + 1) * Y.cols), i * Y.cols));
  }
  return out;
}

/** The softmax scale of one one-hot block (columns start..start+k) over the clips that have a label. */
function blockScale(scores: Float64Array, nTargets: number, start: number, k: number, labels: readonly (number | undefined)[]): number {
  const rows = labels.flatMap((y, i) => (y === undefined ? [] : [i]));
  const block = new Float64Array(rows.length * k);
  rows.forEach((i, r) => block.set(scores.subarray(i * nTargets + start, i * nTargets + start + k), r * k));
  return fitSoftmaxScale(block, rows.map((i) => labels[i]!), k);
}

/** What a decoded embedding says about the music, as probabilities and expected values. */
export interface DecodedParameters {
  /** Probability per genre, in `GENRES` order (sums to 1; calibrated on the library's held-out clips). */
  genreProbs: Float64Array;
  tempo: number;
  minorProbability: number;
  density: number;
  dynamics: number;
  reverb: number;
  swing: number;
  presence: { drums: number; bass: number; lead: number; pad: number };
  /** Per part, a probability over the 16 GM families (calibrated like the genre). */
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
  const X = matrix(n, dim, embeddings);
  const T = matrix(n, N_TARGETS, Y);
  const fit = await fitRidgeCV(X, T, { folds: 5, alphas: RIDGE_ALPHAS });
  // Ridge scores of a one-hot target are flat (on the demo library the top genre averaged 0.50
  // after clipping and normalising, for a classifier right 9 times in 10), so sampling from them
  // drew other genres far too often; a softmax scaled on held-out clips gives honest probabilities.
  const oof = await outOfFoldPredictions(X, T);
  const genreScale = blockScale(oof, N_TARGETS, 0, GENRES.length, arrangements.map((a) => GENRES.indexOf(a.genre)));
  const familyScale = {} as Record<PitchedPart, number>;
  for (const part of PITCHED_PARTS) {
    const labels = arrangements.map((a) => { const slot = a[part]; return slot ? Math.floor(slot.program / 8) : undefined; });
    familyScale[part] = blockScale(oof, N_TARGETS, familyColumn(part, 0), GM_FAMILIES.length, labels);
  }
  return { dim, fit, genreScale, familyScale };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

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
      families[part] = softmaxScaled(row.subarray(start, start + GM_FAMILIES.length), decoder.familyScale[part]);
    }
    out.push({
      genreProbs: softmaxScaled(row.subarray(0, GENRES.length), decoder.genreScale),
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
