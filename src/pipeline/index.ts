// The run folder, its manifest and the stage orchestration. The stage adapters themselves are
// listed in ./stages/index.ts (imported by the CLI), so that this index imports no other stage.
export { loadRunConfig, parseRunConfig, datasetRoot, stimuliDir, DEFAULT_GUIDANCE } from './runConfig.ts';
export type { RunConfig, BidsDatasetConfig, SimulatedDatasetConfig, EmbeddingConfig } from './runConfig.ts';
export { readManifest, writeManifest, manifestPath, MANIFEST_FORMAT } from './manifest.ts';
export type { RunManifest, StageRecord } from './manifest.ts';
export { checksumPath, pathExists } from './checksum.ts';
export type { ChecksumCache, ChecksumEntry } from './checksum.ts';
export { runPipeline, stageSeed, lockRun, withRunLock } from './runPipeline.ts';
export type { StageOutcome, PipelineOptions } from './runPipeline.ts';
export { STAGE_NAMES } from './stage.ts';
export type { Stage, StageName, StagePlan, StageContext, StageRunContext, StageSummary } from './stage.ts';
export { runLayout, runPath } from './runLayout.ts';
export type {
  ScoreWithChance,
  DecodeMetrics,
  DecodeRois,
  DecodePredictionsInfo,
  RetrievalResult,
  SummaryMetrics,
} from './runLayout.ts';
export { packageVersions, PROJECT_ROOT } from './packageVersions.ts';
