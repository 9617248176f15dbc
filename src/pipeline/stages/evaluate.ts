import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../../bids/index.ts';
import type { EncodingSummary } from '../../encode/index.ts';
import type { GenerationEvaluation } from '../../generate/index.ts';
import { writeJsonAtomic } from '../../io/index.ts';
import { runLayout, runPath, type DecodeMetrics, type RetrievalResult, type SummaryMetrics } from '../runLayout.ts';
import { datasetRoot } from '../runConfig.ts';
import type { Stage, StageName } from '../stage.ts';
import { runSubjects } from './decode.ts';

const readJson = <T>(p: string): T | undefined => (existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T) : undefined);

/** The per-subject files evaluate gathers, from the stages that finished. */
function sources(runDir: string, subject: string, done: (s: StageName) => boolean): string[] {
  const p = (rel: string) => runPath(runDir, rel);
  return [
    ...(done('decode') ? [p(`${runLayout.decodeDir(subject)}/metrics.json`)] : []),
    ...(done('retrieve') ? [p(runLayout.retrievalFile(subject))] : []),
    ...(done('generate') ? [p(`${runLayout.generated}/${subject}/metrics.json`)] : []),
    ...(done('encode') ? [p(`${runLayout.encodeDir(subject)}/summary.json`)] : []),
  ];
}

/**
 * evaluate: `RUN/metrics.json`, the summary table: per subject the decoding headline
 * (identification test/train and N-way top-1 with chance), retrieval and generation agreement
 * with oracle and chance, and significant voxels per encoding space. It gathers what the stages
 * computed; every number keeps its chance level.
 */
export const evaluateStage: Stage = {
  name: 'evaluate',
  title: 'gather every metric with its chance level into RUN/metrics.json',
  needs: ['decode'],
  async plan(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const done = (s: StageName) => ctx.previous[s]?.status === 'done';
    return {
      inputs: runSubjects(ctx.config, ds).flatMap((s) => sources(ctx.runDir, s, done)),
      outputs: [runLayout.metrics],
      params: { stages: (['decode', 'retrieve', 'generate', 'encode'] as const).filter(done) },
    };
  },
  async run(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const done = (s: StageName) => ctx.previous[s]?.status === 'done';
    const out: SummaryMetrics = { subjects: {} };
    for (const subject of runSubjects(ctx.config, ds)) {
      const p = (rel: string) => runPath(ctx.runDir, rel);
      const row: SummaryMetrics['subjects'][string] = {};
      const d = readJson<DecodeMetrics>(p(`${runLayout.decodeDir(subject)}/metrics.json`));
      if (d) {
        const { target, unit, lagTr, identificationTest, identificationTrain, nWayTop1, meanR, perGenre } = d;
        row.decode = { subject, target, unit, lagTr, identificationTest, identificationTrain, nWayTop1, meanR, perGenre };
      }
      const r = done('retrieve') ? readJson<RetrievalResult>(p(runLayout.retrievalFile(subject))) : undefined;
      if (r) row.retrieval = { genreAgreement: r.genreAgreement, identification: r.identification };
      const g = done('generate') ? readJson<GenerationEvaluation>(p(`${runLayout.generated}/${subject}/metrics.json`)) : undefined;
      if (g) row.generation = { genreAgreement: g.genreAgreement, identification: g.identification };
      const e = done('encode') ? readJson<EncodingSummary>(p(`${runLayout.encodeDir(subject)}/summary.json`)) : undefined;
      if (e) row.encode = Object.fromEntries(Object.entries(e.models).map(([n, m]) => [n, { nSignificant: m.nSignificant, meanR: m.meanR, maxR: m.maxR }]));
      out.subjects[subject] = row;
    }
    writeJsonAtomic(join(ctx.outDir, runLayout.metrics), out);
    return { subjects: Object.keys(out.subjects) };
  },
};
