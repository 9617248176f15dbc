import { join } from 'node:path';
import { writeJsonAtomic } from '../../io/index.ts';
import { openLibrary } from '../../library/index.ts';
import { fail } from '../../errors.ts';
import { runLayout, withRunLock } from '../../run/index.ts';
import { libraryJob } from '../jobs/library.ts';
import type { Stage, StageSummary } from '../stage.ts';

/**
 * library: the library job (see `jobs/library.ts`) with the decoding target's model, into
 * `RUN/library`; or, with `library.db`, into that shared folder outside the run (under its lock):
 * tracks already there are not embedded again, a library of another model is refused, and the
 * run records which library it used in `RUN/library-source.json`.
 */
export const libraryStage: Stage = {
  name: 'library',
  title: 'embed the music library for retrieval',
  needs: [],
  after: ['simulate'],
  plan({ config, run }) {
    if (!config.library) return { skip: 'switched off ("library": null)' };
    const audio = run.libraryAudio;
    const shared = config.library.db;
    if (!audio && !shared) return { skip: 'no library: set "library": { "audio": FOLDER } in the configuration' };
    if (!shared && 'simulate' in config.dataset && config.dataset.simulate.library === 0 && !config.library.audio) return { skip: 'the simulated library is empty ("library": 0)' };
    if (shared) return { inputs: audio ? [audio] : [], outputs: [runLayout.librarySource], params: { model: run.target, db: shared } };
    return { inputs: [audio!], outputs: [runLayout.library], params: { model: run.target } };
  },
  async run(ctx): Promise<StageSummary> {
    const { run, config } = ctx;
    const shared = config.library!.db;
    if (!shared) {
      const res = await libraryJob({ audio: run.libraryAudio!, model: run.target, db: join(ctx.outDir, runLayout.library) }, ctx.ui);
      return { tracks: res.total, added: res.added, failed: res.failed.length };
    }
    const built = await withRunLock(shared, async () => (run.libraryAudio ? libraryJob({ audio: run.libraryAudio, model: run.target, db: shared }, ctx.ui) : null));
    const lib = await openLibrary(shared);
    try {
      if (!lib.info) fail('NOT_FOUND', `the shared library ${shared} is empty; give "library": { "audio": FOLDER, "db": "${shared}" } to build it.`);
      if (lib.info.model !== run.target.name) {
        fail('MISMATCH', `the shared library ${shared} holds ${lib.info.model} vectors (${lib.info.version}), but this run decodes ${run.target.name}; point "library.db" at a library of ${run.target.name}, or decode ${lib.info.model}.`);
      }
      const tracks = await lib.count();
      writeJsonAtomic(join(ctx.outDir, runLayout.librarySource), { db: shared, info: lib.info, tracks, fragments: await lib.fragments() });
      return { db: shared, tracks, added: built?.added ?? 0, reused: built?.skipped ?? tracks };
    } finally {
      lib.close();
    }
  },
};
