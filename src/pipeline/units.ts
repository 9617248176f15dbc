import { createHash } from 'node:crypto';
import type { StageRecord, StageSummary } from '../run/index.ts';
import type { Stage, StageContext, StagePlan } from './stage.ts';

/**
 * A work unit: what one process (one Slurm array task) runs and writes on its own. A stage that
 * splits by subject (`Stage.perSubject`) has one unit per subject, `stage:sub-003`; any other
 * stage is one unit named after it.
 */
export interface PlannedUnit {
  id: string;
  /** The subjects the unit covers (undefined: the whole stage). */
  subjects?: string[];
  plan: StagePlan | { skip: string };
}

/** The units of a stage for this configuration, each with its own plan (its subject's inputs and outputs only). */
export async function unitsOfStage(stage: Stage, ctx: StageContext): Promise<PlannedUnit[]> {
  if (!stage.perSubject?.(ctx)) return [{ id: stage.name, plan: await stage.plan(ctx) }];
  const units: PlannedUnit[] = [];
  for (const subject of ctx.run.subjects()) {
    const narrowed = { ...ctx, run: { ...ctx.run, subjects: () => [subject] } };
    units.push({ id: `${stage.name}:${subject}`, subjects: [subject], plan: await stage.plan(narrowed) });
  }
  return units;
}

/** A file name for a unit id (`decode:sub-003` → `decode-sub-003`). */
export function unitDirName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/**
 * A stage's record from its units' (in unit order; undefined: not reached yet): done when every
 * unit is, with their inputs, outputs and summaries together and their seconds summed; failed
 * when one failed; not-run when all were skipped; partial otherwise.
 */
export function aggregateStage(units: readonly (StageRecord | undefined)[]): StageRecord {
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
  for (const u of done) Object.assign(summary, u.summary);
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
