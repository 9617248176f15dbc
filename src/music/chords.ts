import { fail } from '../errors.ts';

/** A chord as a root pitch class and intervals (semitones above the root). */
export interface Chord {
  /** Root pitch class 0..11. */
  root: number;
  /** Intervals above the root, ascending, starting with 0. */
  intervals: number[];
}

const DEGREE_SEMITONES = [0, 2, 4, 5, 7, 9, 11];
const NUMERALS = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii'];
const ROMAN = /^(b|#)?(i{1,3}|iv|v|vi{0,2}|I{1,3}|IV|V|VI{0,2})(maj7|7|°|dim|5|sus4)?$/;

/**
 * parseChord('V7', key) → the chord of a Roman numeral in a key. Uppercase is major, lowercase
 * minor; a leading 'b'/'#' lowers/raises the root (degrees are counted in the major scale, so a
 * minor key writes 'i iv bVI bVII'); suffixes: '7' (dominant on uppercase, minor seventh on
 * lowercase), 'maj7', '°'/'dim' (diminished), '5' (power chord), 'sus4'.
 * @example parseChord('V7', 0) // { root: 7, intervals: [0, 4, 7, 10] }
 */
export function parseChord(symbol: string, key: number): Chord {
  const m = ROMAN.exec(symbol);
  if (!m) fail('BAD_INPUT', `Chord symbol '${symbol}' is not a Roman numeral such as 'I', 'vi', 'V7', 'bVII' or 'ii7'; fix the arrangement's progression.`);
  const [, acc, numeral, suffix] = m;
  const degree = NUMERALS.indexOf(numeral.toLowerCase());
  const upper = numeral !== numeral.toLowerCase();
  const shift = acc === 'b' ? -1 : acc === '#' ? 1 : 0;
  const root = (((key + DEGREE_SEMITONES[degree] + shift) % 12) + 12) % 12;
  let intervals: number[];
  switch (suffix) {
    case '5': intervals = [0, 7]; break;
    case 'sus4': intervals = [0, 5, 7]; break;
    case '°': case 'dim': intervals = [0, 3, 6]; break;
    case 'maj7': intervals = upper ? [0, 4, 7, 11] : [0, 3, 7, 11]; break;
    case '7': intervals = upper ? [0, 4, 7, 10] : [0, 3, 7, 10]; break;
    default: intervals = upper ? [0, 4, 7] : [0, 3, 7];
  }
  return { root, intervals };
}

/** The chord with a seventh added (minor seventh on minor/dominant triads, major seventh on major tonic-like triads). */
export function withSeventh(chord: Chord, majorSeventh: boolean): Chord {
  if (chord.intervals.length !== 3 || chord.intervals[1] === 5) return chord;
  const third = chord.intervals[1];
  const seventh = chord.intervals[2] === 6 ? 9 : third === 4 && majorSeventh ? 11 : 10;
  return { root: chord.root, intervals: [...chord.intervals, seventh] };
}

/** Semitone steps of each lead scale, relative to the tonic. */
export const SCALE_STEPS: Record<string, number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  pentatonicMajor: [0, 2, 4, 7, 9],
  pentatonicMinor: [0, 3, 5, 7, 10],
  blues: [0, 3, 5, 6, 7, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  harmonicMinor: [0, 2, 3, 5, 7, 8, 11],
  phrygian: [0, 1, 3, 5, 7, 8, 10],
};

/** All MIDI notes in [lo, hi] whose pitch class is in `pcs`, ascending. */
export function notesInRange(pcs: readonly number[], lo: number, hi: number): number[] {
  const set = new Set(pcs.map((p) => ((p % 12) + 12) % 12));
  const out: number[] = [];
  for (let n = lo; n <= hi; n++) if (set.has(n % 12)) out.push(n);
  return out;
}
