import { join } from 'node:path';
import { runLayout } from '../../run/index.ts';
import { libraryJob } from '../jobs/library.ts';
import type { Stage } from '../stage.ts';

/** library: the library job (see `jobs/library.ts`) with the decoding target's model, into `RUN/library`. */
export const libraryStage: Stage = {
  name: 'library',
  title: 'embed the music library for retrieval',
  needs: [],
  plan({ config, run }) {
    if (!config.library) return { skip: 'switched off ("library": null)' };
    const audio = run.libraryAudio;
    if (!audio) return { skip: 'no library: set "library": { "audio": FOLDER } in the configuration' };
    if ('simulate' in config.dataset && config.dataset.simulate.library === 0 && !config.library.audio) return { skip: 'the simulated library is empty ("library": 0)' };
    return { inputs: [audio], outputs: [runLayout.library], params: { model: run.target } };
  },
  async run(ctx) {
    const res = await libraryJob({ audio: ctx.run.libraryAudio!, model: ctx.run.target, db: join(ctx.outDir, runLayout.library) }, ctx.ui);
    return { tracks: res.total, added: res.added, failed: res.failed.length };
  },
};
