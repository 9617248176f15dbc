// The music engine: arrangements (plain musical parameters) → scores → General MIDI audio, and
// the acoustic features of rendered clips. Used by the simulator and the builtin generator.
export {
  GENRES, DRUM_PATTERNS, BASS_STYLES, COMP_STYLES, LEAD_SCALES, PART_ROLES, arrangementPrograms,
  type Arrangement, type Genre, type Mode, type DrumPattern, type BassStyle, type CompStyle, type LeadScale, type PartRole, type Section,
} from './arrangement.ts';
export { sampleArrangement, completeArrangement, validateArrangement, barCount } from './sampleArrangement.ts';
export { GENRE_STYLES, type GenreStyle } from './genreStyles.ts';
export { parseChord, type Chord } from './chords.ts';
export { arrangementToScore, type Score, type NoteEvent, type ChannelSetup } from './arrangementToScore.ts';
export { renderScore, loadSoundFont, defaultSoundFontPath } from './synth.ts';
export { renderArrangement, SAMPLE_RATE, type RenderOptions } from './renderArrangement.ts';
export { limitPeak, TARGET_RMS } from './limitPeak.ts';
export { acousticFeatures, clipAudioSummary, ACOUSTIC_FEATURES, type AcousticFeatures } from './acousticFeatures.ts';
export { renderClips, type RenderClipsOptions } from './renderClips.ts';
export { createArrangementRenderer, type ArrangementRenderer } from './arrangementRenderer.ts';
export { type RenderJob, type RenderJobResult } from './renderJob.ts';
export { genreSeparability } from './genreSeparability.ts';
