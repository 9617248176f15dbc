// The ROI-ensemble decoder (domain.md §1.4): per-ROI ridge, top-k by training CV, averaged.
export { roiList, cortexRoi, type Roi, type AtlasLike } from './roiList.ts';
export { fitStandardizer, selectStandardized, type Standardizer } from './standardizer.ts';
export { fitVoxelDecoder, type VoxelDecoderFit, type CvScoreMode, type DecoderRidgeOptions } from './fitVoxelDecoder.ts';
export { fitRoiEnsemble, type RoiEnsemble, type RoiEnsembleOptions, type RoiScore, type EnsembleMember, type DecoderTrainingData } from './fitRoiEnsemble.ts';
export { predictRoiEnsemble } from './predictRoiEnsemble.ts';
export { embeddingRows, type EmbeddingSet } from './embeddingRows.ts';
export { takeRows } from './takeRows.ts';
export { evaluateDecoding, genreFromClipId, type DecodingMetrics, type Scored } from './evaluateDecoding.ts';
export { leaveOneGenreOut, type LeaveOneGenreOutResult, type HeldOutGenre } from './leaveOneGenreOut.ts';
export { decodeSubject, type DecodeSubjectOptions, type DecodeSubjectResult, type DecoderReport, type DecodableResponses } from './decodeSubject.ts';
export { decodeOutputs, type DecodeOutputs, type DecodeRunInfo } from './decodeOutputs.ts';
