import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, REPORT_ASSETS } from '../../report/index.ts';
import { runLayout, runPath, STAGE_NAMES } from '../../run/index.ts';
import type { Stage } from '../stage.ts';

/**
 * The report stage: `RUN/report/` from whatever the run folder holds. Its inputs are the outputs
 * of every finished stage, the report's own assets and the listening test's answers
 * (RUN/listening/*.jsonl), so it is rebuilt whenever any of them changes.
 */
export const reportStage: Stage = {
  name: 'report',
  title: 'write the HTML report (RUN/report/index.html)',
  needs: [],
  after: ['simulate', 'embed', 'decode', 'library', 'retrieve', 'generate', 'encode', 'evaluate'],
  plan(ctx) {
    if (!ctx.config.report) return { skip: 'switched off ("report": false)' };
    const upstream = STAGE_NAMES.filter((n) => n !== 'report' && ctx.previous[n]?.status === 'done');
    const inputs = upstream.flatMap((n) => (ctx.previous[n]?.outputs ?? []).map((o) => runPath(ctx.runDir, o)));
    inputs.push(REPORT_ASSETS);
    // a listening test's answers are shown too: new answers rebuild the report
    const listening = runPath(ctx.runDir, runLayout.listening);
    if (existsSync(listening)) inputs.push(...readdirSync(listening).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(listening, f)));
    return { inputs, outputs: [runLayout.report], params: { stages: upstream } };
  },
  async run(ctx) {
    const bar = ctx.progress('subjects');
    const s = await buildReport(ctx.runDir, join(ctx.outDir, runLayout.report), bar.update);
    bar.end();
    return { subjects: s.subjects, clips: s.clips, audioFiles: s.audio, brainMaps: s.brainMaps };
  },
};
