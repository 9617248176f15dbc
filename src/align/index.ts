// fMRI-to-window alignment: hemodynamic lag, test-repeat averaging, window means, CV groups.
export type { AlignableResponses, AlignOptions, ClampRecord, Split } from './responses.ts';
export { planClipScans, type ClipScanPlan } from './planClipScans.ts';
export { clipScans, type ClipScans } from './clipScans.ts';
export { windowScanRange, type TimeWindow, type ScanRange } from './windowScanRange.ts';
export { windowResponses, type WindowResponses } from './windowResponses.ts';
export { alignWindows, type AlignedWindows } from './alignWindows.ts';
export { keepTrainingRuns } from './keepTrainingRuns.ts';
// Cross-subject functional alignment: ridge maps onto a reference subject, shared response models.
export type { WindowRows, SubjectRows } from './functional/windowRows.ts';
export { matchClipRows, type ClipRowMatch } from './functional/matchClipRows.ts';
export { gatherColumns } from './functional/gatherColumns.ts';
export { roiBlocks, selectionBlock, blockVoxels, type AlignmentBlock, type LabelledSubject } from './functional/alignmentBlocks.ts';
export { fitRidgeAlignment, type RidgeAlignment, type RidgeAlignmentOptions, type RidgeBlockMap, type AlignmentAlpha } from './functional/fitRidgeAlignment.ts';
export { polarFactor } from './functional/polarFactor.ts';
export { fitSharedResponse, fitSrmSubject, DEFAULT_SRM_DIMS, DEFAULT_SRM_ITERATIONS, type SharedResponseModel, type SharedResponseOptions, type SrmSubjectMap } from './functional/fitSharedResponse.ts';
export { applyAlignment, identityAlignment, alignmentColumns, type SubjectAlignment, type IdentityAlignment } from './functional/applyAlignment.ts';
