import { createHash } from 'node:crypto';
import type { StageRecord, StageSummary } from '../run/index.ts';
import type { Stage, StageContext, StagePlan, UnitScope } from './stage.ts';

/**
 * A work unit: what one process (one Slurm array task) runs and writes on its own. A stage that
 * splits by subject (`Stage.perSubject`) has one unit per subject, `stage:sub-003`, one that
 * splits by model (`Stage.perModel`) one per embedding model, `embed:clap`; any other stage is one
 * unit named after it. With `Stage.shards` n > 1, each of those is n shard units
 * (`encode:sub-003:2-of-4`) and then the unit itself, which merges them.
 */
export interface PlannedUnit {
  id: string;
  /** shard: one of n; merge: after its shards (`shards`); whole: the unit's work in one. */
  phase: UnitPhase;
  /** The subjects the unit covers (undefined: the whole stage). */
  subjects?: string[];
  /** The merge's shard units. */
  shards?: string[];
  /** The stage's context for this unit: its subject's, with its scope. */
  ctx: StageContext;
  plan: StagePlan | { skip: string };
}

export type UnitPhase = 'shard' | 'merge' | 'whole';

/** A unit as a cluster schedules it, known from the configuration alone. */
export interface UnitId {
  id: string;
  phase: UnitPhase;
  subject?: string;
  scope?: UnitScope;
  shards?: string[];
}

/** A shard unit's id: `<unit>:<k>-of-<n>`. */
const shardId = (unit: string, k: number, n: number) => `${unit}:${k}-of-${n}`;

/** True for a shard unit's id. */
export const isShardUnit = (id: string): boolean => /:\d+-of-\d+$/.test(id);

/** The units of a stage in the order they run (a merge after its shards), from the configuration and `subjects`. */
export function unitIdsOfStage(stage: Stage, ctx: StageContext, subjects: readonly string[]): UnitId[] {
  const parts: { id: string; subject?: string; scope?: UnitScope }[] = stage.perSubject?.(ctx)
    ? subjects.map((subject) => ({ id: `${stage.name}:${subject}`, subject }))
    : stage.perModel?.(ctx)
      ? ctx.config.embeddings.map((e) => ({ id: `${stage.name}:${e.name}`, scope: { model: e.name } }))
      : [{ id: stage.name }];
  const n = stage.shards?.(ctx) ?? 1;
  return parts.flatMap((part): UnitId[] => {
    if (n <= 1) return [{ ...part, phase: 'whole' }];
    const shards = Array.from({ length: n }, (_, i) => ({ ...part, id: shardId(part.id, i + 1, n), phase: 'shard' as const, scope: { ...part.scope, shard: { index: i + 1, count: n } } }));
    return [...shards, { ...part, phase: 'merge', scope: { ...part.scope, merge: { count: n } }, shards: shards.map((s) => s.id) }];
  });
}

/** The units of a stage for this configuration, each with its own plan (its subject's and scope's inputs and outputs only). */
export async function unitsOfStage(stage: Stage, ctx: StageContext): Promise<PlannedUnit[]> {
  const units: PlannedUnit[] = [];
  // the subjects only for a stage split by them (before simulate there is no dataset to list them from)
  for (const u of unitIdsOfStage(stage, ctx, stage.perSubject?.(ctx) ? ctx.run.subjects() : [])) {
    const narrowed: StageContext = { ...ctx, ...(u.subject ? { run: { ...ctx.run, subjects: () => [u.subject!] } } : {}), ...(u.scope ? { scope: u.scope } : {}) };
    units.push({ id: u.id, phase: u.phase, ...(u.subject ? { subjects: [u.subject] } : {}), ...(u.shards ? { shards: u.shards } : {}), ctx: narrowed, plan: await stage.plan(narrowed) });
  }
  return units;
}

/** A file name for a unit id (`decode:sub-003` → `decode-sub-003`). */
export function unitDirName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/**
 * A stage's record from its units' (in unit order; undefined: not reached yet): done when every
 * unit is, with their inputs, outputs and summaries (but a shard's, which its merge sums up)
 * together and their seconds summed; failed when one failed; not-run when all were skipped;
 * partial otherwise.
 */
export function aggregateStage(units: readonly (StageRecord | undefined)[], ids?: readonly string[]): StageRecord {
  if (units.length === 0) return { status: 'not-run', reason: 'no work units (no subjects)' };
  if (units.length === 1 && units[0]) return units[0];
  const failed = units.find((u) => u?.status === 'failed');
  if (failed) return failed;
  if (units.length > 0 && units.every((u) => u?.status === 'not-run')) return units[0]!;
  const done = units.filter((u): u is StageRecord => u?.status === 'done');
  if (done.length < units.length) return { status: 'partial', reason: `${done.length} of ${units.length} units done` };
  const inputs = new Map<string, { path: string; sha256: string }>();
  for (const u of done) for (const i of u.inputs ?? []) inputs.set(i.path, i);
  const summary: StageSummary = {};
  done.forEach((u, i) => {
    if (!ids || !isShardUnit(ids[i]!)) Object.assign(summary, u.summary);
  });
  return {
    status: 'done',
    reused: done.every((u) => u.reused),
    seed: done[0]!.seed,
    inputsHash: createHash('sha256').update(done.map((u) => u.inputsHash).join('\n')).digest('hex'),
    inputs: [...inputs.values()],
    outputs: done.flatMap((u) => u.outputs ?? []),
    params: done[0]!.params,
    startedAt: done.map((u) => u.startedAt ?? '').sort()[0],
    seconds: done.reduce((s, u) => s + (u.seconds ?? 0), 0),
    summary,
  };
}
