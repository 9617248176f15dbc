// The dataset model: subjects, runs, events, clips, test repetitions, atlas, derivative arrays.
// Same API for the real OpenNeuro ds003720 and for simulated datasets in its layout.
export type { Task, ClipInfo, Presentation, RunSchedule, RunFiles, SubjectFiles, Dataset, RunResponses, Atlas, VoxelSpace, SubjectResponses, ResponseProvenance } from './types.ts';
export { openDataset, derivativePath, atlasPaths } from './openDataset.ts';
export { loadResponses, type LoadResponsesOptions, type FmriprepOptions } from './loadResponses.ts';
export { readEvents, EVENT_COLUMNS, type EventRow } from './events.ts';
export { GTZAN_GENRES, clipId, genreOfClipId, gtzanGenre, type GtzanGenre } from './gtzan.ts';
export { buildSchedule, type RunEvents } from './buildSchedule.ts';
export { detrendRunningMedian, medianWindowScans } from './detrendRunningMedian.ts';
export { zscoreRun } from './zscoreRun.ts';
export { readDsegNames, readLabelImage, readVoxelLabels, cOrderToFileOrder, voxelsToVolume } from './loadAtlas.ts';
export { findClipAudio, locateClipAudio, clipAudioCandidates, readClipExcerpt, type ClipExcerpt } from './findClipAudio.ts';
export { DESTRIEUX_NAMES, DESIKAN_NAMES, destrieuxId, destrieuxLabels, desikanLabels, freesurferCorticalLabels } from './freesurferLabels.ts';
export { regressConfounds } from './regressConfounds.ts';
export { readMotionConfounds, confoundColumns, MOTION_COLUMNS, CONFOUNDS_MODES, type ConfoundsMode } from './readMotionConfounds.ts';
export { resampleLabels, ROUNDING_SLACK, type LabelVolume } from './resampleLabels.ts';
export { multiplyAffine, invertAffine, gridBounds } from './affine.ts';
export { readLabelVolume } from './readLabelVolume.ts';
export { readLabelNames } from './readLabelNames.ts';
export { readWorldTransform } from './readWorldTransform.ts';
export { parcellationOnGrid, corticalLabelNames, isFreeSurferAtlas, type GridParcellation } from './parcellationOnGrid.ts';
export {
  findFmriprepRuns, findParcellation, freesurferSubjectDir, parseSpace, parseBidsName,
  type FmriprepRun, type FmriprepSpace, type ParcellationSource, type ParcellationChoice, type BidsName,
} from './fmriprep.ts';
