import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fail } from '../errors.ts';
import { DECODER_FORMS, EACH_SUBJECT_REFERENCE, parseDecoderChoice } from '../decode/index.ts';
import { GENERATOR_NAMES } from '../generate/index.ts';
import type { AnnChoice } from '../library/index.ts';
import { ALIGN_DEFAULTS, DECODE_DEFAULTS, EMBED_DEFAULTS, ENCODE_DEFAULTS, GENERATE_DEFAULTS, RETRIEVE_DEFAULTS, RIDGE_DEFAULTS } from '../defaults.ts';
import { bool, doc, either, int, list, num, obj, oneOf, optional, str, withDefault, withDefaults, type Field } from './configSchema.ts';
import { STAGE_NAMES } from '../run/index.ts';

/** The schema of a run configuration (docs/configuration.md is generated from it). */
export const RUN_CONFIG_SCHEMA = (): Field<unknown> => schema as Field<unknown>;

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
  /** Music library to retrieve from: its audio (default: the simulated library), and a shared library folder outside the run (default: RUN/library). */
  library: { audio: string | undefined; db: string | undefined; ann: AnnChoice } | undefined;
  /** Retrieval: tracks per clip, hubness reduction of the scores. */
  retrieve: { k: number; hubness: 'none' | 'center' | 'csls'; search: 'auto' | 'exact' | 'ann' };
  /** Generation: the generator, samples kept per clip, candidates re-ranked by the encoding model (0: none), sampling temperature. */
  generate: { name: 'builtin' | 'musicgen'; modelDir: string | undefined; samples: number; rerank: number; guidance: number; temperature: number; guide: { bank: string; model: 'clap-text' | 'muq-text'; modelDir: string; map: 'auto' | 'identity' | 'linear'; top: number } | undefined; tagger: string | undefined } | undefined;
  /** Encoding: feature spaces (embedding names or 'genre'), FDR level, CV folds, null distribution. */
  encode: { spaces: string[] | undefined; fdrQ: number; folds: number; null: 'gaussian' | 'block'; nPerm: number; pTail: 'gpd' | 'none' } | undefined;
  report: boolean;
  /**
   * Work units split into shards (1: not split): `embed` the clips of each model, `library` the
   * tracks, `encode` each subject's voxels; each split is n shard units and a merge (units.ts).
   */
  shards: { embed: number; library: number; encode: number };
  /**
   * Resources of the Slurm jobs (`run --executor slurm`): every unit gets the top-level ones, a
   * stage's entry in `stages` overrides them for its units; undefined: the cluster's defaults.
   */
  slurm: SlurmSettings | undefined;
}

/** What `sbatch` is asked for: a unit's resources and where it runs. */
export interface SlurmResources {
  partition: string | undefined;
  account: string | undefined;
  /** CPUs per unit (`--cpus-per-task`; the unit's `--threads`). */
  cpus: number | undefined;
  /** Memory per unit (`--mem`, e.g. "8G"). */
  mem: string | undefined;
  /** Time limit per unit (`--time`, e.g. "01:00:00"). */
  time: string | undefined;
  /** Further `sbatch` arguments, as given (e.g. ["--qos=short"]). */
  extraArgs: string[];
}

export type SlurmSettings = SlurmResources & { stages: Partial<Record<(typeof STAGE_NAMES)[number], Partial<SlurmResources>>> };

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
  /** A label image in the BOLD's space (NIfTI or MGZ), instead of the atlas convention or FreeSurfer's; `{subject}` in the path names each subject's own. */
  atlas: string | undefined;
  /** Names of `atlas`'s labels: TSV (index, name) or FreeSurferColorLUT text. */
  atlasNames: string | undefined;
}

export interface EmbeddingConfig {
  /** Registry name: builtin, clap, clap-text, muq, muq-text, codec, w2vbert, genre. */
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
  generator: oneOf(GENERATOR_NAMES),
  fdrQ: num(0, 1),
  null: oneOf(['gaussian', 'block'] as const),
  nPerm: int(99, 1_000_000),
  pTail: oneOf(['gpd', 'none'] as const),
  preset: oneOf(['demo', 'paper'] as const),
  subjectCount: int(1, 99),
  simulationSeed: int(0, 2 ** 31 - 1),
  trainPerGenre: int(4, 1000),
  testPerGenre: int(1, 100),
  targetVoxels: int(300, 1_000_000),
  libraryClips: int(0, 1_000_000),
  shards: int(1, 100_000),
  source: oneOf(['auto', 'raw', 'derivative', 'fmriprep'] as const),
  confounds: oneOf(['motion6', 'motion12', 'none'] as const),
  parcellation: oneOf(['auto', 'destrieux', 'desikan'] as const),
  decoder: decoderField(),
  topK: int(1, 1000),
  hubness: oneOf(['none', 'center', 'csls'] as const),
  search: oneOf(['auto', 'exact', 'ann'] as const),
  ann: annField(),
  alignMethod: oneOf(['ridge', 'srm', 'none'] as const),
  subjectId: subjectIdField(),
  alignReference: alignReferenceField(),
  srmDims: int(1, 10_000),
  trainRuns: int(1, 100),
} as const;

const embeddingField = obj({
  name: doc(str(), 'registry name of the model: builtin, clap, clap-text, muq, muq-text, codec, w2vbert, genre'),
  modelDir: doc(optional(str()), 'local model folder (a Hugging Face download) for clap, clap-text, muq, muq-text, codec and w2vbert'),
  allowDownload: doc(withDefault(bool(), false), 'let transformers.js fetch modelDir as a hub id when it is not a local folder'),
  windowSec: doc(optional(FIELDS.windowSec), "window length in seconds (default: the model's own: 10; w2vbert 5; clap-text 15)"),
  hopSec: doc(withDefault(FIELDS.hopSec, EMBED_DEFAULTS.hopSec), 'window step in seconds (one TR)'),
  layer: doc(optional(FIELDS.layer), 'w2vbert: the hidden layer averaged (default 7)'),
});

const schema = obj({
  out: doc(str(), 'the run folder that receives every output (relative paths: to the configuration file)'),
  seed: doc(withDefault(FIELDS.seed, 0), 'master seed; each stage gets its own seed derived from it (recorded in run.json)'),
  dataset: doc(either(
    obj({
      simulate: doc(obj({
        preset: doc(withDefault(FIELDS.preset, 'demo'), "demo (2 subjects, 100 clips, ~10k voxels) or paper (ds003720's size)"),
        subjects: doc(optional(FIELDS.subjectCount), "number of subjects (default: the preset's)"),
        seed: doc(optional(FIELDS.simulationSeed), "the simulator's seed (default: the preset's)"),
        genres: doc(optional(list(str(), 1)), "genres to simulate (default: the preset's 10)"),
        trainPerGenre: doc(optional(FIELDS.trainPerGenre), 'training clips per genre'),
        testPerGenre: doc(optional(FIELDS.testPerGenre), 'test clips per genre'),
        targetVoxels: doc(optional(FIELDS.targetVoxels), 'approximate cortical voxels per subject'),
        raw: doc(optional(bool()), 'also write raw BOLD runs'),
        library: doc(optional(FIELDS.libraryClips), 'library clips rendered for retrieval (0: none)'),
        snr: doc(optional(obj({ auditory: num(0), higher: num(0), informativeFraction: num(0, 1) })), 'signal-to-noise of the simulated responses'),
      }), 'a dataset simulated into RUN/dataset (see docs/simulation.md)'),
    }),
    'simulate',
    obj({
      bids: doc(str(), 'the dataset root (ds003720 layout: sub-XXX/func/*_events.tsv, …)'),
      source: doc(withDefault(FIELDS.source, 'auto'), "responses read: 'auto' (the derivative arrays when present, else the raw runs), 'raw', 'derivative' or 'fmriprep'"),
      derivatives: doc(optional(str()), "fMRIPrep's output folder (default: <bids>/derivatives/fmriprep)"),
      space: doc(optional(str()), 'fMRIPrep output space (default T1w), e.g. MNI152NLin2009cAsym (then give atlas)'),
      confounds: doc(optional(FIELDS.confounds), 'motion regressors removed per run (fMRIPrep; default motion6)'),
      freesurfer: doc(optional(str()), 'FreeSurfer subjects folder (default: <derivatives>/sourcedata/freesurfer)'),
      parcellation: doc(optional(FIELDS.parcellation), 'FreeSurfer parcellation: auto (Destrieux, else Desikan), destrieux or desikan'),
      atlas: doc(optional(str()), "a label image in the BOLD's space (NIfTI or MGZ) instead of the atlas convention or FreeSurfer's; {subject} names each subject's own"),
      atlasNames: doc(optional(str()), "names of atlas's labels: TSV (index, name) or FreeSurferColorLUT text"),
    }),
    'bids',
  ), "the dataset: { \"bids\": DIR, … } for an existing one, or { \"simulate\": { … } }"),
  stimuli: doc(optional(str()), 'the stimulus audio folder: GTZAN (genres/<genre>/<id>.au), or the clips as <id>.wav (default: <dataset>/stimuli)'),
  captions: doc(optional(str()), "captions of the stimuli for clap-text and muq-text: TSV (clip_id, caption) or the paper's CSV (ID, DescEN)"),
  maxPadSec: doc(withDefault(FIELDS.maxPadSec, EMBED_DEFAULTS.maxPadSec), 'seconds of silence a short clip (or a track its excerpt runs past) may be padded with; longer shortfalls fail'),
  subjects: doc(withDefault(subjectsField(), 'all' as const), 'the subjects analysed'),
  embeddings: doc(withDefault(list(embeddingField, 1), () => [{ name: 'builtin', modelDir: undefined, allowDownload: false, windowSec: undefined, hopSec: EMBED_DEFAULTS.hopSec, layer: undefined }]), 'the embedding models; the first is decoded unless decode.target names another'),
  align: doc(withDefault(
    obj({
      lagTr: doc(withDefault(FIELDS.lagTr, ALIGN_DEFAULTS.lagTr), 'hemodynamic lag in TRs (0: the paper\'s literal alignment)'),
      scansPerClip: doc(withDefault(FIELDS.scansPerClip, ALIGN_DEFAULTS.scansPerClip), 'scans per stimulus clip'),
    }),
    () => ({ lagTr: ALIGN_DEFAULTS.lagTr, scansPerClip: ALIGN_DEFAULTS.scansPerClip }),
  ), 'how scans are aligned with embedding windows (docs/method.md §1.3)'),
  decode: doc(withDefault(
    obj({
      target: doc(optional(str()), 'the embedding decoded (default: the first of embeddings)'),
      topRois: doc(withDefault(FIELDS.topRois, DECODE_DEFAULTS.topRois), 'ROIs kept in the ensemble'),
      folds: doc(withDefault(FIELDS.folds, RIDGE_DEFAULTS.folds), 'cross-validation folds, grouped by clip'),
      cvScore: doc(withDefault(FIELDS.cvScore, DECODE_DEFAULTS.cvScore), "ROI ranking score: 'inner' (the alpha search's CV r) or 'nested' (out-of-fold predictions)"),
      voxels: doc(optional(FIELDS.decoder), "the decoder: rois, encoding:N, encoding-r:T or all (default: rois with an atlas, else encoding:3000)"),
      alignment: doc(optional(obj({
        method: doc(FIELDS.alignMethod, "'ridge' (each subject mapped onto reference by ridge on the training clips), 'srm' (a shared response model) or 'none'"),
        reference: doc(optional(FIELDS.alignReference), `ridge: the subject whose voxels are the common space, or '${EACH_SUBJECT_REFERENCE}': every decoded subject its own (default: the dataset's first)`),
        excludeTarget: doc(withDefault(bool(), false), "train each subject's pooled decoder on the other subjects only (the new-subject case)"),
        dims: doc(optional(FIELDS.srmDims), `srm: shared dimensions per region (default ${ALIGN_DEFAULTS.srmDims})`),
      })), "also one decoder pooled over every subject of the dataset, scored on each subject's own test clips beside its own decoder (docs/alignment.md); absent: none"),
      trainRuns: doc(optional(FIELDS.trainRuns), 'decoded subjects keep only their first K training runs; the other subjects keep all theirs (default: all)'),
    }),
    () => ({ target: undefined, topRois: DECODE_DEFAULTS.topRois, folds: RIDGE_DEFAULTS.folds, cvScore: DECODE_DEFAULTS.cvScore, voxels: undefined, alignment: undefined, trainRuns: undefined }),
  ), 'decoding fMRI → embedding (docs/method.md §1.4)'),
  library: doc(withDefault(nullable(obj({
    audio: doc(optional(str()), 'a folder of music (searched recursively; default: the simulated library)'),
    db: doc(optional(str()), 'a library folder shared between run folders (built once, tracks already there are not embedded again; a library of another model is refused); default: RUN/library'),
    ann: doc(withDefault(FIELDS.ann, RETRIEVE_DEFAULTS.ann), `LanceDB's IVF_PQ index, built once the library is: true, false, or 'auto' (from ${RETRIEVE_DEFAULTS.annMinTracks.toLocaleString('en-US')} tracks; at least 256)`),
  })), () => ({ audio: undefined, db: undefined, ann: RETRIEVE_DEFAULTS.ann })), 'the music library retrieved from; null switches library, retrieval and generation off'),
  retrieve: doc(withDefault(
    obj({
      k: doc(withDefault(FIELDS.topK, RETRIEVE_DEFAULTS.k), 'library tracks kept per test clip'),
      hubness: doc(withDefault(FIELDS.hubness, RETRIEVE_DEFAULTS.hubness), "scores: 'none' (cosine, as the paper), 'center' (the library's mean direction removed) or 'csls' (local scaling); hubs are tracks near every query"),
      search: doc(withDefault(FIELDS.search, RETRIEVE_DEFAULTS.search), "'auto': the library's ANN index when it has one, else 'exact' (every track scored, read block by block); 'ann' needs the index and plain cosine"),
    }),
    () => ({ k: RETRIEVE_DEFAULTS.k, hubness: RETRIEVE_DEFAULTS.hubness, search: RETRIEVE_DEFAULTS.search }),
  ), 'retrieval from the music library (docs/retrieval.md)'),
  generate: doc(withDefault(
    nullable(
      obj({
        name: doc(withDefault(FIELDS.generator, 'builtin'), "'builtin' (learns from a library with generating parameters) or 'musicgen'"),
        modelDir: doc(optional(str()), 'MusicGen model folder (e.g. a download of Xenova/musicgen-small)'),
        samples: doc(withDefault(FIELDS.samples, GENERATE_DEFAULTS.samples), 'samples kept per test clip'),
        rerank: doc(withDefault(FIELDS.rerank, GENERATE_DEFAULTS.rerank), "candidates re-ranked by the subject's encoding model (0: none)"),
        guidance: doc(withDefault(FIELDS.guidance, GENERATE_DEFAULTS.guidance), 'draws per sample, the closest to the decoded embedding kept (1: none)'),
        temperature: doc(withDefault(FIELDS.temperature, GENERATE_DEFAULTS.temperature), 'sampling temperature (0: the most likely music)'),
        guide: doc(optional(obj({
          bank: doc(str(), "captions the prompts are chosen from: TSV (clip_id, caption) or the paper's CSV (ID, DescEN); never the test clips' (refused)"),
          model: doc(oneOf(['clap-text', 'muq-text'] as const), 'the text tower the bank is embedded with'),
          modelDir: doc(str(), "the text tower's model folder"),
          map: doc(withDefault(oneOf(['auto', 'identity', 'linear'] as const), GENERATE_DEFAULTS.guideMap), "'identity' (the decoded embedding is the text tower's own music space: clap with clap-text, muq with muq-text), 'linear' (ridge from the decoded embedding's space, fitted on the training clips and the run's captions), 'auto' (identity when it is)"),
          top: doc(withDefault(int(1, 10), GENERATE_DEFAULTS.guideTop), 'captions joined into one prompt, best first'),
        })), 'retrieval-guided generation: the caption bank prompt nearest the decoded embedding conditions MusicGen (instead of the attribute prompt), and is scored by whether it names the clip\'s genre'),
        tagger: doc(optional(str()), 'AudioSet tagger folder (a download of Xenova/ast-finetuned-audioset-10-10-0.4593): class agreement of the generated music, top-2 genres, top-2 instruments, top-1 mood'),
      }),
    ),
    () => ({ name: 'builtin' as const, modelDir: undefined, samples: GENERATE_DEFAULTS.samples, rerank: GENERATE_DEFAULTS.rerank, guidance: GENERATE_DEFAULTS.guidance, temperature: GENERATE_DEFAULTS.temperature, guide: undefined, tagger: undefined }),
  ), 'music generated from the decoded embeddings; null switches it off'),
  encode: doc(withDefault(
    nullable(
      obj({
        spaces: doc(optional(list(str(), 1)), 'feature spaces: embedding names and genre (default: every embedding, then genre)'),
        fdrQ: doc(withDefault(FIELDS.fdrQ, ENCODE_DEFAULTS.fdrQ), 'Benjamini–Hochberg FDR level'),
        folds: doc(withDefault(FIELDS.folds, RIDGE_DEFAULTS.folds), 'cross-validation folds for the per-voxel alpha'),
        null: doc(withDefault(FIELDS.null, ENCODE_DEFAULTS.null), "null distribution: 'block' (clip blocks shuffled) or 'gaussian' (the paper's)"),
        nPerm: doc(withDefault(FIELDS.nPerm, ENCODE_DEFAULTS.nPerm), 'shuffles of the block null'),
        pTail: doc(withDefault(FIELDS.pTail, ENCODE_DEFAULTS.pTail), "p beyond every shuffle: 'gpd' (generalized Pareto tail fit, as FSL's PALM) or 'none' (the count, floor 1/(1 + nPerm))"),
      }),
    ),
    () => ({ spaces: undefined, fdrQ: ENCODE_DEFAULTS.fdrQ, folds: RIDGE_DEFAULTS.folds, null: ENCODE_DEFAULTS.null, nPerm: ENCODE_DEFAULTS.nPerm, pTail: ENCODE_DEFAULTS.pTail }),
  ), 'voxelwise encoding maps with significance; null switches it off'),
  report: doc(withDefault(bool(), true), 'write the HTML report'),
  shards: doc(withDefaults(obj({
    embed: doc(withDefault(FIELDS.shards, 1), "shards of each model's clips, embedded in parallel units (units embed:<model>:<k>-of-<n>), then concatenated"),
    library: doc(withDefault(FIELDS.shards, 1), 'shards of the library tracks, embedded in parallel units (library:<k>-of-<n>), then stored in track order and optimized by one unit'),
    encode: doc(withDefault(FIELDS.shards, 1), "blocks of each subject's voxels, fitted in parallel units (encode:<sub>:<k>-of-<n>), then FDR over all voxels and the maps by one unit"),
  })), 'work units split into shards that a cluster runs in parallel (docs/cluster.md); the outputs are those of one unit'),
  slurm: doc(optional(obj({
    ...slurmResourceFields(),
    extraArgs: doc(withDefault(list(str()), () => []), 'further sbatch arguments, e.g. ["--qos=short"]'),
    stages: doc(withDefault(obj(Object.fromEntries(STAGE_NAMES.map((n) => [n, doc(optional(obj(slurmResourceFields())), `resources of the ${n} units`)])) as Record<(typeof STAGE_NAMES)[number], Field<Partial<SlurmResources> | undefined>>), () => ({})), "per-stage resources overriding the ones above, e.g. { \"encode\": { \"mem\": \"16G\" } }"),
  })), 'resources of the Slurm jobs of `run --executor slurm` (docs/cluster.md); default: the cluster\'s'),
});

function slurmResourceFields() {
  return {
    partition: doc(optional(str()), 'partition (sbatch --partition)'),
    account: doc(optional(str()), 'account (sbatch --account)'),
    cpus: doc(optional(int(1, 1024)), 'CPUs per unit (sbatch --cpus-per-task; also the unit\'s --threads)'),
    mem: doc(optional(str()), 'memory per unit, e.g. "8G" (sbatch --mem)'),
    time: doc(optional(str()), 'time limit per unit, e.g. "02:00:00" (sbatch --time)'),
  };
}

/** `null` switches a stage off (undefined); an object configures it. */
function nullable<T>(field: Field<T>): Field<T | undefined> {
  return { ...field, expected: `${field.expected} or null`, check: (v, p, s) => (v === null ? undefined : field.check(v, p, s)) };
}

/** A BIDS subject id such as "sub-001". */
function annField(): Field<AnnChoice> {
  const expected = "true, false or 'auto'";
  return { expected, check: (v, p, s) => (typeof v === 'boolean' || v === 'auto' ? v : fail('BAD_INPUT', `${s}: '${p}' must be ${expected}, got ${JSON.stringify(v)}.`)) };
}

function subjectIdField(): Field<string> {
  const expected = 'a BIDS subject id like "sub-001"';
  return { expected, check: (v, p, s) => (typeof v === 'string' && /^sub-[A-Za-z0-9]+$/.test(v) ? v : fail('BAD_INPUT', `${s}: '${p}' must be ${expected}, got ${JSON.stringify(v)}.`)) };
}

/** A subject id, or 'each' (every scored subject its own reference). */
function alignReferenceField(): Field<string> {
  const expected = `a BIDS subject id like "sub-001" or "${EACH_SUBJECT_REFERENCE}"`;
  const id = subjectIdField();
  return { expected, check: (v, p, s) => (v === EACH_SUBJECT_REFERENCE ? v : typeof v === 'string' && /^sub-[A-Za-z0-9]+$/.test(v) ? id.check(v, p, s) : fail('BAD_INPUT', `${s}: '${p}' must be ${expected}, got ${JSON.stringify(v)}.`)) };
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
    library: c.library && { audio: absOpt(c.library.audio), db: absOpt(c.library.db), ann: c.library.ann },
    generate: c.generate && { ...c.generate, modelDir: absOpt(c.generate.modelDir), tagger: absOpt(c.generate.tagger), guide: c.generate.guide && { ...c.generate.guide, bank: abs(c.generate.guide.bank), modelDir: abs(c.generate.guide.modelDir) } },
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
