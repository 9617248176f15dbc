import { join } from 'node:path';
import { buildReport } from '../../report/index.ts';
import { PROJECT_ROOT } from '../packageVersions.ts';
import { runLayout, runPath } from '../runLayout.ts';
import { STAGE_NAMES, type Stage } from '../stage.ts';

/**
 * The report stage: `RUN/report/` from whatever the run folder holds. Its inputs are the outputs
 * of every finished stage and the report's own assets, so it is rebuilt whenever any of them
 * changes.
 */
export const reportStage: Stage = {
  name: 'report',
  title: 'write the HTML report (RUN/report/index.html)',
  needs: [],
  plan(ctx) {
    if (!ctx.config.report) return { skip: 'switched off ("report": false)' };
    const upstream = STAGE_NAMES.filter((n) => n !== 'report' && ctx.previous[n]?.status === 'done');
    const inputs = upstream.flatMap((n) => (ctx.previous[n]?.outputs ?? []).map((o) => runPath(ctx.runDir, o)));
    inputs.push(join(PROJECT_ROOT, 'src', 'report', 'assets'));
    return { inputs, outputs: [runLayout.report], params: { stages: upstream } };
  },
  async run(ctx) {
    const bar = ctx.progress('subjects');
    const s = await buildReport(ctx.runDir, join(ctx.outDir, runLayout.report), bar.update);
    bar.end();
    return { subjects: s.subjects, clips: s.clips, audioFiles: s.audio, brainMaps: s.brainMaps };
  },
};
