import type { Arrangement, Genre } from '../../music/index.ts';

const FAMILIES: ReadonlyArray<readonly [string, (p: number) => boolean]> = [
  ['keys', (p) => p <= 7 || (p >= 16 && p <= 23)],
  ['mallets', (p) => p >= 8 && p <= 15],
  ['guitar', (p) => p >= 24 && p <= 28],
  ['distortion', (p) => p === 29 || p === 30],
  ['strings', (p) => p >= 40 && p <= 55],
  ['brass', (p) => p >= 56 && p <= 63],
  ['winds', (p) => p >= 64 && p <= 79],
  ['synth', (p) => p >= 80 && p <= 103],
];

/** Names of the musical features for a genre list: genre one-hot, then mode, tempo, rhythm, instrumentation. */
export function musicalFeatureNames(genres: readonly Genre[]): string[] {
  return [...genres.map((g) => `genre_${g}`), 'major', 'tempo', 'density', 'swing', 'drums', ...FAMILIES.map(([n]) => `has_${n}`)];
}

/**
 * musicalFeatures(a, genres) → what the simulated "higher" cortex responds to, one value per
 * name of `musicalFeatureNames(genres)`: genre one-hot, major mode (0/1), tempo (BPM/100),
 * density, swing, drums present, and presence (0/1) of each instrument family among the parts.
 */
export function musicalFeatures(a: Arrangement, genres: readonly Genre[]): Float64Array {
  const programs = [a.bass?.program, a.chords?.program, a.lead?.program, a.pad?.program].filter((p): p is number => p !== undefined);
  const out = [
    ...genres.map((g) => (g === a.genre ? 1 : 0)),
    a.mode === 'major' ? 1 : 0,
    a.tempo / 100,
    a.density,
    a.swing,
    a.drums ? 1 : 0,
    ...FAMILIES.map(([, test]) => (programs.some(test) ? 1 : 0)),
  ];
  return Float64Array.from(out);
}
