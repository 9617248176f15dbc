// The simulator: a simulated Music Genre fMRI dataset in the ds003720 layout (the simulated
// brain, the schedule, the dataset writer) with a saved ground truth, and a music library. The
// music itself comes from `music/`.
export { buildSchedule, clipId, type Schedule, type RunSchedule, type StimulusClip } from './schedule.ts';
export { PRESETS, DEFAULT_LIBRARY, validateConfig, type SimulationConfig, type PresetName } from './config.ts';
export { simulateDataset, stimulusArrangement, type SimulationHooks, type SimulationSummary } from './simulateDataset.ts';
export { DEFAULT_SNR, type SnrSpec } from './brain/subjectModel.ts';
export { AUDITORY_ROIS, HIGHER_ROIS } from './brain/destrieux.ts';
export { canonicalHrf } from './brain/hrf.ts';
export { musicalFeatures, musicalFeatureNames } from './brain/musicalFeatures.ts';
export { simulateLibrary, libraryId, libraryArrangement, type LibraryOptions } from './simulateLibrary.ts';
export { simulatedFeatureSpaces, type SimulatedFeatureSpaces } from './simulatedFeatureSpaces.ts';
