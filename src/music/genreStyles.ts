import type { BassStyle, CompStyle, DrumPattern, Genre, LeadScale } from './arrangement.ts';

/** Weighted choices: [value, weight] pairs. */
export type Choices<T> = ReadonlyArray<readonly [T, number]>;

/**
 * The distribution each genre's arrangements are drawn from. Programs are General MIDI
 * (0-based); drum kits are percussion programs. Ranges are [lo, hi] uniform unless noted.
 */
export interface GenreStyle {
  /** Tempo: mean and standard deviation (BPM), clamped to [lo, hi]. */
  tempo: { mean: number; sd: number; lo: number; hi: number };
  /** Probability of the major mode. */
  pMajor: number;
  /** Swing amount range; 0 straight. */
  swing: readonly [number, number];
  /** Probability of 3/4 time. */
  pTriple: number;
  progressionsMajor: ReadonlyArray<readonly string[]>;
  progressionsMinor: ReadonlyArray<readonly string[]>;
  pSevenths: number;
  /** Probability the arrangement has drums; kits and grooves. */
  pDrums: number;
  kits: Choices<number>;
  patterns: Choices<DrumPattern>;
  bassPrograms: Choices<number>;
  bassStyles: Choices<BassStyle>;
  pBass: number;
  compPrograms: Choices<number>;
  compStyles: Choices<CompStyle>;
  leadPrograms: Choices<number>;
  pLead: number;
  leadScalesMajor: Choices<LeadScale>;
  leadScalesMinor: Choices<LeadScale>;
  /** Register centre of the lead (MIDI note). */
  leadRegister: readonly [number, number];
  padPrograms: Choices<number>;
  pPad: number;
  density: readonly [number, number];
  dynamics: readonly [number, number];
  reverb: readonly [number, number];
}

const POP_MAJOR = [['I', 'V', 'vi', 'IV'], ['vi', 'IV', 'I', 'V'], ['I', 'vi', 'IV', 'V'], ['I', 'IV', 'vi', 'V'], ['IV', 'I', 'V', 'vi']] as const;
const POP_MINOR = [['i', 'bVI', 'bIII', 'bVII'], ['i', 'iv', 'bVI', 'V'], ['i', 'bVII', 'bVI', 'bVII']] as const;

/** Genre → distribution. Chosen by ear to be typical, not exhaustive, and to overlap a little. */
export const GENRE_STYLES: Record<Genre, GenreStyle> = {
  blues: {
    tempo: { mean: 92, sd: 16, lo: 60, hi: 130 }, pMajor: 0.8, swing: [0.25, 0.33], pTriple: 0,
    progressionsMajor: [['I7', 'IV7', 'I7', 'I7', 'IV7', 'IV7', 'I7', 'I7', 'V7', 'IV7', 'I7', 'V7'], ['I7', 'I7', 'IV7', 'IV7', 'I7', 'V7', 'IV7', 'I7'], ['I7', 'IV7', 'I7', 'V7']],
    progressionsMinor: [['i7', 'iv7', 'i7', 'i7', 'iv7', 'iv7', 'i7', 'i7', 'bVI7', 'V7', 'i7', 'V7'], ['i7', 'iv7', 'i7', 'V7']],
    pSevenths: 1, pDrums: 0.9, kits: [[0, 3], [8, 2], [40, 2], [32, 1]], patterns: [['shuffle', 6], ['halfTime', 1]],
    bassPrograms: [[32, 3], [33, 3], [34, 1]], bassStyles: [['walking', 5], ['rootFifth', 2]], pBass: 0.95,
    compPrograms: [[0, 3], [27, 3], [16, 2], [26, 1], [4, 1]], compStyles: [['comping', 3], ['stabs', 2], ['block', 1]],
    leadPrograms: [[29, 3], [22, 3], [65, 2], [27, 2], [56, 1]], pLead: 0.9,
    leadScalesMajor: [['blues', 6], ['mixolydian', 1], ['pentatonicMinor', 2]], leadScalesMinor: [['blues', 4], ['pentatonicMinor', 3]],
    leadRegister: [64, 74], padPrograms: [[16, 2], [19, 1]], pPad: 0.2,
    density: [0.3, 0.7], dynamics: [0.5, 0.85], reverb: [0.2, 0.45],
  },
  classical: {
    tempo: { mean: 92, sd: 22, lo: 50, hi: 150 }, pMajor: 0.55, swing: [0, 0], pTriple: 0.35,
    progressionsMajor: [['I', 'IV', 'V', 'I'], ['I', 'vi', 'ii', 'V'], ['I', 'V', 'vi', 'iii', 'IV', 'I', 'IV', 'V'], ['I', 'ii', 'V', 'I'], ['I', 'IV', 'ii', 'V']],
    progressionsMinor: [['i', 'iv', 'V', 'i'], ['i', 'bVI', 'iv', 'V'], ['i', 'iv', 'bVII', 'bIII', 'bVI', 'ii°', 'V', 'i'], ['i', 'V', 'i', 'V']],
    pSevenths: 0.15, pDrums: 0.12, kits: [[48, 1]], patterns: [['orchestral', 1]],
    bassPrograms: [[42, 3], [43, 2], [70, 1], [32, 0.3]], bassStyles: [['sustained', 3], ['root', 2], ['walking', 0.5]], pBass: 0.85,
    compPrograms: [[0, 4], [48, 3], [6, 1], [46, 1], [49, 1]], compStyles: [['arpeggio', 5], ['block', 2], ['sustained', 2]],
    leadPrograms: [[40, 3], [73, 3], [68, 2], [71, 2], [0, 2], [60, 1], [42, 1]], pLead: 0.9,
    leadScalesMajor: [['major', 1]], leadScalesMinor: [['harmonicMinor', 2], ['minor', 1]],
    leadRegister: [67, 79], padPrograms: [[48, 3], [49, 2], [52, 1]], pPad: 0.55,
    density: [0.2, 0.8], dynamics: [0.3, 0.8], reverb: [0.45, 0.8],
  },
  country: {
    tempo: { mean: 118, sd: 18, lo: 85, hi: 170 }, pMajor: 0.92, swing: [0, 0.15], pTriple: 0.12,
    progressionsMajor: [['I', 'IV', 'V', 'I'], ['I', 'I', 'IV', 'V'], ['I', 'V', 'IV', 'I'], ['I', 'IV', 'I', 'V'], ['I', 'vi', 'IV', 'V']],
    progressionsMinor: [['vi', 'IV', 'I', 'V'], ['i', 'bVII', 'bVI', 'bVII']],
    pSevenths: 0.1, pDrums: 0.9, kits: [[0, 3], [40, 2], [8, 2]], patterns: [['trainBeat', 4], ['backbeat', 3], ['waltz', 0]],
    bassPrograms: [[32, 3], [33, 3]], bassStyles: [['rootFifth', 6], ['walking', 1]], pBass: 0.95,
    compPrograms: [[25, 5], [24, 2], [105, 2], [0, 1]], compStyles: [['strum', 6], ['arpeggio', 1]],
    leadPrograms: [[110, 4], [22, 2], [26, 2], [105, 2], [25, 1]], pLead: 0.85,
    leadScalesMajor: [['pentatonicMajor', 4], ['major', 2]], leadScalesMinor: [['pentatonicMinor', 1], ['minor', 1]],
    leadRegister: [64, 76], padPrograms: [[48, 1], [19, 1]], pPad: 0.15,
    density: [0.4, 0.8], dynamics: [0.5, 0.8], reverb: [0.15, 0.35],
  },
  disco: {
    tempo: { mean: 120, sd: 5, lo: 108, hi: 132 }, pMajor: 0.5, swing: [0, 0.05], pTriple: 0,
    progressionsMajor: [['I', 'vi', 'ii', 'V'], ['IV', 'V', 'iii', 'vi'], ['ii7', 'V7', 'Imaj7', 'vi7'], ['I', 'IV', 'I', 'IV']],
    progressionsMinor: [['i7', 'iv7', 'i7', 'iv7'], ['i', 'bVII', 'bVI', 'V'], ['i7', 'bVII', 'bVI', 'bVII']],
    pSevenths: 0.6, pDrums: 1, kits: [[0, 2], [24, 2], [8, 1]], patterns: [['fourOnFloor', 1]],
    bassPrograms: [[38, 3], [36, 2], [33, 3], [39, 1]], bassStyles: [['octave', 6], ['syncopated', 2]], pBass: 1,
    compPrograms: [[48, 3], [28, 3], [4, 2], [50, 2], [61, 1]], compStyles: [['stabs', 4], ['offbeat', 2], ['strum', 1]],
    leadPrograms: [[80, 2], [81, 2], [61, 2], [56, 1], [49, 2], [65, 1]], pLead: 0.8,
    leadScalesMajor: [['major', 2], ['pentatonicMajor', 1], ['mixolydian', 1]], leadScalesMinor: [['dorian', 2], ['minor', 2]],
    leadRegister: [67, 79], padPrograms: [[48, 2], [89, 1], [50, 1]], pPad: 0.5,
    density: [0.6, 0.95], dynamics: [0.65, 0.95], reverb: [0.2, 0.4],
  },
  hiphop: {
    tempo: { mean: 90, sd: 7, lo: 72, hi: 104 }, pMajor: 0.25, swing: [0.08, 0.25], pTriple: 0,
    progressionsMajor: [['I', 'I', 'vi', 'vi'], ['IVmaj7', 'iii7', 'ii7', 'Imaj7'], ['I', 'iii', 'IV', 'IV']],
    progressionsMinor: [['i', 'i', 'bVI', 'bVI'], ['i7', 'iv7'], ['i', 'bVII', 'bVI', 'V'], ['i7', 'i7', 'iv7', 'v7']],
    pSevenths: 0.55, pDrums: 1, kits: [[25, 4], [24, 2], [0, 2]], patterns: [['boomBap', 5], ['halfTime', 2]],
    bassPrograms: [[38, 4], [39, 2], [33, 2], [87, 1]], bassStyles: [['syncopated', 5], ['root', 2]], pBass: 1,
    compPrograms: [[4, 3], [11, 2], [0, 2], [89, 2], [48, 1], [5, 1]], compStyles: [['sustained', 2], ['stabs', 2], ['block', 2], ['arpeggio', 1]],
    leadPrograms: [[11, 2], [80, 2], [73, 1], [4, 1], [88, 1]], pLead: 0.45,
    leadScalesMajor: [['pentatonicMajor', 1], ['major', 1]], leadScalesMinor: [['pentatonicMinor', 3], ['minor', 2]],
    leadRegister: [62, 74], padPrograms: [[89, 2], [88, 1], [48, 1], [91, 1]], pPad: 0.4,
    density: [0.35, 0.75], dynamics: [0.65, 0.95], reverb: [0.1, 0.3],
  },
  jazz: {
    tempo: { mean: 140, sd: 35, lo: 80, hi: 230 }, pMajor: 0.65, swing: [0.2, 0.33], pTriple: 0.12,
    progressionsMajor: [['ii7', 'V7', 'Imaj7', 'Imaj7'], ['Imaj7', 'vi7', 'ii7', 'V7'], ['iii7', 'vi7', 'ii7', 'V7'], ['Imaj7', 'IV7', 'iii7', 'VI7', 'ii7', 'V7', 'Imaj7', 'V7']],
    progressionsMinor: [['ii°', 'V7', 'i7', 'i7'], ['i7', 'iv7', 'ii°', 'V7'], ['i7', 'bVI7', 'ii°', 'V7']],
    pSevenths: 1, pDrums: 0.85, kits: [[32, 4], [40, 3]], patterns: [['swingRide', 6], ['waltz', 0]],
    bassPrograms: [[32, 6], [33, 1]], bassStyles: [['walking', 8], ['root', 1]], pBass: 1,
    compPrograms: [[0, 5], [26, 2], [11, 2], [4, 1]], compStyles: [['comping', 6], ['block', 1]],
    leadPrograms: [[65, 3], [66, 2], [56, 2], [59, 2], [71, 1], [11, 1], [26, 1], [64, 1]], pLead: 0.9,
    leadScalesMajor: [['major', 2], ['mixolydian', 1], ['dorian', 1], ['blues', 1]], leadScalesMinor: [['dorian', 2], ['minor', 1], ['harmonicMinor', 1]],
    leadRegister: [62, 76], padPrograms: [[48, 1]], pPad: 0.1,
    density: [0.35, 0.85], dynamics: [0.35, 0.75], reverb: [0.25, 0.5],
  },
  metal: {
    tempo: { mean: 150, sd: 30, lo: 95, hi: 220 }, pMajor: 0.08, swing: [0, 0], pTriple: 0,
    progressionsMajor: [['I5', 'bVII5', 'IV5', 'I5'], ['I5', 'bIII5', 'IV5', 'I5']],
    progressionsMinor: [['i5', 'bVI5', 'bVII5', 'i5'], ['i5', 'bII5', 'i5', 'bVII5'], ['i5', 'i5', 'bVI5', 'V5'], ['i5', 'iv5', 'bVI5', 'bVII5']],
    pSevenths: 0, pDrums: 1, kits: [[16, 4], [0, 2], [8, 1]], patterns: [['doubleKick', 4], ['backbeat', 2], ['halfTime', 2]],
    bassPrograms: [[34, 4], [33, 2], [35, 1]], bassStyles: [['driving', 6]], pBass: 1,
    compPrograms: [[30, 6], [29, 3]], compStyles: [['powerChords', 8]],
    leadPrograms: [[30, 4], [29, 3], [81, 1]], pLead: 0.6,
    leadScalesMajor: [['pentatonicMinor', 1], ['mixolydian', 1]], leadScalesMinor: [['harmonicMinor', 2], ['phrygian', 2], ['pentatonicMinor', 2], ['minor', 1]],
    leadRegister: [62, 79], padPrograms: [[48, 1], [52, 1]], pPad: 0.15,
    density: [0.65, 1], dynamics: [0.8, 1], reverb: [0.1, 0.3],
  },
  pop: {
    tempo: { mean: 112, sd: 14, lo: 85, hi: 135 }, pMajor: 0.75, swing: [0, 0.08], pTriple: 0.05,
    progressionsMajor: POP_MAJOR, progressionsMinor: POP_MINOR,
    pSevenths: 0.2, pDrums: 0.95, kits: [[0, 3], [24, 2], [25, 1], [8, 1]], patterns: [['backbeat', 5], ['fourOnFloor', 1], ['halfTime', 1]],
    bassPrograms: [[33, 3], [38, 2], [34, 1], [39, 1]], bassStyles: [['driving', 3], ['root', 2], ['octave', 1], ['syncopated', 1]], pBass: 0.95,
    compPrograms: [[0, 3], [25, 2], [4, 2], [1, 1], [88, 1], [27, 1]], compStyles: [['strum', 2], ['block', 3], ['arpeggio', 2], ['stabs', 1]],
    leadPrograms: [[80, 2], [81, 1], [1, 2], [73, 1], [53, 2], [54, 1], [11, 1], [85, 1]], pLead: 0.9,
    leadScalesMajor: [['pentatonicMajor', 2], ['major', 3]], leadScalesMinor: [['minor', 2], ['pentatonicMinor', 1]],
    leadRegister: [65, 77], padPrograms: [[89, 2], [48, 2], [88, 1], [90, 1]], pPad: 0.5,
    density: [0.4, 0.8], dynamics: [0.55, 0.85], reverb: [0.25, 0.5],
  },
  reggae: {
    tempo: { mean: 78, sd: 8, lo: 62, hi: 96 }, pMajor: 0.6, swing: [0.05, 0.2], pTriple: 0,
    progressionsMajor: [['I', 'IV', 'I', 'IV'], ['I', 'V', 'IV', 'I'], ['I', 'vi', 'IV', 'V'], ['I', 'I', 'IV', 'V']],
    progressionsMinor: [['i', 'iv', 'i', 'iv'], ['i', 'bVII', 'i', 'bVII'], ['i', 'bVI', 'bVII', 'i']],
    pSevenths: 0.15, pDrums: 1, kits: [[0, 3], [8, 2], [24, 1]], patterns: [['oneDrop', 6], ['halfTime', 1]],
    bassPrograms: [[33, 4], [38, 1], [32, 2]], bassStyles: [['syncopated', 6]], pBass: 1,
    compPrograms: [[28, 3], [27, 2], [16, 3], [17, 1], [0, 1]], compStyles: [['offbeat', 8]],
    leadPrograms: [[22, 2], [56, 2], [16, 1], [65, 1], [73, 1], [11, 1]], pLead: 0.7,
    leadScalesMajor: [['pentatonicMajor', 2], ['major', 1]], leadScalesMinor: [['pentatonicMinor', 2], ['dorian', 1]],
    leadRegister: [62, 74], padPrograms: [[16, 2], [19, 1]], pPad: 0.25,
    density: [0.3, 0.65], dynamics: [0.5, 0.8], reverb: [0.2, 0.45],
  },
  rock: {
    tempo: { mean: 128, sd: 18, lo: 95, hi: 175 }, pMajor: 0.6, swing: [0, 0.05], pTriple: 0,
    progressionsMajor: [['I', 'IV', 'V', 'IV'], ['I', 'bVII', 'IV', 'I'], ['vi', 'IV', 'I', 'V'], ['I', 'V', 'vi', 'IV'], ['I5', 'IV5', 'V5', 'IV5']],
    progressionsMinor: [['i', 'bVII', 'bVI', 'bVII'], ['i', 'bIII', 'bVII', 'iv'], ['i5', 'bVI5', 'bIII5', 'bVII5']],
    pSevenths: 0.05, pDrums: 1, kits: [[0, 4], [8, 2], [16, 2]], patterns: [['backbeat', 8], ['halfTime', 1]],
    bassPrograms: [[34, 4], [33, 3], [35, 1]], bassStyles: [['driving', 6], ['root', 1], ['octave', 1]], pBass: 1,
    compPrograms: [[29, 5], [30, 2], [25, 1], [27, 1]], compStyles: [['powerChords', 4], ['strum', 3]],
    leadPrograms: [[29, 4], [30, 2], [27, 1], [16, 1]], pLead: 0.75,
    leadScalesMajor: [['pentatonicMajor', 2], ['pentatonicMinor', 2], ['mixolydian', 1]], leadScalesMinor: [['pentatonicMinor', 3], ['minor', 1]],
    leadRegister: [62, 76], padPrograms: [[16, 1], [48, 1]], pPad: 0.2,
    density: [0.55, 0.9], dynamics: [0.7, 0.95], reverb: [0.15, 0.35],
  },
};
