import { join } from 'node:path';
import { RETRIEVE_DEFAULTS } from '../../defaults.ts';
import { writeJsonAtomic } from '../../io/index.ts';
import { openLibrary, type BuildLibraryResult } from '../../library/index.ts';
import { fail } from '../../errors.ts';
import { runLayout, runPath, withRunLock } from '../../run/index.ts';
import { libraryJob, libraryMergeJob, libraryShardJob } from '../jobs/library.ts';
import type { Stage, StageRunContext, StageSummary } from '../stage.ts';

/**
 * library: the library job (see `jobs/library.ts`) with the decoding target's model, into
 * `RUN/library`; or, with `library.db`, into that shared folder outside the run (under its lock):
 * tracks already there are not embedded again, a library of another model is refused, and the
 * run records which library it used in `RUN/library-source.json`. With `shards.library` n > 1,
 * shard k embeds the k-th of n slices of the tracks into `RUN/shards/library/`, and unit
 * `library` stores them all in one library, in track order, and optimizes it.
 */
export const libraryStage: Stage = {
  name: 'library',
  title: 'embed the music library for retrieval',
  needs: [],
  after: ['simulate'],
  // shards only when there is audio to embed (a shared library alone is only checked)
  shards: ({ config, run }) => (run.libraryAudio ? config.shards.library : 1),
  plan({ config, run, runDir, scope }) {
    if (!config.library) return { skip: 'switched off ("library": null)' };
    const audio = run.libraryAudio;
    const shared = config.library.db;
    if (!audio && !shared) return { skip: 'no library: set "library": { "audio": FOLDER } in the configuration' };
    if (!shared && 'simulate' in config.dataset && config.dataset.simulate.library === 0 && !config.library.audio) return { skip: 'the simulated library is empty ("library": 0)' };
    const params = { model: run.target, ...(shared ? { db: shared } : {}), ...(config.library.ann !== RETRIEVE_DEFAULTS.ann ? { ann: config.library.ann } : {}) };
    if (scope?.shard) {
      const f = runLayout.libraryShard(scope.shard.index, scope.shard.count);
      return { inputs: [audio!], outputs: [f.npy, f.json], params: { ...params, shard: scope.shard } };
    }
    const output = shared ? runLayout.librarySource : runLayout.library;
    if (scope?.merge) {
      const files = Array.from({ length: scope.merge.count }, (_, k) => runLayout.libraryShard(k + 1, scope.merge!.count));
      return { inputs: files.flatMap((f) => [runPath(runDir, f.npy), runPath(runDir, f.json)]), outputs: [output], params: { ...params, shards: scope.merge.count } };
    }
    return { inputs: audio ? [audio] : [], outputs: [output], params };
  },
  async run(ctx): Promise<StageSummary> {
    const { run, config, scope } = ctx;
    const shared = config.library!.db;
    if (scope?.shard) {
      const res = await libraryShardJob({ audio: run.libraryAudio!, model: run.target, db: shared, shard: scope.shard, out: join(ctx.outDir, runLayout.libraryShard(scope.shard.index, scope.shard.count).npy) }, ctx.ui);
      return { [`${scope.shard.index}-of-${scope.shard.count}`]: `${res.added} tracks embedded, ${res.skipped} already in the library, ${res.failed.length} unreadable` };
    }
    const build = (db: string): Promise<BuildLibraryResult | null> => {
      const ann = config.library!.ann;
      if (scope?.merge) return libraryMergeJob({ db, ann, shards: Array.from({ length: scope.merge.count }, (_, k) => runPath(ctx.runDir, runLayout.libraryShard(k + 1, scope.merge!.count).npy)) }, ctx.ui);
      return run.libraryAudio ? libraryJob({ audio: run.libraryAudio, model: run.target, db, ann }, ctx.ui) : Promise.resolve(null);
    };
    if (!shared) {
      const res = (await build(join(ctx.outDir, runLayout.library)))!;
      return { tracks: res.total, added: res.added, failed: res.failed.length };
    }
    return useSharedLibrary(ctx, shared, await withRunLock(shared, () => build(shared)));
  },
};

/** Checks the shared library holds the run's model and records it in `RUN/library-source.json`. */
async function useSharedLibrary(ctx: StageRunContext, shared: string, built: BuildLibraryResult | null): Promise<StageSummary> {
  const target = ctx.run.target;
  const lib = await openLibrary(shared);
  try {
    if (!lib.info) fail('NOT_FOUND', `the shared library ${shared} is empty; give "library": { "audio": FOLDER, "db": "${shared}" } to build it.`);
    if (lib.info.model !== target.name) {
      fail('MISMATCH', `the shared library ${shared} holds ${lib.info.model} vectors (${lib.info.version}), but this run decodes ${target.name}; point "library.db" at a library of ${target.name}, or decode ${lib.info.model}.`);
    }
    const tracks = await lib.count();
    writeJsonAtomic(join(ctx.outDir, runLayout.librarySource), { db: shared, info: lib.info, tracks, fragments: await lib.fragments() });
    return { db: shared, tracks, added: built?.added ?? 0, reused: built?.skipped ?? tracks };
  } finally {
    lib.close();
  }
}
