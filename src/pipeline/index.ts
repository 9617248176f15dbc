// The pipeline: the run configuration (schema, defaults, resolveRun), one job per stage
// (./jobs, called by both the CLI command and the pipeline stage), the thin stage adapters
// (./stages, listed in ./stages/index.ts) and the orchestration that runs them into a run folder.
export { loadRunConfig, parseRunConfig, datasetRoot, stimuliDir } from './runConfig.ts';
export type { RunConfig, SlurmSettings, SlurmResources, BidsDatasetConfig, SimulatedDatasetConfig, EmbeddingConfig } from './runConfig.ts';
export { resolveRun, datasetLoadOptions, type ResolvedRun, type DatasetReadFlags } from './resolveRun.ts';
export { FIELDS, RUN_CONFIG_SCHEMA } from './runConfig.ts';
export type { Field } from './configSchema.ts';
export { runPipeline, runUnit, stageSeed } from './runPipeline.ts';
export { runOnSlurm, type SlurmRunOptions } from './slurm/submitRun.ts';
export { formatStatus, unitReport, readSubmissions, type UnitStatus, type SlurmSubmission } from './slurm/runStatus.ts';
export { availableStages } from './stages/index.ts';
export type { StageOutcome, PipelineOptions } from './runPipeline.ts';
export type { Stage, StagePlan, StageContext, StageRunContext } from './stage.ts';
// The run-folder contract, re-exported for callers of the pipeline.
export {
  STAGE_NAMES, readManifest, writeManifest, manifestPath, MANIFEST_FORMAT, checksumPath, pathExists, lockRun, withRunLock, runLayout, runPath, packageVersions, PROJECT_ROOT,
} from '../run/index.ts';
export type {
  StageName, StageSummary, RunManifest, StageRecord, ChecksumCache, ChecksumEntry, ScoreWithChance, DecodeMetrics, DecodeRois, DecodePredictionsInfo, RetrievalResult, SummaryMetrics,
} from '../run/index.ts';
