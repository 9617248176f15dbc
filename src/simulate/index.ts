// The simulator: generated music (arrangements → rendered audio) and a simulated Music Genre
// fMRI dataset in the ds003720 layout with a saved ground truth.
export {
  GENRES, DRUM_PATTERNS, BASS_STYLES, COMP_STYLES, LEAD_SCALES, PART_ROLES, arrangementPrograms,
  type Arrangement, type Genre, type Mode, type DrumPattern, type BassStyle, type CompStyle, type LeadScale, type PartRole, type Section,
} from './arrangement.ts';
export { sampleArrangement, barCount } from './sampleArrangement.ts';
export { GENRE_STYLES, type GenreStyle } from './genreStyles.ts';
export { parseChord, type Chord } from './chords.ts';
export { arrangementToScore, type Score, type NoteEvent, type ChannelSetup } from './arrangementToScore.ts';
export { renderScore, loadSoundFont, defaultSoundFontPath } from './synth.ts';
export { renderArrangement, SAMPLE_RATE, type RenderOptions } from './renderArrangement.ts';
export { finishClip, TARGET_RMS } from './finishClip.ts';
export { acousticFeatures, clipAudioSummary, ACOUSTIC_FEATURES, type AcousticFeatures } from './acousticFeatures.ts';
export { createRng, deriveSeed, hashString, type Rng } from './rng.ts';
