import { GENRE_STYLES, type Genre } from '../music/index.ts';
import { GM_FAMILIES, type PitchedPart } from './parameterDecoder.ts';

const STYLE_PROGRAMS = { bass: 'bassPrograms', chords: 'compPrograms', lead: 'leadPrograms', pad: 'padPrograms' } as const satisfies Record<PitchedPart, string>;

/**
 * Weight kept by a family the genre never uses: small, so a confident embedding can still choose
 * an unusual instrument, but an uncertain one falls back to the genre's own instruments.
 */
export const ATYPICAL_FAMILY_WEIGHT = 0.02;

/**
 * genreFamilyPrior(genre, part) → how often the genre's style gives the part each of the 16 GM
 * families (from the weights of its program choices, sums to 1).
 * @example genreFamilyPrior('metal', 'chords')[3] // 1: metal comps on guitars (programs 29, 30)
 */
export function genreFamilyPrior(genre: Genre, part: PitchedPart): Float64Array {
  const prior = new Float64Array(GM_FAMILIES.length);
  let total = 0;
  for (const [program, w] of GENRE_STYLES[genre][STYLE_PROGRAMS[part]]) {
    prior[Math.floor(program / 8)]! += w;
    total += w;
  }
  for (let f = 0; f < prior.length; f++) prior[f]! /= total;
  return prior;
}

/**
 * familyGivenGenre(decoded, genre, part) → the decoded family probabilities weighted by the
 * genre's prior (floor {@link ATYPICAL_FAMILY_WEIGHT}) and renormalised: the instrument the
 * embedding says, among those the genre plays, unless the embedding is sure of another.
 */
export function familyGivenGenre(decoded: Float64Array, genre: Genre, part: PitchedPart): Float64Array {
  const prior = genreFamilyPrior(genre, part);
  const out = Float64Array.from(decoded, (p, f) => p * (prior[f]! + ATYPICAL_FAMILY_WEIGHT));
  let total = 0;
  for (const x of out) total += x;
  for (let f = 0; f < out.length; f++) out[f] = total > 0 ? out[f]! / total : 1 / out.length;
  return out;
}
