// The decoders: the ROI ensemble (docs/method.md §1.4: per-ROI ridge, top-k by training CV, averaged) and,
// without an atlas, a ridge on voxels chosen by an encoding model nested in the CV.
export { roiList, cortexRoi, type Roi, type AtlasLike } from './roiList.ts';
export { fitStandardizer, selectStandardized, type Standardizer } from './standardizer.ts';
export { fitVoxelDecoder, type VoxelDecoderFit, type CvScoreMode, type DecoderRidgeOptions } from './fitVoxelDecoder.ts';
export { fitRoiEnsemble, type RoiEnsemble, type RoiEnsembleOptions, type RoiScore, type EnsembleMember, type DecoderTrainingData } from './fitRoiEnsemble.ts';
export { predictRoiEnsemble } from './predictRoiEnsemble.ts';
export { takeRows } from './takeRows.ts';
export { cvPredictions, type FoldMember } from './cvPredictions.ts';
export { evaluateDecoding, type DecodingMetrics, type Scored } from './evaluateDecoding.ts';
export { leaveOneGenreOut, type LeaveOneGenreOutResult, type HeldOutGenre } from './leaveOneGenreOut.ts';
export { decodeSubject, type DecodeSubjectOptions, type DecodeSubjectResult, type DecoderReport, type DecoderUsed, type DecodableResponses } from './decodeSubject.ts';
export { parseDecoderChoice, formatDecoderChoice, checkDecoderChoice, DECODER_FORMS, type DecoderChoice, type VoxelSelection } from './decoderChoice.ts';
export { defaultDecoder, DEFAULT_ENCODING_VOXELS, type DefaultDecoder } from './defaultDecoder.ts';
export { encodingCvScores, type EncodingCvOptions, type EncodingCvScores } from './encodingCvScores.ts';
export { selectVoxels, rankVoxels, type SelectedVoxels } from './selectVoxels.ts';
export { fitSelectionDecoder, SELECTION_ROI_LABEL, type SelectionDecoderFit, type SelectionDecoderOptions, type SelectionFold, type VoxelSelectionRecord } from './fitSelectionDecoder.ts';
export { decodeOutputs, type DecodeOutputs, type DecodeRunInfo } from './decodeOutputs.ts';
export { alignmentSubject, type AlignmentSubject, type AlignmentSubjectOptions } from './alignmentSubject.ts';
export { decodeAligned, ALIGNMENT_METHODS, EACH_SUBJECT_REFERENCE, type AlignmentMethod, type AlignedDecodeOptions, type AlignedTargetResult, type AlignedSubjectRecord } from './decodeAligned.ts';
