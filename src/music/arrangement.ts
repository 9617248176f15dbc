import { GTZAN_GENRES, type GtzanGenre } from '../bids/index.ts';

/**
 * The musical parameters of one clip (a simulated stimulus, a library track or a generated
 * clip). An `Arrangement` fully determines the audio: `renderArrangement(arrangement)` is a pure
 * function of it (the `seed` drives the note-level detail such as melody notes, fills and
 * humanisation). The generator stage builds these from
 * predicted parameters, so every field is plain data (JSON-serialisable) with a stated range.
 */

/** The ten GTZAN genres, in GTZAN's (alphabetical) order. */
export const GENRES = GTZAN_GENRES;
export type Genre = GtzanGenre;

export type Mode = 'major' | 'minor';

/** Drum grooves (General MIDI percussion, channel 10). */
export const DRUM_PATTERNS = [
  'backbeat', 'fourOnFloor', 'shuffle', 'swingRide', 'boomBap', 'oneDrop', 'trainBeat', 'doubleKick', 'halfTime', 'waltz', 'orchestral',
] as const;
export type DrumPattern = (typeof DRUM_PATTERNS)[number];

export const BASS_STYLES = ['root', 'rootFifth', 'walking', 'octave', 'syncopated', 'driving', 'sustained'] as const;
export type BassStyle = (typeof BASS_STYLES)[number];

export const COMP_STYLES = ['block', 'arpeggio', 'strum', 'offbeat', 'stabs', 'powerChords', 'comping', 'sustained'] as const;
export type CompStyle = (typeof COMP_STYLES)[number];

export const LEAD_SCALES = ['major', 'minor', 'pentatonicMajor', 'pentatonicMinor', 'blues', 'dorian', 'mixolydian', 'harmonicMinor', 'phrygian'] as const;
export type LeadScale = (typeof LEAD_SCALES)[number];

/** The layers an arrangement can have; a section lists which of them play. */
export const PART_ROLES = ['drums', 'bass', 'chords', 'lead', 'pad'] as const;
export type PartRole = (typeof PART_ROLES)[number];

/** A stretch of bars with its own set of playing parts and loudness. */
export interface Section {
  /** First bar of the section (0-based); the first section starts at bar 0. */
  startBar: number;
  /** Parts that play in this section (a subset of those the arrangement has). */
  parts: PartRole[];
  /** Dynamics multiplier for the section, 0.5..1.2. */
  dynamics: number;
}

export interface Arrangement {
  /** Format version of this parameter set. */
  version: 1;
  genre: Genre;
  /** Seed of the note-level detail (melody, fills, humanisation), a 32-bit unsigned integer. */
  seed: number;
  /** Beats per minute, 50..240. */
  tempo: number;
  /** Swing of off-beat eighths: 0 straight, 0.33 triplet feel. */
  swing: number;
  /** 3 or 4 beats per bar. */
  beatsPerBar: 3 | 4;
  /** Tonic pitch class, 0 = C .. 11 = B. */
  key: number;
  mode: Mode;
  /** Chord per bar as Roman numerals relative to the key (e.g. 'I', 'vi', 'V7', 'bVII', 'ii7', 'i5'), cycled. */
  progression: string[];
  /** Add sevenths to triads. */
  sevenths: boolean;
  /** General MIDI drum kit (percussion program: 0 Standard, 8 Room, 16 Power, 24 Electronic, 25 TR-808, 32 Jazz, 40 Brush, 48 Orchestra) and groove; null = no drums. */
  drums: { kit: number; pattern: DrumPattern; fills: boolean } | null;
  /** Bass part: General MIDI program 0..127 and style; null = no bass. */
  bass: { program: number; style: BassStyle } | null;
  /** Harmony (comping) part. */
  chords: { program: number; style: CompStyle } | null;
  /** Lead melody: program, scale and register (MIDI note of the register's centre, 55..84). */
  lead: { program: number; scale: LeadScale; register: number } | null;
  /** Sustained pad/strings layer. */
  pad: { program: number } | null;
  /** Rhythmic density 0..1 (subdivision of parts and melody note rate). */
  density: number;
  /** Playing dynamics 0..1 (note velocities; changes timbre, level is RMS-normalised afterwards). */
  dynamics: number;
  /** Reverb send 0..1. */
  reverb: number;
  /** Sections in time order (texture changes inside the clip). */
  sections: Section[];
  /** Length of the rendered clip in seconds (15 for the dataset). */
  durationSec: number;
}

/** Program numbers of the parts an arrangement has (drum kit excluded), for metadata tables. */
export function arrangementPrograms(a: Arrangement): number[] {
  const out: number[] = [];
  if (a.bass) out.push(a.bass.program);
  if (a.chords) out.push(a.chords.program);
  if (a.lead) out.push(a.lead.program);
  if (a.pad) out.push(a.pad.program);
  return out;
}
