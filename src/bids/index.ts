// The dataset model: subjects, runs, events, clips, test repetitions, atlas, derivative arrays.
// Same API for the real OpenNeuro ds003720 and for simulated datasets in its layout.
export type { Task, ClipInfo, Presentation, RunSchedule, RunFiles, SubjectFiles, Dataset, RunResponses, Atlas, VoxelSpace, SubjectResponses } from './types.ts';
export { openDataset, derivativePath, atlasPaths } from './openDataset.ts';
export { loadResponses, type LoadResponsesOptions } from './loadResponses.ts';
export { readEvents, clipId, EVENT_COLUMNS, type EventRow } from './events.ts';
export { buildSchedule, type RunEvents } from './buildSchedule.ts';
export { detrendRunningMedian, medianWindowScans } from './detrendRunningMedian.ts';
export { zscoreRun } from './zscoreRun.ts';
export { readDsegNames, readLabelImage, readVoxelLabels, cOrderToFileOrder, voxelsToVolume } from './loadAtlas.ts';
export { findClipAudio, locateClipAudio, clipAudioCandidates, readClipExcerpt, AUDIO_EXTENSIONS, type ClipExcerpt } from './findClipAudio.ts';
