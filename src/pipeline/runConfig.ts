import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fail } from '../errors.ts';
import { DECODER_FORMS, parseDecoderChoice } from '../decode/index.ts';
import { ALIGN_DEFAULTS, DECODE_DEFAULTS, EMBED_DEFAULTS, ENCODE_DEFAULTS, GENERATE_DEFAULTS, RIDGE_DEFAULTS } from '../defaults.ts';
import { bool, either, int, list, num, obj, oneOf, optional, str, withDefault, type Field } from './configSchema.ts';

/**
 * The configuration of one pipeline run (`brain2music run CONFIG.json`), after validation and
 * defaults. Paths are absolute (relative ones are resolved against the config file's folder).
 *
 * Example (real data):
 * ```json
 * { "out": "runs/ds003720", "dataset": { "bids": "/data/ds003720", "source": "derivative" },
 *   "stimuli": "/data/gtzan-excerpts", "subjects": ["sub-001"],
 *   "embeddings": [{ "name": "clap", "modelDir": "/models/clap" }], "align": { "lagTr": 3 } }
 * ```
 */
export interface RunConfig {
  /** Run directory that receives every output. */
  out: string;
  /** Master seed; each stage gets its own seed derived from it (recorded in run.json). */
  seed: number;
  dataset: SimulatedDatasetConfig | BidsDatasetConfig;
  /** Folder of stimulus clips `<genre>.<NNNNN>.wav` (default: `<dataset>/stimuli`). */
  stimuli: string | undefined;
  /** Captions of the stimulus clips for text models (`clap-text`): TSV (clip_id, caption) or the paper's CSV (ID, DescEN). */
  captions: string | undefined;
  /** Seconds of silence a stimulus clip (or a track its excerpt runs past) may be padded with; longer shortfalls fail. */
  maxPadSec: number;
  /** Subjects to analyse, or every subject of the dataset. */
  subjects: string[] | 'all';
  /** Embedding models; the first is the decoding target unless `decode.target` names another. */
  embeddings: EmbeddingConfig[];
  align: { lagTr: number; scansPerClip: number };
  /**
   * `voxels`: the decoder ('rois', 'encoding:N', 'encoding-r:T', 'all'; default: ROIs with an atlas, else encoding:3000).
   * `alignment`: a pooled cross-subject decoder beside each subject's own (`{ "method": "ridge", "reference": "sub-001" }`,
   * or 'srm' with `dims`; `excludeTarget`: trained without the subject scored); undefined: none.
   * `trainRuns`: decoded subjects keep only their first K training runs (undefined: all).
   */
  decode: {
    target: string | undefined; topRois: number; folds: number; cvScore: 'inner' | 'nested'; voxels: string | undefined;
    alignment: { method: 'ridge' | 'srm' | 'none'; reference: string | undefined; excludeTarget: boolean; dims: number | undefined } | undefined;
    trainRuns: number | undefined;
  };
  /** Music library to retrieve from (default: `<dataset>/library` when it exists). */
  library: { audio: string | undefined } | undefined;
  /** Generation: the generator, samples kept per clip, candidates re-ranked by the encoding model (0: none), sampling temperature. */
  generate: { name: 'builtin' | 'musicgen'; modelDir: string | undefined; samples: number; rerank: number; guidance: number; temperature: number } | undefined;
  /** Encoding: feature spaces (embedding names or 'genre'), FDR level, CV folds, null distribution. */
  encode: { spaces: string[] | undefined; fdrQ: number; folds: number; null: 'gaussian' | 'block'; nPerm: number } | undefined;
  report: boolean;
}

/** A dataset simulated into `RUN/dataset` by the simulate stage. */
export interface SimulatedDatasetConfig {
  simulate: {
    /** The simulator's preset ('demo': 2 subjects, 100 clips; 'paper': the real dataset's size). */
    preset: 'demo' | 'paper';
    /** Overrides of the preset (undefined: the preset's value). */
    subjects: number | undefined;
    seed: number | undefined;
    genres: string[] | undefined;
    trainPerGenre: number | undefined;
    testPerGenre: number | undefined;
    targetVoxels: number | undefined;
    raw: boolean | undefined;
    /** Library clips to render for retrieval (undefined: the simulator's default; 0: none). */
    library: number | undefined;
    /** Signal-to-noise of the simulated responses (undefined: the simulator's default). */
    snr: { auditory: number; higher: number; informativeFraction: number } | undefined;
  };
}

/** An existing dataset in the ds003720 BIDS layout (raw NIfTI runs, derivative arrays, or fMRIPrep outputs beside its events). */
export interface BidsDatasetConfig {
  bids: string;
  /** 'auto': the derivative arrays when present, else the raw runs; 'fmriprep': fMRIPrep's preprocessed BOLD. */
  source: 'auto' | 'raw' | 'derivative' | 'fmriprep';
  /** fMRIPrep's output folder (default `<bids>/derivatives/fmriprep`). */
  derivatives: string | undefined;
  /** fMRIPrep output space (default T1w), e.g. MNI152NLin2009cAsym (then give `atlas`). */
  space: string | undefined;
  /** Motion regressors removed per run (fMRIPrep; default motion6). */
  confounds: 'motion6' | 'motion12' | 'none' | undefined;
  /** FreeSurfer subjects folder (default `<derivatives>/sourcedata/freesurfer`). */
  freesurfer: string | undefined;
  /** FreeSurfer parcellation: auto (Destrieux, else Desikan), destrieux or desikan. */
  parcellation: 'auto' | 'destrieux' | 'desikan' | undefined;
  /** A label image in the BOLD's space (NIfTI or MGZ), instead of the atlas convention or FreeSurfer's. */
  atlas: string | undefined;
  /** Names of `atlas`'s labels: TSV (index, name) or FreeSurferColorLUT text. */
  atlasNames: string | undefined;
}

export interface EmbeddingConfig {
  /** Registry name: builtin, clap, clap-text, w2vbert, genre. */
  name: string;
  modelDir: string | undefined;
  allowDownload: boolean;
  /** Window length in seconds (default: the model's own, else 10). */
  windowSec: number | undefined;
  /** Window step in seconds (default 1.5, one TR). */
  hopSec: number;
  /** w2v-BERT: the hidden layer averaged (default: the adapter's, 7). */
  layer: number | undefined;
}

/** A decoder choice string, checked by decode's parser ('rois', 'encoding:3000', 'encoding-r:0.05', 'all'). */
function decoderField(): Field<string> {
  const expected = `one of ${DECODER_FORMS}`;
  return {
    expected,
    check(v, p, s) {
      if (typeof v !== 'string') fail('BAD_INPUT', `${s}: '${p}' must be ${expected}, got ${JSON.stringify(v)}.`);
      try {
        parseDecoderChoice(v);
      } catch {
        fail('BAD_INPUT', `${s}: '${p}' must be ${expected}, got ${JSON.stringify(v)}.`);
      }
      return v;
    },
  };
}

/** A finite number in [0, max]. */
function nonNegative(max: number): Field<number> {
  const expected = `a number in [0, ${max}]`;
  return { expected, check: (v, p, s) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max ? v : fail('BAD_INPUT', `${s}: '${p}' must be ${expected}, got ${JSON.stringify(v)}.`)) };
}

/**
 * The value fields a user sets both in a configuration and as CLI flags: one declaration each,
 * so a flag and its configuration key accept the same values (the CLI builds its parsers from
 * these; see `cli/options.ts`).
 */
export const FIELDS = {
  seed: int(0, 2 ** 32 - 1),
  lagTr: int(0, 20),
  scansPerClip: int(1, 100),
  topRois: int(1, 1000),
  folds: int(2, 100),
  cvScore: oneOf(['inner', 'nested'] as const),
  hopSec: num(0, 60),
  windowSec: num(0, 60),
  layer: int(0, 100),
  maxPadSec: nonNegative(10),
  samples: int(1, 50),
  rerank: int(0, 200),
  guidance: int(1, 50),
  temperature: nonNegative(10),
  generator: oneOf(['builtin', 'musicgen'] as const),
  fdrQ: num(0, 1),
  null: oneOf(['gaussian', 'block'] as const),
  nPerm: int(99, 1_000_000),
  preset: oneOf(['demo', 'paper'] as const),
  subjectCount: int(1, 99),
  simulationSeed: int(0, 2 ** 31 - 1),
  trainPerGenre: int(4, 1000),
  testPerGenre: int(1, 100),
  targetVoxels: int(300, 1_000_000),
  libraryClips: int(0, 1_000_000),
  source: oneOf(['auto', 'raw', 'derivative', 'fmriprep'] as const),
  confounds: oneOf(['motion6', 'motion12', 'none'] as const),
  parcellation: oneOf(['auto', 'destrieux', 'desikan'] as const),
  decoder: decoderField(),
  alignMethod: oneOf(['ridge', 'srm', 'none'] as const),
  srmDims: int(1, 10_000),
  trainRuns: int(1, 100),
} as const;

const embeddingField = obj({
  name: str(),
  modelDir: optional(str()),
  allowDownload: withDefault(bool(), false),
  windowSec: optional(FIELDS.windowSec),
  hopSec: withDefault(FIELDS.hopSec, EMBED_DEFAULTS.hopSec),
  layer: optional(FIELDS.layer),
});

const schema = obj({
  out: str(),
  seed: withDefault(FIELDS.seed, 0),
  dataset: either(
    obj({
      simulate: obj({
        preset: withDefault(FIELDS.preset, 'demo'),
        subjects: optional(FIELDS.subjectCount),
        seed: optional(FIELDS.simulationSeed),
        genres: optional(list(str(), 1)),
        trainPerGenre: optional(FIELDS.trainPerGenre),
        testPerGenre: optional(FIELDS.testPerGenre),
        targetVoxels: optional(FIELDS.targetVoxels),
        raw: optional(bool()),
        library: optional(FIELDS.libraryClips),
        snr: optional(obj({ auditory: num(0), higher: num(0), informativeFraction: num(0, 1) })),
      }),
    }),
    'simulate',
    obj({
      bids: str(),
      source: withDefault(FIELDS.source, 'auto'),
      derivatives: optional(str()),
      space: optional(str()),
      confounds: optional(FIELDS.confounds),
      freesurfer: optional(str()),
      parcellation: optional(FIELDS.parcellation),
      atlas: optional(str()),
      atlasNames: optional(str()),
    }),
    'bids',
  ),
  stimuli: optional(str()),
  captions: optional(str()),
  maxPadSec: withDefault(FIELDS.maxPadSec, EMBED_DEFAULTS.maxPadSec),
  subjects: withDefault(subjectsField(), 'all' as const),
  embeddings: withDefault(list(embeddingField, 1), () => [{ name: 'builtin', modelDir: undefined, allowDownload: false, windowSec: undefined, hopSec: EMBED_DEFAULTS.hopSec, layer: undefined }]),
  align: withDefault(
    obj({ lagTr: withDefault(FIELDS.lagTr, ALIGN_DEFAULTS.lagTr), scansPerClip: withDefault(FIELDS.scansPerClip, ALIGN_DEFAULTS.scansPerClip) }),
    () => ({ lagTr: ALIGN_DEFAULTS.lagTr, scansPerClip: ALIGN_DEFAULTS.scansPerClip }),
  ),
  decode: withDefault(
    obj({
      target: optional(str()),
      topRois: withDefault(FIELDS.topRois, DECODE_DEFAULTS.topRois),
      folds: withDefault(FIELDS.folds, RIDGE_DEFAULTS.folds),
      cvScore: withDefault(FIELDS.cvScore, DECODE_DEFAULTS.cvScore),
      voxels: optional(FIELDS.decoder),
      alignment: optional(obj({
        method: withDefault(FIELDS.alignMethod, 'ridge'),
        reference: optional(subjectIdField()),
        excludeTarget: withDefault(bool(), false),
        dims: optional(FIELDS.srmDims),
      })),
      trainRuns: optional(FIELDS.trainRuns),
    }),
    () => ({ target: undefined, topRois: DECODE_DEFAULTS.topRois, folds: RIDGE_DEFAULTS.folds, cvScore: DECODE_DEFAULTS.cvScore, voxels: undefined, alignment: undefined, trainRuns: undefined }),
  ),
  library: withDefault(nullable(obj({ audio: optional(str()) })), () => ({ audio: undefined })),
  generate: withDefault(
    nullable(
      obj({
        name: withDefault(FIELDS.generator, 'builtin'),
        modelDir: optional(str()),
        samples: withDefault(FIELDS.samples, GENERATE_DEFAULTS.samples),
        rerank: withDefault(FIELDS.rerank, GENERATE_DEFAULTS.rerank),
        guidance: withDefault(FIELDS.guidance, GENERATE_DEFAULTS.guidance),
        temperature: withDefault(FIELDS.temperature, GENERATE_DEFAULTS.temperature),
      }),
    ),
    () => ({ name: 'builtin' as const, modelDir: undefined, samples: GENERATE_DEFAULTS.samples, rerank: GENERATE_DEFAULTS.rerank, guidance: GENERATE_DEFAULTS.guidance, temperature: GENERATE_DEFAULTS.temperature }),
  ),
  encode: withDefault(
    nullable(
      obj({
        spaces: optional(list(str(), 1)),
        fdrQ: withDefault(FIELDS.fdrQ, ENCODE_DEFAULTS.fdrQ),
        folds: withDefault(FIELDS.folds, RIDGE_DEFAULTS.folds),
        null: withDefault(FIELDS.null, ENCODE_DEFAULTS.null),
        nPerm: withDefault(FIELDS.nPerm, ENCODE_DEFAULTS.nPerm),
      }),
    ),
    () => ({ spaces: undefined, fdrQ: ENCODE_DEFAULTS.fdrQ, folds: RIDGE_DEFAULTS.folds, null: ENCODE_DEFAULTS.null, nPerm: ENCODE_DEFAULTS.nPerm }),
  ),
  report: withDefault(bool(), true),
});

/** `null` switches a stage off (undefined); an object configures it. */
function nullable<T>(field: Field<T>): Field<T | undefined> {
  return { expected: `${field.expected} or null`, check: (v, p, s) => (v === null ? undefined : field.check(v, p, s)) };
}

/** A BIDS subject id such as "sub-001". */
function subjectIdField(): Field<string> {
  const expected = 'a BIDS subject id like "sub-001"';
  return { expected, check: (v, p, s) => (typeof v === 'string' && /^sub-[A-Za-z0-9]+$/.test(v) ? v : fail('BAD_INPUT', `${s}: '${p}' must be ${expected}, got ${JSON.stringify(v)}.`)) };
}

function subjectsField(): Field<string[] | 'all'> {
  const ids = list(str(), 1);
  return {
    expected: `"all" or a list of subject ids such as ["sub-001"]`,
    check(v, p, s) {
      if (v === 'all') return 'all';
      const out = ids.check(v, p, s);
      for (const [i, id] of out.entries()) {
        if (!/^sub-[A-Za-z0-9]+$/.test(id)) fail('BAD_INPUT', `${s}: '${p}[${i}]' must be a BIDS subject id like "sub-001", got ${JSON.stringify(id)}.`);
      }
      return out;
    },
  };
}

/**
 * Validates a parsed JSON configuration and fills in defaults.
 * @param value the parsed JSON
 * @param source name used in error messages (the config file path)
 * @param baseDir folder that relative paths are resolved against
 * @throws Brain2MusicError BAD_INPUT naming the key, what is expected and what was found
 */
export function parseRunConfig(value: unknown, source: string, baseDir: string): RunConfig {
  const c = schema.check(value, '', source);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const absOpt = (p: string | undefined) => (p === undefined ? undefined : abs(p));
  const names = c.embeddings.map((e) => e.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) fail('BAD_INPUT', `${source}: embedding '${dup}' is listed twice in 'embeddings'; list each model once.`);
  if (c.decode.target !== undefined && !names.includes(c.decode.target)) {
    fail('BAD_INPUT', `${source}: 'decode.target' is '${c.decode.target}' but 'embeddings' lists only ${names.join(', ')}; add it there or pick one of those.`);
  }
  const dataset: SimulatedDatasetConfig | BidsDatasetConfig = 'bids' in c.dataset
    ? { ...c.dataset, bids: abs(c.dataset.bids), derivatives: absOpt(c.dataset.derivatives), freesurfer: absOpt(c.dataset.freesurfer), atlas: absOpt(c.dataset.atlas), atlasNames: absOpt(c.dataset.atlasNames) }
    : c.dataset;
  return {
    ...c,
    out: abs(c.out),
    dataset,
    stimuli: absOpt(c.stimuli),
    captions: absOpt(c.captions),
    embeddings: c.embeddings.map((e) => ({ ...e, modelDir: absOpt(e.modelDir) })),
    library: c.library && { audio: absOpt(c.library.audio) },
    generate: c.generate && { ...c.generate, modelDir: absOpt(c.generate.modelDir) },
  };
}

/**
 * Reads and validates a JSON configuration file.
 * @throws NOT_FOUND when the file is missing, BAD_FILE when it is not JSON, BAD_INPUT when invalid
 */
export function loadRunConfig(path: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    fail('NOT_FOUND', `configuration file ${path} does not exist or cannot be read; pass the path of a JSON file (see docs/configuration.md).`);
  }
  if (/\.ya?ml$/i.test(path)) {
    fail('UNSUPPORTED', `${path}: YAML configurations are not supported by this version; write the same keys as JSON (CONFIG.json).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail('BAD_FILE', `${path} is not valid JSON (${(err as Error).message}); fix the syntax.`);
  }
  return parseRunConfig(value, path, dirname(resolve(path)));
}

/** The dataset folder: the BIDS root, or `RUN/dataset` for a simulated dataset. */
export function datasetRoot(config: RunConfig): string {
  return 'bids' in config.dataset ? config.dataset.bids : resolve(config.out, 'dataset');
}

/** The stimulus audio folder: `stimuli` if given, else `<dataset>/stimuli`. */
export function stimuliDir(config: RunConfig): string {
  return config.stimuli ?? resolve(datasetRoot(config), 'stimuli');
}
