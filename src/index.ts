// The library API of the `brain2music` package (`import { fitRidgeCV } from 'brain2music'`): a
// curated list of what a user calls, taken from each folder's index.ts. Everything else stays
// internal and may change without notice. Nothing here imports cli/, and importing it starts no
// work: heavy backends (onnxruntime, transformers.js, LanceDB) load only when first used.

// Errors and progress
export { Brain2MusicError, EXIT_CODES, type ErrorCode } from './errors.ts';
export { silentReporter, type Reporter, type TaskProgress, type ProgressFn } from './progress.ts';

// File formats
export {
  readNpy, writeNpy, parseNpy, serializeNpy, type NpyArray, type NpyData,
  readNifti, readNiftiHeader, readNiftiMasked, writeNifti, type NiftiImage, type NiftiMaskedImage, type NiftiWriteInput, type ReadNiftiOptions,
  readMgh, type MghImage,
  readTsv, writeTsv, type TsvTable,
  readAudio, writeWav, encodeWav, type MonoAudio,
} from './io/index.ts';
export { resample, atRate, cutExcerpt, hann } from './dsp/index.ts';

// Linear algebra and ridge regression
export { matmul, eigh, pearsonColumns, useBackend, listBackends, type Matrix, type EighResult } from './linalg/index.ts';
export {
  fitRidgeCV, predictRidge, logspace, defaultAlphas, kFold, groupKFold, leaveOneGroupOut,
  type RidgeCVOptions, type RidgeFit, type RidgeScore, type Fold,
} from './ridge/index.ts';

// The dataset
export {
  openDataset, loadResponses, GTZAN_GENRES, genreOfClipId, type Dataset, type SubjectResponses, type LoadResponsesOptions,
} from './bids/index.ts';

// Music embeddings
export {
  createEmbedder, embedderNames, embedderInfo, embedClips, readEmbeddings, writeEmbeddings, windowStarts, rowsFor,
  type Embedder, type EmbedderInfo, type EmbedderOptions, type EmbedClipsOptions, type EmbedClipsResult, type EmbeddingsFile, type EmbeddingsMeta, type ClipWindows,
} from './embed/index.ts';

// Decoding, encoding, significance, evaluation
export {
  decodeSubject, fitRoiEnsemble, predictRoiEnsemble, evaluateDecoding,
  type DecodeSubjectOptions, type DecodeSubjectResult, type RoiEnsemble, type DecodingMetrics,
} from './decode/index.ts';
export {
  encodeSubject, fitEncoding, readFeatureSpace,
  type EncodeSubjectOptions, type SubjectEncoding, type EncodingFitOptions, type EncodingMaps,
} from './encode/index.ts';
export { fdrBh, gaussianNullP, blockPermutationNull, noiseCeiling } from './stats/index.ts';
export {
  identificationAccuracy, nWayTop1, pearsonPerDimension, accuracyByGroup, rowCorrelations,
  type IdentificationResult, type TopOneResult, type PearsonPerDimensionResult, type GroupAccuracy,
} from './evaluate/index.ts';

// Retrieval and generation
export { openLibrary, buildLibrary, cosineTopK, type LibraryStore, type SearchHit, type BuildLibraryOptions } from './library/index.ts';
export { createBuiltinGenerator, createMusicgenGenerator, type Generator, type GeneratedClip, type GenerationOptions } from './generate/index.ts';

// The simulator
export { simulateDataset, PRESETS, type SimulationConfig, type PresetName } from './simulate/index.ts';

// The pipeline and its run folder
export {
  loadRunConfig, parseRunConfig, resolveRun, runPipeline, availableStages, readManifest, runLayout, runPath,
  type RunConfig, type ResolvedRun, type StageOutcome, type PipelineOptions, type Stage, type RunManifest,
} from './pipeline/index.ts';
export { buildReport, serveRun, type ReportSummary } from './report/index.ts';
