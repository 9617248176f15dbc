import { Command } from 'commander';
import { ALIGN_DEFAULTS, DATASET_DEFAULTS, DECODE_DEFAULTS, EMBED_DEFAULTS, ENCODE_DEFAULTS, GENERATE_DEFAULTS, LISTEN_DEFAULTS, RETRIEVE_DEFAULTS, RIDGE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { FIELDS } from '../pipeline/index.ts';
import { packageVersions } from '../run/index.ts';
import { setThreadBudget, THREADS_ENV } from '../threads.ts';
import { choice, fieldParser, nonNegativeInt, port, positiveInt, positiveSeconds, withDefault as d } from './options.ts';

export { positiveInt as parsePositiveInt, positiveSeconds as parsePositiveSeconds } from './options.ts';

/** Writes a command's result as JSON on stdout (`--json`). */
function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

async function ui(json?: boolean) {
  const { terminalUi } = await import('./ui.ts');
  return terminalUi({ json });
}

const REQUIRED = '(required) ';

/** The flags of `dataset` in a run configuration: how a BIDS dataset's responses are read. */
export interface DatasetFlags {
  source?: 'auto' | 'raw' | 'derivative' | 'fmriprep';
  derivatives?: string;
  space?: string;
  confounds?: 'motion6' | 'motion12' | 'none';
  freesurfer?: string;
  parcellation?: 'auto' | 'destrieux' | 'desikan';
  atlas?: string;
  atlasNames?: string;
}

/** Adds the dataset flags (the same keys as a configuration's `dataset`) to a command that reads responses. */
function datasetFlags(cmd: Command): Command {
  return cmd
    .option('--source <kind>', d("responses read: 'auto' (the derivative arrays when present, else the raw runs), 'raw', 'derivative' or 'fmriprep'", DATASET_DEFAULTS.source), fieldParser('--source', FIELDS.source))
    .option('--derivatives <DIR>', "fMRIPrep's output folder (default: <bids>/derivatives/fmriprep)")
    .option('--space <S>', d('fMRIPrep output space, e.g. MNI152NLin2009cAsym (then also give --atlas)', DATASET_DEFAULTS.space))
    .option('--confounds <set>', d('motion regressors removed per run (fMRIPrep): motion6, motion12 (with derivatives) or none', DATASET_DEFAULTS.confounds), fieldParser('--confounds', FIELDS.confounds))
    .option('--freesurfer <DIR>', 'FreeSurfer subjects folder (default: <derivatives>/sourcedata/freesurfer)')
    .option('--parcellation <name>', d('FreeSurfer parcellation: auto (Destrieux, else Desikan), destrieux or desikan', DATASET_DEFAULTS.parcellation), fieldParser('--parcellation', FIELDS.parcellation))
    .option('--atlas <FILE>', "a label image in the BOLD's space (NIfTI or MGZ), instead of the atlas convention or FreeSurfer's parcellation; {subject} in the path names each subject's own")
    .option('--atlas-names <LUT>', "names of --atlas's labels: TSV (index, name) or FreeSurferColorLUT text");
}

/**
 * The whole command-line interface in one place: every command and flag is declared here;
 * each action lazily imports its command module and calls one typed function. Flags that have a
 * configuration key parse with that key's field (`FIELDS`), and every default comes from
 * `defaults.ts`, shown as "(default: X)".
 */
export function buildProgram(): Command {
  const program = new Command('brain2music')
    .description('Reconstruct music from fMRI: decode, retrieve, generate, and map music in the brain.')
    .version(packageVersions().brain2music, '-V, --version', 'print the brain2music version')
    .option('--debug', 'print stack traces on errors')
    .option('--threads <n>', d(`threads every stage and ONNX Runtime may use (also ${THREADS_ENV})`, 'all cores'), positiveInt('--threads'))
    .showHelpAfterError('(add --help for the options)')
    .exitOverride()
    // before any command runs, so the GEMM backend (built on first use) gets the budget
    .hook('preAction', (cmd) => setThreadBudget(cmd.opts<{ threads?: number }>().threads));

  // --- commands: each block declares one command (keep alphabetical) ---

  datasetFlags(program
    .command('decode')
    .description('fit decoders (fMRI → music embedding) per subject: the ROI ensemble with an atlas, else a voxel selection; predict the test clips, score them')
    .requiredOption('--bids <DIR>', `${REQUIRED}BIDS dataset (ds003720 layout, real or simulated)`)
    .requiredOption('--embeddings <E.npy>', `${REQUIRED}stimulus embeddings, clips × windows × dim, with E.json beside it`)
    .requiredOption('--out <RUN>', `${REQUIRED}run folder: writes subjects/<sub>/decode/ and updates metrics.json`))
    .option('--subject <sub>', d("subject id (e.g. sub-001) or 'all'", 'all'))
    .option('--rois <k>', d('ROIs kept in the ensemble', DECODE_DEFAULTS.topRois), fieldParser('--rois', FIELDS.topRois))
    .option('--lag-tr <n>', d('hemodynamic lag in TRs (0 = the paper literal alignment)', ALIGN_DEFAULTS.lagTr), fieldParser('--lag-tr', FIELDS.lagTr))
    .option('--scans-per-clip <n>', d('scans per stimulus clip', ALIGN_DEFAULTS.scansPerClip), fieldParser('--scans-per-clip', FIELDS.scansPerClip))
    .option('--folds <k>', d('cross-validation folds (grouped by clip)', RIDGE_DEFAULTS.folds), fieldParser('--folds', FIELDS.folds))
    .option('--cv-score <mode>', d("ROI ranking score: 'inner' (CV r of the alpha search) or 'nested' (out-of-fold predictions, 6x slower)", DECODE_DEFAULTS.cvScore), fieldParser('--cv-score', FIELDS.cvScore))
    .option('--voxels <which>', d("the decoder: 'rois' (the paper's ROI ensemble), 'encoding:N' (the N voxels an encoding model predicts best on the training clips, nested in the CV), 'encoding-r:T' (encoding CV r > T) or 'all'", 'rois with an atlas, else encoding:3000'), fieldParser('--voxels', FIELDS.decoder))
    .option('--whole-cortex', 'also fit and score a whole-cortex decoder')
    .option('--leave-one-genre-out', 'also run leave-one-genre-out (one ensemble fit per genre)')
    .option('--align <method>', d("also one decoder pooled over every subject of the dataset, scored on each subject's own test clips: 'ridge' (each subject mapped onto --reference by ridge on the training clips), 'srm' (a shared response model) or 'none'", DECODE_DEFAULTS.alignment), fieldParser('--align', FIELDS.alignMethod))
    .option('--reference <sub>', d("the subject whose voxels are the common space of --align ridge, or 'each': every decoded subject its own (the others mapped onto it; one decoder per subject)", "the dataset's first subject"), fieldParser('--reference', FIELDS.alignReference))
    .option('--align-exclude-target', "train each subject's pooled decoder on the other subjects only (the new-subject case)")
    .option('--srm-dims <k>', d('shared dimensions per region of --align srm', ALIGN_DEFAULTS.srmDims), fieldParser('--srm-dims', FIELDS.srmDims))
    .option('--train-runs <K>', d('decoded subjects keep only their first K training runs; the other subjects keep all theirs', 'all'), fieldParser('--train-runs', FIELDS.trainRuns))
    .option('--json', 'print the per-subject results as JSON on stdout (logs go to stderr)')
    .action(async (o: DatasetFlags & {
      bids: string; embeddings: string; out: string; subject?: string; rois?: number; lagTr?: number; scansPerClip?: number; folds?: number; cvScore?: 'nested' | 'inner'; voxels?: string;
      wholeCortex?: boolean; leaveOneGenreOut?: boolean; align?: 'ridge' | 'srm' | 'none'; reference?: string; alignExcludeTarget?: boolean; srmDims?: number; trainRuns?: number; json?: boolean;
    }) => {
      const { runDecode } = await import('./commands/decode.ts');
      const rows = await runDecode({ ...o, subject: o.subject ?? 'all' }, await ui(o.json));
      if (o.json) printJson(rows);
    });

  program
    .command('demo')
    .description('the whole pipeline on the built-in simulated dataset: decode, retrieve, generate, map; prints a summary and writes a report')
    .option('--out <DIR>', d('run folder (a second run there reuses finished stages)', 'runs/demo'))
    .option('--force <stages...>', 'rerun these stages even when their outputs are current')
    .option('--json', 'print the stage outcomes and metrics.json as JSON on stdout (logs go to stderr)')
    .action(async (o: { out?: string; force?: string[]; json?: boolean }) => {
      const { runDemo } = await import('./commands/demo.ts');
      const { runResultJson } = await import('./commands/run.ts');
      const result = await runDemo(o, await ui(o.json));
      if (o.json) printJson(runResultJson(result));
    });

  program
    .command('embed')
    .description('embed the windows of every audio clip with one model: FILE.npy (clips × windows × dim, float32) + FILE.json (resumable: rerun to continue)')
    .option('--audio <DIR|FILES...>', 'a folder of audio files, or audio files (clip id = file name without extension); with --bids, the stimulus folder (GTZAN layouts)')
    .option('--bids <DIR>', "embed a dataset's clips: the excerpts its events name, cut from the tracks under --audio (default: <DIR>/stimuli)")
    .requiredOption('--model <NAME>', `${REQUIRED}builtin | clap | clap-text | muq | muq-text | codec | w2vbert | genre`)
    .requiredOption('--out <FILE.npy>', `${REQUIRED}output array; FILE.json is written beside it`)
    .option('--model-dir <PATH>', 'local model folder (clap, clap-text, muq, muq-text, codec, w2vbert)')
    .option('--allow-download', 'let transformers.js fetch --model-dir as a Hugging Face hub id when it is not a local folder')
    .option('--captions <FILE>', "captions for clap-text and muq-text: TSV (clip_id, caption) or the paper's CSV (ID, DescEN)")
    .option('--clip-table <TSV>', 'clip table (clip_id, genre) for genre; default: genre from the clip id')
    .option('--layer <n>', d('w2v-BERT layer', 7), fieldParser('--layer', FIELDS.layer))
    .option('--window <sec>', "window length in seconds (default: the model's own: 10; w2vbert 5; clap-text 15)", positiveSeconds('--window'))
    .option('--hop <sec>', d('window hop in seconds', EMBED_DEFAULTS.hopSec), positiveSeconds('--hop'))
    .option('--clip <sec>', `clip length in seconds; longer files: their first --clip seconds (default: ${EMBED_DEFAULTS.clipSec}, or the dataset's clips with --bids)`, positiveSeconds('--clip'))
    .option('--max-pad <sec>', d('pad a clip (or a track its excerpt runs past) up to this many seconds short with silence, recorded in FILE.json', EMBED_DEFAULTS.maxPadSec), fieldParser('--max-pad', FIELDS.maxPadSec))
    .option('--skip-short', 'leave out clips shorter than --clip minus --max-pad (with a warning) instead of failing')
    .action(async (o: { audio?: string[]; bids?: string; model: string; out: string; modelDir?: string; allowDownload?: boolean; captions?: string; clipTable?: string; layer?: number; window?: number; hop?: number; clip?: number; maxPad?: number; skipShort?: boolean }) => {
      const { runEmbed } = await import('./commands/embed.ts');
      await runEmbed(o, await ui());
    });

  datasetFlags(program
    .command('encode')
    .description('fit voxelwise encoding models (features → every cortical voxel), test significance with FDR, compare spaces, write brain maps')
    .requiredOption('--bids <DIR>', `${REQUIRED}BIDS dataset (ds003720 layout, real or simulated)`)
    .requiredOption('--features <A.npy[,B.npy]>', `${REQUIRED}feature spaces, comma-separated: .npy files (with .json beside) or 'genre' (one-hot control); join with + to stack`)
    .requiredOption('--out <RUN>', `${REQUIRED}run folder: writes subjects/<sub>/encode/`))
    .option('--subject <sub>', d("subject id (e.g. sub-001) or 'all'", 'all'))
    .option('--null <kind>', d("null distribution: 'block' (clip blocks of the test time course shuffled, keeps autocorrelation) or 'gaussian' (the paper's; ignores autocorrelation)", ENCODE_DEFAULTS.null), fieldParser('--null', FIELDS.null))
    .option('--delays <list>', d('FIR delays in TRs', ENCODE_DEFAULTS.delays), (v: string) => v.split(',').map((x) => nonNegativeInt('--delays')(x)))
    .option('--lag-tr <n>', 'a single hemodynamic lag in TRs instead of FIR delays', fieldParser('--lag-tr', FIELDS.lagTr))
    .option('--scans-per-clip <n>', d('scans per stimulus clip', ALIGN_DEFAULTS.scansPerClip), fieldParser('--scans-per-clip', FIELDS.scansPerClip))
    .option('--cv <kind>', d("alpha selection: 'clip' (folds of whole clips) or 'run' (leave one run out)", 'clip'), choice('--cv', ['clip', 'run'] as const))
    .option('--folds <k>', d("folds for --cv clip", RIDGE_DEFAULTS.folds), fieldParser('--folds', FIELDS.folds))
    .option('--fdr-q <q>', d('Benjamini–Hochberg FDR level', ENCODE_DEFAULTS.fdrQ), fieldParser('--fdr-q', FIELDS.fdrQ))
    .option('--partition', 'also fit the joint model of the first two spaces and partition their variance')
    .option('--n-perm <n>', d('permutations of the block null', ENCODE_DEFAULTS.nPerm), fieldParser('--n-perm', FIELDS.nPerm))
    .option('--p-tail <kind>', d("p beyond every shuffle: 'gpd' (generalized Pareto tail fit, as FSL's PALM) or 'none' (the count, floor 1/(1 + n-perm))", ENCODE_DEFAULTS.pTail), fieldParser('--p-tail', FIELDS.pTail))
    .option('--seed <n>', d('seed of the block null', 0), fieldParser('--seed', FIELDS.seed))
    .option('--voxel-batch <n>', 'voxels fitted at once, to bound memory (default: as many as fit in 2 GB)', positiveInt('--voxel-batch'))
    .option('--json', 'print the encoding summaries as JSON on stdout (logs go to stderr)')
    .action(async (o: DatasetFlags & { bids: string; features: string; out: string; subject?: string; null?: 'gaussian' | 'block'; delays?: number[]; lagTr?: number; scansPerClip?: number; cv?: 'clip' | 'run'; folds?: number; fdrQ?: number; partition?: boolean; nPerm?: number; pTail?: 'gpd' | 'none'; seed?: number; voxelBatch?: number; json?: boolean }) => {
      const { runEncode } = await import('./commands/encode.ts');
      const summaries = await runEncode({ ...o, subject: o.subject ?? 'all' }, await ui(o.json));
      if (o.json) printJson(summaries);
    });

  program
    .command('generate')
    .description('generate music from a run\'s decoded embeddings (builtin generator or MusicGen), optionally re-ranked by the subject\'s encoding model, and score it against the music heard')
    .requiredOption('--run <RUN>', `${REQUIRED}run folder whose decode and library stages have finished`)
    .option('--subject <sub>', d("subject id (e.g. sub-001) or 'all'", 'all'))
    .option('--generator <name>', d("'builtin' (learned from the library, rendered with General MIDI) or 'musicgen' (needs --model-dir)", "the run's, else builtin"), fieldParser('--generator', FIELDS.generator))
    .option('--model-dir <DIR>', 'MusicGen model folder (e.g. a download of Xenova/musicgen-small)')
    .option('--samples <n>', d('samples kept per test clip', GENERATE_DEFAULTS.samples), fieldParser('--samples', FIELDS.samples))
    .option('--rerank [n]', `draw n candidates (n default ${GENERATE_DEFAULTS.rerankCandidates}) and keep those whose predicted brain response matches the measured one best (default: off, or the run's)`, fieldParser('--rerank', FIELDS.rerank))
    .option('--guidance <n>', d('draws per sample; the one whose embedding is closest to the decoded embedding is kept (1: none)', `${GENERATE_DEFAULTS.guidance}, or the run's`), fieldParser('--guidance', FIELDS.guidance))
    .option('--temperature <t>', d('sampling temperature (0: most likely music)', `${GENERATE_DEFAULTS.temperature}, or the run's`), fieldParser('--temperature', FIELDS.temperature))
    .option('--seed <n>', d('seed', "the run's generate seed"), fieldParser('--seed', FIELDS.seed))
    .option('--duration <sec>', d("seconds of music per sample, at most 60", GENERATE_DEFAULTS.durationSec), (v: string) => {
      const t = positiveSeconds('--duration')(v);
      if (t > 60) return positiveSeconds('--duration (at most 60 s)')('-1');
      return t;
    })
    .option('--tagger <DIR>', d('AudioSet tagger folder (a download of Xenova/ast-finetuned-audioset-10-10-0.4593): class agreement, top-2 genres, top-2 instruments, top-1 mood', "the run's, else not scored"))
    .action(async (o: { run: string; subject?: string; generator?: 'builtin' | 'musicgen'; modelDir?: string; samples?: number; rerank?: number | boolean; guidance?: number; temperature?: number; seed?: number; duration?: number; tagger?: string }) => {
      const { runGenerate } = await import('./commands/generate.ts');
      await runGenerate({ ...o, subject: o.subject ?? 'all', durationSec: o.duration }, await ui());
    });

  program
    .command('listen')
    .description('a listening test (two-alternative forced choice) of the run\'s reconstructions, served to one listener at a time on 127.0.0.1; --score scores the answers')
    .argument('<RUN>', 'run folder whose generate (or retrieve) stage has finished')
    .option('--port <n>', d('TCP port on 127.0.0.1 (0: any free port)', LISTEN_DEFAULTS.port), port('--port'))
    .option('--trials <n>', d('trials per listener', LISTEN_DEFAULTS.trials), positiveInt('--trials'))
    .option('--kind <kind>', d("what is compared with the original: 'generated' music or the 'retrieved' library track", LISTEN_DEFAULTS.kind), choice('--kind', ['generated', 'retrieved'] as const))
    .option('--seed <n>', d('seed of the trials (each listener\'s order and sides also follow from their name)', LISTEN_DEFAULTS.seed), nonNegativeInt('--seed'))
    .option('--score', 'score the answers in RUN/listening/*.jsonl (per subject, listener and foil genre; agreement) and write RUN/listening/score.json, instead of serving')
    .option('--json', 'with --score: print the scores as JSON on stdout (logs go to stderr)')
    .action(async (run: string, o: { port?: number; trials?: number; kind?: 'generated' | 'retrieved'; seed?: number; score?: boolean; json?: boolean }) => {
      const { runListen } = await import('./commands/listen.ts');
      const res = await runListen({ run, ...o }, await ui(o.json));
      if (o.json && 'scores' in res) printJson(res.scores);
    });

  const library = program.command('library').description('music library for retrieval: embed audio tracks into a LanceDB store');
  library
    .command('build')
    .description('embed the first 15 s of every audio file in a folder and store the vectors (resumable: rerun to continue)')
    .requiredOption('--audio <DIR>', `${REQUIRED}folder of audio files (wav, mp3, flac, ogg, ...; searched recursively)`)
    .requiredOption('--model <NAME>', `${REQUIRED}embedding model (builtin, clap, muq, w2vbert, ...)`)
    .requiredOption('--db <DIR>', `${REQUIRED}library folder (created if missing, resumed if it exists)`)
    .option('--model-dir <DIR>', 'local model folder (clap, w2vbert)')
    .option('--metadata <TSV>', 'table with id and genre columns (default: library.tsv in or above --audio)')
    .option('--excerpt <sec>', d('seconds embedded from the start of each track', RETRIEVE_DEFAULTS.excerptSec), positiveSeconds('--excerpt'))
    .option('--ann', d('build the IVF_PQ index for approximate search (--no-ann: never)', `from ${RETRIEVE_DEFAULTS.annMinTracks.toLocaleString('en-US')} tracks`))
    .option('--no-ann', 'never build the ANN index')
    .option('--batch <n>', d('tracks per commit (an interrupt loses at most this many)', RETRIEVE_DEFAULTS.batch), positiveInt('--batch'))
    .option('--shard <K/N>', 'embed only the K-th of N slices of the tracks into <db>/shards/ (N such jobs at once, then library merge)')
    .action(async (o: { audio: string; model: string; db: string; modelDir?: string; metadata?: string; excerpt?: number; ann?: boolean; batch?: number; shard?: string }) => {
      const { parseShard, runLibraryBuild } = await import('./commands/library.ts');
      await runLibraryBuild({ ...o, shard: o.shard === undefined ? undefined : parseShard(o.shard) }, await ui());
    });
  library
    .command('merge')
    .description("store the shards of 'library build --shard K/N' in the library in track order, compact it (and index it); the shard files are removed")
    .requiredOption('--db <DIR>', `${REQUIRED}library folder the shards were written for`)
    .option('--ann', d('build the IVF_PQ index for approximate search (--no-ann: never)', `from ${RETRIEVE_DEFAULTS.annMinTracks.toLocaleString('en-US')} tracks`))
    .option('--no-ann', 'never build the ANN index')
    .action(async (o: { db: string; ann?: boolean }) => {
      const { runLibraryMerge } = await import('./commands/library.ts');
      await runLibraryMerge(o, await ui());
    });

  program
    .command('retrieve')
    .description('top-k library tracks by cosine similarity: for a run folder\'s decoded test clips (--run), or for any embeddings (--db and --query)')
    .option('--run <RUN>', "a run folder whose decode and library stages have finished: writes retrieval/<sub>.json, as the pipeline's retrieve stage")
    .option('--subject <sub>', d("with --run: subject id (e.g. sub-001) or 'all'", 'all'))
    .option('--db <DIR>', 'library folder made by `library build`')
    .option('--query <PRED.npy>', 'embeddings, n × dim or clips × windows × dim (averaged over windows)')
    .option('--top-k <n>', d('tracks per query', RETRIEVE_DEFAULTS.k), positiveInt('--top-k'))
    .option('--k <n>', 'the same as --top-k', positiveInt('--k'))
    .option('--hubness <method>', d("with --run: scores 'none' (cosine), 'center' (the library's mean direction removed) or 'csls' (local scaling)", "the run's, else none"), fieldParser('--hubness', FIELDS.hubness))
    .option('--search <mode>', d("'exact' (brute force), 'flat' (LanceDB exhaustive) or 'ann' (the library's index)", 'exact'), choice('--search', ['exact', 'flat', 'ann'] as const))
    .option('--nprobes <n>', d('ann: IVF partitions probed (more: better recall, slower)', RETRIEVE_DEFAULTS.nprobes), positiveInt('--nprobes'))
    .option('--refine <n>', d('ann: re-rank n × k candidates with the full vectors', RETRIEVE_DEFAULTS.refineFactor), positiveInt('--refine'))
    .option('--out <FILE.json>', 'also write the results as JSON')
    .option('--truth <E.npy>', 'true embeddings of the query clips (with E.json): also evaluate genre agreement and identification, with oracle and chance')
    .option('--keep-self', "with --truth: let a clip retrieve its own track if the library has it (default: excluded)")
    .option('--seed <n>', d('seed of the random-track chance baseline', "0, or the run's retrieve seed"), fieldParser('--seed', FIELDS.seed))
    .option('--json', 'print the results as JSON on stdout (logs go to stderr)')
    .action(async (o: { run?: string; subject?: string; hubness?: 'none' | 'center' | 'csls'; db?: string; query?: string; topK?: number; k?: number; search?: 'exact' | 'flat' | 'ann'; nprobes?: number; refine?: number; out?: string; truth?: string; keepSelf?: boolean; seed?: number; json?: boolean }) => {
      const { runRetrieve, runRetrieveRun } = await import('./commands/retrieve.ts');
      const k = o.topK ?? o.k;
      const io = await ui(o.json);
      if (o.run) {
        if (o.db || o.query) fail('BAD_INPUT', 'give either --run RUN (a run folder) or --db and --query, not both.');
        const res = await runRetrieveRun({ run: o.run, subject: o.subject, k, seed: o.seed, hubness: o.hubness }, io);
        if (o.json) printJson(res);
        return;
      }
      if (!o.db || !o.query) fail('BAD_INPUT', "retrieve needs --run RUN, or both --db DIR and --query PRED.npy; see 'brain2music retrieve --help'.");
      const res = await runRetrieve({ ...o, db: o.db, query: o.query, k, seed: o.seed ?? 0 }, io);
      if (o.json) printJson(res);
    });

  program
    .command('ridge')
    .description('cross-validated ridge regression from a features .npy to every column of a targets .npy, one alpha per target')
    .option('--features-file <X.npy>', `${REQUIRED}features, samples × features (alias: --x)`)
    .option('--x <X.npy>', 'the same as --features-file')
    .option('--targets-file <Y.npy>', `${REQUIRED}targets, samples × targets (alias: --y)`)
    .option('--y <Y.npy>', 'the same as --targets-file')
    .requiredOption('--out <DIR>', `${REQUIRED}writes best_alphas.npy, cv_scores.npy, coef.npy, intercept.npy, alphas.npy (+ test_pred.npy, test_r.npy)`)
    .option('--alphas <list>', d("alpha grid: 'a,b,c' or 'logspace:START:STOP:NUM'", `logspace:${RIDGE_DEFAULTS.alphaGrid.start}:${RIDGE_DEFAULTS.alphaGrid.stop}:${RIDGE_DEFAULTS.alphaGrid.num}`))
    .option('--cv <k>', d('K-fold cross-validation (contiguous folds; with --groups, folds of whole groups)', `${RIDGE_DEFAULTS.folds}, or leave one group out with --groups`), positiveInt('--cv'))
    .option('--groups <G.npy>', 'group label per sample (e.g. run or clip); without --cv: leave one group out')
    .option('--x-test <XT.npy>', 'held-out features: predict and score with Pearson r per target')
    .option('--y-test <YT.npy>', 'held-out targets')
    .option('--score <name>', d("CV score: 'mse' (negative MSE), 'r' (Pearson) or 'r2'", 'mse'), choice('--score', ['mse', 'r', 'r2'] as const))
    .option('--json', 'print the fit summary as JSON on stdout (logs go to stderr)')
    .action(async (o: { featuresFile?: string; x?: string; targetsFile?: string; y?: string; out: string; alphas?: string; cv?: number; groups?: string; xTest?: string; yTest?: string; score?: 'mse' | 'r' | 'r2'; json?: boolean }) => {
      const { runRidge } = await import('./commands/ridge.ts');
      const x = o.featuresFile ?? o.x;
      const y = o.targetsFile ?? o.y;
      if (!x || !y) fail('BAD_INPUT', "ridge needs --features-file X.npy and --targets-file Y.npy (or --x and --y); see 'brain2music ridge --help'.");
      const summary = await runRidge({ ...o, x, y }, await ui(o.json));
      if (o.json) printJson(summary);
    });

  program
    .command('run')
    .description('the whole pipeline on any dataset, configured by a JSON file; resumes in its run folder')
    .argument('<CONFIG.json>', 'run configuration (see docs/configuration.md)')
    .option('--force <stages...>', 'rerun these stages even when their outputs are current')
    .option('--executor <name>', d("where the work units run: 'local' (this process, in order) or 'slurm' (one job array per stage, sbatch; docs/cluster.md)", 'local'), (v: string) => (v === 'local' || v === 'slurm' ? v : fail('BAD_INPUT', `--executor must be local or slurm, got '${v}'.`)))
    .option('--unit <id>', 'run one work unit only (decode:sub-003, evaluate), as a cluster job does; the stages it needs must be done')
    .option('--detach', 'slurm: return once the jobs are submitted (then: brain2music status RUN)')
    .option('--resume', 'slurm: submit only the units whose outputs are missing or stale and that no queued or running job covers')
    .option('--json', 'print the stage outcomes and metrics.json as JSON on stdout (logs go to stderr)')
    .action(async (config: string, o: { force?: string[]; json?: boolean; executor?: 'local' | 'slurm'; unit?: string; detach?: boolean; resume?: boolean }) => {
      const { runRun, runResultJson } = await import('./commands/run.ts');
      const result = await runRun({ config, force: o.force, executor: o.executor, unit: o.unit, detach: o.detach, resume: o.resume }, await ui(o.json));
      if (o.json) printJson(runResultJson(result));
    });

  program
    .command('status')
    .description('the work units of a run folder: done, failed, queued or running (Slurm), with their logs')
    .argument('<RUN>', 'run folder (the configuration\'s "out")')
    .option('--json', 'print the units as JSON on stdout')
    .action(async (runDir: string, o: { json?: boolean }) => {
      const { runStatusCommand } = await import('./commands/run.ts');
      const rows = runStatusCommand(runDir, await ui(o.json));
      if (o.json) printJson(rows);
    });

  program
    .command('simulate')
    .description('write the simulated Music Genre fMRI dataset (rendered music, BOLD, atlas, ground truth) and a music library')
    .requiredOption('--out <DIR>', `${REQUIRED}output folder (an existing one is resumed)`)
    .option('--preset <name>', d('demo (2 subjects, 100 clips, ~10k voxels) or paper (5 subjects, 540 clips, ~60k voxels)', 'demo'), fieldParser('--preset', FIELDS.preset))
    .option('--subjects <n>', d('number of subjects', "the preset's"), fieldParser('--subjects', FIELDS.subjectCount))
    .option('--seed <s>', d('random seed (same seed: byte-identical files)', "the preset's"), fieldParser('--seed', FIELDS.simulationSeed))
    .option('--library <n>', d('library clips to render (0 = none)', '500 demo, 5000 paper'), fieldParser('--library', FIELDS.libraryClips))
    .option('--genres <list>', d('comma-separated genres to simulate', "the preset's 10"), (v: string) => v.split(',').map((g) => g.trim()).filter(Boolean))
    .option('--train-per-genre <n>', d('training clips per genre', "the preset's"), fieldParser('--train-per-genre', FIELDS.trainPerGenre))
    .option('--test-per-genre <n>', d('test clips per genre', "the preset's"), fieldParser('--test-per-genre', FIELDS.testPerGenre))
    .option('--voxels <n>', d('approximate cortical voxels per subject', "the preset's"), fieldParser('--voxels', FIELDS.targetVoxels))
    .option('--snr <a,h,f>', d('signal-to-noise: auditory ROIs, higher ROIs, fraction of informative voxels', "the preset's"), (v: string) => {
      const x = v.split(',').map(Number);
      if (x.length !== 3 || x.some((n) => !Number.isFinite(n) || n < 0) || x[2]! > 1) fail('BAD_INPUT', `--snr must be three numbers AUDITORY,HIGHER,FRACTION (>= 0, fraction <= 1), got '${v}'.`);
      return { auditory: x[0]!, higher: x[1]!, informativeFraction: x[2]! };
    })
    .option('--raw', 'also write raw BOLD runs (.nii.gz) for the paper preset')
    .option('--workers <n>', d('render threads', 'all cores'), positiveInt('--workers'))
    .action(async (o: { out: string; preset?: 'demo' | 'paper'; subjects?: number; seed?: number; library?: number; genres?: string[]; trainPerGenre?: number; testPerGenre?: number; voxels?: number; snr?: { auditory: number; higher: number; informativeFraction: number }; raw?: boolean; workers?: number }) => {
      const { runSimulate } = await import('./commands/simulate.ts');
      await runSimulate(o, await ui());
    });

  program
    .command('serve')
    .description('serve a run folder (report and files) read-only on 127.0.0.1')
    .argument('<RUN>', 'run folder')
    .option('--port <n>', d('TCP port on 127.0.0.1 (0: any free port)', 8000), port('--port'))
    .action(async (run: string, o: { port?: number }) => {
      const { runServe } = await import('./commands/serve.ts');
      await runServe({ run, port: o.port ?? 8000 }, await ui());
    });

  return program;
}
