import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';
import { writeJsonAtomic } from '../io/index.ts';
import type { ChecksumCache } from './checksum.ts';
import { withFileLock } from './lock.ts';

/**
 * The canonical stages of a run, in execution order. A build may lack some of them (their
 * module not written yet); the pipeline then reports them as unavailable instead of faking them.
 */
export const STAGE_NAMES = ['simulate', 'embed', 'decode', 'library', 'retrieve', 'generate', 'encode', 'evaluate', 'report'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** Numbers and notes a stage reports (kept in run.json and shown by the demo). */
export type StageSummary = Record<string, string | number | boolean | string[] | number[]>;

export const MANIFEST_FORMAT = 'brain2music-run/1';

/** What happened to a stage the last time the pipeline reached it. */
export interface StageRecord {
  /**
   * done: outputs in place; failed: threw (message in `error`); not-run: `reason` says why;
   * partial (a stage only): some of its work units are not done yet (`reason` says how many).
   */
  status: 'done' | 'failed' | 'not-run' | 'partial';
  /** True when the last pipeline invocation skipped it because its outputs were current. */
  reused?: boolean;
  reason?: string;
  error?: string;
  seed?: number;
  /** sha256 over the stage's params, seed and input checksums: equal hash + outputs present → skip. */
  inputsHash?: string;
  inputs?: { path: string; sha256: string }[];
  outputs?: string[];
  params?: unknown;
  startedAt?: string;
  /** When this record was written (a unit that was reused gets a new one too). */
  finishedAt?: string;
  /** Wall-clock seconds of the last actual execution. */
  seconds?: number;
  summary?: StageSummary;
}

/**
 * `RUN/run.json`: the full configuration, software versions, seeds, input checksums and what
 * every stage did with its timing.
 */
export interface RunManifest<Config = unknown> {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  updatedAt: string;
  /** The validated configuration (the pipeline's `RunConfig`). */
  config: Config;
  versions: { brain2music: string; node: string; platform: string; packages: Record<string, string> };
  /** Master seed and the seed each stage received. */
  seeds: { master: number } & Partial<Record<StageName, number>>;
  /** Checksums of every file read as an input (also a cache keyed by size and mtime). */
  checksums: ChecksumCache;
  stages: Partial<Record<StageName, StageRecord>>;
  /**
   * What every work unit did (`decode:sub-003`, or the stage's name for a stage that is one unit);
   * a stage's record sums up its units'.
   */
  units?: Record<string, StageRecord>;
}

/** Path of the manifest inside a run folder. */
export function manifestPath(runDir: string): string {
  return join(runDir, 'run.json');
}

/**
 * Reads `RUN/run.json`, or returns undefined when there is none.
 * @throws BAD_FILE when it exists but is not a brain2music run manifest
 */
export function readManifest<Config = unknown>(runDir: string): RunManifest<Config> | undefined {
  let text: string;
  try {
    text = readFileSync(manifestPath(runDir), 'utf8');
  } catch {
    return undefined;
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (err) {
    fail('BAD_FILE', `${manifestPath(runDir)} is not valid JSON (${(err as Error).message}); delete it to start the run afresh.`);
  }
  if (typeof m !== 'object' || m === null || (m as { format?: unknown }).format !== MANIFEST_FORMAT) {
    fail('BAD_FILE', `${manifestPath(runDir)} is not a ${MANIFEST_FORMAT} manifest; point the run at an empty folder or a brain2music run folder.`);
  }
  return m as RunManifest<Config>;
}

/** Writes `RUN/run.json` atomically. */
export function writeManifest<Config>(runDir: string, manifest: RunManifest<Config>): void {
  writeJsonAtomic(manifestPath(runDir), manifest);
}

/**
 * Read-modify-write of `RUN/run.json` holding its lock (`RUN/.locks/run.json.lock`), so units
 * finishing at the same moment (on one machine or the nodes of a cluster) never lose each other's
 * records: `mutate` gets the manifest as it is on disk now (undefined when there is none) and
 * returns the one to write.
 */
export function updateManifest<Config>(runDir: string, mutate: (m: RunManifest<Config> | undefined) => RunManifest<Config>): RunManifest<Config> {
  return withFileLock(join(runDir, '.locks', 'run.json.lock'), () => {
    const next = mutate(readManifest<Config>(runDir));
    next.updatedAt = new Date().toISOString();
    writeManifest(runDir, next);
    return next;
  });
}
