import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EncodingSummary } from '../../encode/index.ts';
import type { GenerationEvaluation } from '../../generate/index.ts';
import { writeJsonAtomic } from '../../io/index.ts';
import { readRunJson, runLayout, runPath, type ClassAgreementRecord, type DecodeMetrics, type RetrievalResult, type ScoreWithChance, type SummaryMetrics } from '../../run/index.ts';

/** Which stages' outputs the summary gathers. */
export interface EvaluateParts {
  decode: boolean;
  retrieve: boolean;
  generate: boolean;
  encode: boolean;
}

/** The per-subject files the summary gathers, of the parts asked for. */
export function evaluateSources(runDir: string, subject: string, parts: EvaluateParts): string[] {
  const p = (rel: string) => runPath(runDir, rel);
  return [
    ...(parts.decode ? [p(`${runLayout.decodeDir(subject)}/metrics.json`)] : []),
    ...(parts.retrieve ? [p(runLayout.retrievalFile(subject))] : []),
    ...(parts.generate ? [p(`${runLayout.generated}/${subject}/metrics.json`)] : []),
    ...(parts.encode ? [p(`${runLayout.encodeDir(subject)}/summary.json`)] : []),
  ];
}

/** Subjects with any result in a run folder (for a stage command run on its own). */
export function subjectsInRun(runDir: string): string[] {
  const dirs = (rel: string) => {
    const d = runPath(runDir, rel);
    return existsSync(d) ? readdirSync(d).filter((n) => /^sub-/.test(n) && statSync(join(d, n)).isDirectory()) : [];
  };
  const retrieval = runPath(runDir, runLayout.retrieval);
  const fromRetrieval = existsSync(retrieval) ? readdirSync(retrieval).filter((f) => /^sub-.*\.json$/.test(f)).map((f) => f.slice(0, -5)) : [];
  return [...new Set([...dirs(runLayout.subjects), ...dirs(runLayout.generated), ...fromRetrieval])].sort();
}

/**
 * The evaluate stage's job: `outDir/metrics.json`, the summary table gathered from the run
 * folder's stage outputs: per subject the decoding headline (identification test/train and
 * N-way top-1 with chance), retrieval and generation agreement with oracle and chance, and
 * significant voxels per encoding space. Every number keeps its chance level.
 */
export function evaluateJob(runDir: string, subjects: readonly string[], parts: EvaluateParts, outDir: string): SummaryMetrics {
  const out: SummaryMetrics = { subjects: {} };
  for (const subject of subjects) {
    const p = (rel: string) => runPath(runDir, rel);
    const row: SummaryMetrics['subjects'][string] = {};
    const d = parts.decode ? readRunJson<DecodeMetrics>(p(`${runLayout.decodeDir(subject)}/metrics.json`)) : undefined;
    if (d) {
      const { target, unit, lagTr, identificationTest, identificationTrain, identificationTrainOutOfFold, nWayTop1, meanR, perGenre, trainRuns, aligned } = d;
      row.decode = { subject, target, unit, lagTr, identificationTest, identificationTrain, ...(identificationTrainOutOfFold ? { identificationTrainOutOfFold } : {}), nWayTop1, meanR, perGenre, ...(trainRuns ? { trainRuns } : {}), ...(aligned ? { aligned } : {}) };
    }
    const r = parts.retrieve ? readRunJson<RetrievalResult>(p(runLayout.retrievalFile(subject))) : undefined;
    if (r) row.retrieval = { genreAgreement: r.genreAgreement, identification: r.identification, ...(r.concentration ? { concentration: r.concentration.predicted } : {}) };
    const g = parts.generate ? readRunJson<GenerationEvaluation & { secondSpace?: { space: string; identification: ScoreWithChance }; classAgreement?: ClassAgreementRecord & { perClip?: unknown } }>(p(`${runLayout.generated}/${subject}/metrics.json`)) : undefined;
    if (g) {
      const classes = g.classAgreement && { classifier: g.classAgreement.classifier, genre: g.classAgreement.genre, instrument: g.classAgreement.instrument, mood: g.classAgreement.mood };
      row.generation = { genreAgreement: g.genreAgreement, identification: g.identification, ...(g.secondSpace ? { identificationSecondSpace: { ...g.secondSpace.identification, space: g.secondSpace.space } } : {}), ...(classes ? { classAgreement: classes } : {}) };
    }
    const e = parts.encode ? readRunJson<EncodingSummary>(p(`${runLayout.encodeDir(subject)}/summary.json`)) : undefined;
    if (e) row.encode = Object.fromEntries(Object.entries(e.models).map(([n, m]) => [n, { nSignificant: m.nSignificant, meanR: m.meanR, maxR: m.maxR }]));
    out.subjects[subject] = row;
  }
  writeJsonAtomic(join(outDir, runLayout.metrics), out);
  return out;
}

/** Rewrites `RUN/metrics.json` from every result the run folder holds (after a stage command). */
export function refreshRunMetrics(runDir: string, outDir: string): SummaryMetrics {
  return evaluateJob(runDir, subjectsInRun(runDir), { decode: true, retrieve: true, generate: true, encode: true }, outDir);
}
