// The run-folder contract: where every output lives and the shape of its JSON files, the manifest
// (run.json), input checksums, the folder's lock, and staged (all-or-nothing) writes. Both doors
// onto a stage (its CLI command and the pipeline) and the report go through here.
export { runLayout, runPath } from './layout.ts';
export type { ScoreWithChance, ClassAgreementRecord, DecodeMetrics, AlignedDecodeMetrics, AlignedDecoderInfo, DecodeRois, DecodePredictionsInfo, RetrievalResult, SummaryMetrics, ListeningKind, ListeningTrial, ListeningSession, ListeningAnswer } from './layout.ts';
export { STAGE_NAMES, readManifest, writeManifest, updateManifest, manifestPath, MANIFEST_FORMAT } from './manifest.ts';
export type { StageName, StageSummary, RunManifest, StageRecord } from './manifest.ts';
export { checksumPath, pathExists, type ChecksumCache, type ChecksumEntry } from './checksum.ts';
export { lockFile, lockRun, withFileLock, withRunLock } from './lock.ts';
export { commitOutputs, checkOutputPath } from './commitOutputs.ts';
export { stagedWrite } from './stagedWrite.ts';
export { readRunJson } from './readRunJson.ts';
export { packageVersions, PROJECT_ROOT } from './packageInfo.ts';
