// The simulator: generated music (arrangements → rendered audio) and a simulated Music Genre
// fMRI dataset in the ds003720 layout with a saved ground truth.
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
export { type RenderJob, type RenderJobResult } from './renderJob.ts';
export { buildSchedule, clipId, type Schedule, type RunSchedule, type StimulusClip } from './schedule.ts';
export { PRESETS, DEFAULT_LIBRARY, validateConfig, type SimulationConfig, type PresetName } from './config.ts';
export { simulateDataset, stimulusArrangement, type SimulationHooks, type SimulationSummary } from './simulateDataset.ts';
export { DEFAULT_SNR, type SnrSpec } from './brain/subjectModel.ts';
export { AUDITORY_ROIS, HIGHER_ROIS } from './brain/destrieux.ts';
export { canonicalHrf } from './brain/hrf.ts';
export { musicalFeatures, musicalFeatureNames } from './brain/musicalFeatures.ts';
export { simulateLibrary, libraryId, libraryArrangement, type LibraryOptions } from './simulateLibrary.ts';
export { genreSeparability } from './genreSeparability.ts';
export { simulatedFeatureSpaces, type SimulatedFeatureSpaces } from './simulatedFeatureSpaces.ts';
