import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { genreOfClipId, openDataset, type Dataset, type LoadResponsesOptions } from '../bids/index.ts';
import { DATASET_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { datasetRoot, stimuliDir, type BidsDatasetConfig, type EmbeddingConfig, type RunConfig } from './runConfig.ts';

/**
 * A run configuration resolved once for the whole pipeline: where the dataset, stimuli and
 * library are, which subjects and models the stages use. The dataset itself is opened on first
 * use (a simulated one exists only after the simulate stage) and then kept.
 */
export interface ResolvedRun {
  config: RunConfig;
  runDir: string;
  /** The dataset folder: the BIDS root, or `RUN/dataset` for a simulated dataset. */
  datasetRoot: string;
  /** The stimulus audio folder: `stimuli`, else `<dataset>/stimuli`. */
  stimuliDir: string;
  /** The library's audio folder, or undefined when the run has no library. */
  libraryAudio: string | undefined;
  /** The library folder (LanceDB): a shared one outside the run (`library.db`), or RUN/library. */
  libraryDb: string;
  /** The embedding model decoded (and used for the library and generation). */
  target: EmbeddingConfig;
  /** Encoding feature spaces (embedding names and 'genre'); empty when encoding is off. */
  encodeSpaces: string[];
  /** How subjects' responses are read. */
  load: LoadResponsesOptions;
  /** Everything the responses are read from (checksummed by the stages that read them). */
  responseInputs: string[];
  /** The dataset, opened once. */
  dataset(): Dataset;
  /** The subjects the run analyses (each checked against the dataset). */
  subjects(): string[];
  /** Genre of a stimulus clip by id (from the events; else the GTZAN id's prefix). */
  genreOf(clipId: string): string;
}

/** The library's audio folder: `library.audio`, else the simulated dataset's library, else none. */
function libraryAudio(config: RunConfig): string | undefined {
  if (!config.library) return undefined;
  if (config.library.audio) return config.library.audio;
  const simulated = resolve(datasetRoot(config), 'library', 'audio');
  return existsSync(simulated) || 'simulate' in config.dataset ? simulated : undefined;
}

/** The encoding feature spaces: `encode.spaces`, else every embedding model plus the genre control. */
function encodeSpaces(config: RunConfig): string[] {
  if (!config.encode) return [];
  const names = config.encode.spaces ?? [...config.embeddings.map((e) => e.name).filter((n) => n !== 'genre'), 'genre'];
  for (const n of names) {
    if (n !== 'genre' && !config.embeddings.some((e) => e.name === n)) {
      fail('BAD_INPUT', `encode.spaces names '${n}', which is not in "embeddings" (${config.embeddings.map((e) => e.name).join(', ')}) and is not 'genre'; add it to "embeddings" or remove it.`);
    }
  }
  return names;
}

/** The `dataset` keys of a configuration other than `bids`, as a command's flags give them (any may be absent). */
export type DatasetReadFlags = Partial<Omit<BidsDatasetConfig, 'bids'>>;

/** How a BIDS dataset's responses are read: the configuration's `dataset` keys (or a command's flags) as `loadResponses` options. */
export function datasetLoadOptions(flags: DatasetReadFlags): LoadResponsesOptions {
  const d = { ...flags, source: flags.source ?? DATASET_DEFAULTS.source };
  const fmriprep = { dir: d.derivatives, space: d.space, confounds: d.confounds, freesurfer: d.freesurfer, parcellation: d.parcellation };
  return {
    source: d.source,
    ...(d.source === 'fmriprep' ? { fmriprep } : {}),
    ...(d.atlas ? { atlasFile: d.atlas } : {}),
    ...(d.atlasNames ? { atlasNames: d.atlasNames } : {}),
  };
}

/** A path with `{subject}` in it stands for one file per subject: the folder above the first placeholder holds them all. */
function beforePlaceholder(p: string): string {
  const i = p.indexOf('{subject}');
  return i < 0 ? p : dirname(p.slice(0, i + 1));
}

/** Resolves a validated configuration for the pipeline's stages (see {@link ResolvedRun}). */
export function resolveRun(config: RunConfig): ResolvedRun {
  const root = datasetRoot(config);
  const targetName = config.decode.target ?? config.embeddings[0]!.name;
  const target = config.embeddings.find((e) => e.name === targetName)!;
  let dataset: Dataset | undefined;
  let genres: Map<string, string> | undefined;
  const run: ResolvedRun = {
    config,
    runDir: config.out,
    datasetRoot: root,
    stimuliDir: stimuliDir(config),
    libraryAudio: libraryAudio(config),
    libraryDb: config.library?.db ?? resolve(config.out, 'library'),
    target,
    encodeSpaces: encodeSpaces(config),
    load: 'bids' in config.dataset ? datasetLoadOptions(config.dataset) : {},
    responseInputs: [root, ...('bids' in config.dataset ? [config.dataset.derivatives, config.dataset.freesurfer, config.dataset.atlas, config.dataset.atlasNames].filter((p): p is string => p !== undefined).map(beforePlaceholder).filter((p) => !p.startsWith(root + '/')) : [])],
    dataset() {
      dataset ??= openDataset(root);
      return dataset;
    },
    subjects() {
      const ds = run.dataset();
      if (config.subjects === 'all') return ds.subjects;
      for (const s of config.subjects) {
        if (!ds.subjects.includes(s)) fail('NOT_FOUND', `subject ${s} is not in ${ds.root} (subjects: ${ds.subjects.join(', ')}); fix "subjects" in the configuration.`);
      }
      return config.subjects;
    },
    genreOf(clipId) {
      genres ??= new Map(run.dataset().clips.map((c) => [c.id, c.genre]));
      return genres.get(clipId) ?? genreOfClipId(clipId);
    },
  };
  return run;
}
