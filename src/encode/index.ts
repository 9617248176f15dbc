// Voxelwise encoding: feature spaces aligned to scans, per-voxel ridge, significance, comparisons, maps.
export { genreOneHot } from './genreOneHot.ts';
export { scanWindows } from './scanWindows.ts';
export { delayFeatures } from './delayFeatures.ts';
export type { EncodingResponses } from './encodingResponses.ts';
export { buildEncodingDesign, type EncodingDesign, type EncodingDesignOptions } from './buildEncodingDesign.ts';
export { gatherRows, gatherMeanRows, gatherRepetitions } from './gatherRows.ts';
export { scoreColumns } from './scoreColumns.ts';
export { histogram2d, type Histogram2d } from './histogram2d.ts';
export { compareSpaces, type SpaceComparison, type SpaceScores } from './compareSpaces.ts';
export { partitionVariance, type VariancePartition } from './partitionVariance.ts';
export { roiSummary, type RoiCount } from './roiSummary.ts';
export { fitEncoding, fitEncodingVoxels, finishEncoding, cvGroups, type EncodingFitOptions, type EncodingMaps, type EncodingNull, type EncodingVoxelFit } from './fitEncoding.ts';
export { encodeSubject, fitSubjectVoxels, finishSubjectEncoding, type EncodeSubjectOptions, type EncodingModelSpec, type PartitionResult, type SubjectEncoding, type SubjectVoxelFits } from './encodeSubject.ts';
export { readFeatureSpace } from './readFeatureSpace.ts';
export { writeVoxelMap, type VoxelSpace } from './writeVoxelMap.ts';
export { writeEncodingOutputs, type EncodingSummary, type ModelSummary } from './writeEncodingOutputs.ts';
export { writeVoxelFits, readVoxelFits, concatVoxelFits } from './voxelFitsFile.ts';
