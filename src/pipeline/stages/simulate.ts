import { join } from 'node:path';
import { runLayout } from '../../run/index.ts';
import { simulateJob, simulationConfig } from '../jobs/simulate.ts';
import type { Stage } from '../stage.ts';

/**
 * simulate: the simulate job (see `jobs/simulate.ts`) into `RUN/dataset`. Skipped when the
 * configuration names a real dataset.
 */
export const simulateStage: Stage = {
  name: 'simulate',
  title: 'simulate the dataset: render the music, model the brain responses',
  needs: [],
  plan({ config }) {
    if (!('simulate' in config.dataset)) return { skip: 'the configuration names a dataset (dataset.bids)' };
    return { inputs: [], outputs: [runLayout.dataset], params: simulationConfig(config.dataset.simulate) };
  },
  async run(ctx) {
    const spec = (ctx.config.dataset as { simulate: Parameters<typeof simulationConfig>[0] }).simulate;
    const s = await simulateJob(spec, join(ctx.outDir, runLayout.dataset), ctx.ui);
    return {
      subjects: s.dataset.subjects.map((x) => x.id),
      voxels: s.dataset.subjects.map((x) => x.voxels),
      clips: s.dataset.clips,
      runs: s.dataset.runs,
      libraryClips: s.library?.clips ?? 0,
      renderSeconds: Number(s.dataset.seconds.render.toFixed(1)),
      brainSeconds: Number(s.dataset.seconds.brain.toFixed(1)),
    };
  },
};
