import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_MAX_PAD_SEC } from '../io/index.ts';

/** Parses a positive integer option or fails with the option's name. */
export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'.`);
    return n;
  };
}

/** Parses a TCP port (0 to 65535) or fails naming the option. */
function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be an integer from 0 to 65535, got '${value}'.`);
  return n;
}

/** Parses a positive number of seconds or fails with the option's name. */
export function parsePositiveSeconds(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number of seconds, got '${value}'.`);
    return n;
  };
}

/**
 * The whole command-line interface in one place: every command and flag is declared here;
 * each action lazily imports its command module and calls one typed function.
 */
export function buildProgram(): Command {
  const program = new Command('brain2music')
    .description('Reconstruct music from fMRI: decode, retrieve, generate, and map music in the brain.')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
    .exitOverride();

  // --- commands: each block declares one command (keep alphabetical) ---

  program
    .command('decode')
    .description('fit ROI-ensemble decoders (fMRI → music embedding) per subject, predict the test clips, score them')
    .requiredOption('--bids <DIR>', 'BIDS dataset (ds003720 layout, real or simulated)')
    .requiredOption('--embeddings <E.npy>', 'stimulus embeddings, clips × windows × dim, with E.json beside it')
    .requiredOption('--out <RUN>', 'run folder: writes subjects/<sub>/decode/ and updates metrics.json')
    .option('--subject <sub>', "subject id (e.g. sub-001) or 'all'", 'all')
    .option('--rois <k>', 'ROIs kept in the ensemble', parsePositiveInt('--rois'), 6)
    .option('--lag-tr <n>', 'hemodynamic lag in TRs (0 = the paper literal alignment)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--lag-tr must be an integer >= 0, got '${v}'.`);
      return n;
    }, 3)
    .option('--folds <k>', 'cross-validation folds (grouped by clip)', parsePositiveInt('--folds'), 5)
    .option('--cv-score <mode>', "ROI ranking score: 'inner' (CV r of the alpha search) or 'nested' (out-of-fold predictions, 6x slower)", (v: string): 'nested' | 'inner' => {
      if (v !== 'nested' && v !== 'inner') throw new InvalidArgumentError(`--cv-score must be 'nested' or 'inner', got '${v}'.`);
      return v;
    }, 'inner' as 'nested' | 'inner')
    .option('--whole-cortex', 'also fit and score a whole-cortex decoder')
    .option('--leave-one-genre-out', 'also run leave-one-genre-out (one ensemble fit per genre)')
    .action(async (o: { bids: string; embeddings: string; out: string; subject: string; rois: number; lagTr: number; folds: number; cvScore: 'nested' | 'inner'; wholeCortex?: boolean; leaveOneGenreOut?: boolean }) => {
      const { runDecode } = await import('./commands/decode.ts');
      const { terminalUi } = await import('./ui.ts');
      await runDecode(o, terminalUi());
    });

  program
    .command('demo')
    .description('the whole pipeline on the built-in simulated dataset: decode, retrieve, generate, map; prints a summary and writes a report')
    .option('--out <DIR>', 'run folder (a second run there reuses finished stages)', 'runs/demo')
    .option('--force <stages...>', 'rerun these stages even when their outputs are current')
    .action(async (o: { out: string; force?: string[] }) => {
      const { runDemo } = await import('./commands/demo.ts');
      const { terminalUi } = await import('./ui.ts');
      await runDemo(o, terminalUi());
    });

  program
    .command('embed')
    .description('embed the windows of every audio clip with one model: FILE.npy (clips × windows × dim, float32) + FILE.json (resumable: rerun to continue)')
    .requiredOption('--audio <DIR|FILES...>', 'a folder of audio files, or audio files (clip id = file name without extension)')
    .requiredOption('--model <NAME>', 'builtin | clap | clap-text | w2vbert | genre')
    .requiredOption('--out <FILE.npy>', 'output array; FILE.json is written beside it')
    .option('--model-dir <PATH>', 'local model folder (clap, clap-text, w2vbert)')
    .option('--allow-download', 'let transformers.js fetch --model-dir as a Hugging Face hub id when it is not a local folder')
    .option('--captions <FILE>', 'captions table for clap-text: TSV (clip_id, caption) or the Brain2Music captions CSV (ID, DescEN)')
    .option('--clip-table <TSV>', 'clip table (clip_id, genre) for genre; default: genre from the clip id')
    .option('--layer <n>', 'w2v-BERT layer (default 7)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--layer must be an integer >= 0, got '${v}'.`);
      return n;
    })
    .option('--window <sec>', 'window length in seconds (default 10; w2vbert 5; clap-text 15)', parsePositiveSeconds('--window'))
    .option('--hop <sec>', 'window hop in seconds', parsePositiveSeconds('--hop'), 1.5)
    .option('--clip <sec>', 'clip length in seconds (longer files: their first --clip seconds)', parsePositiveSeconds('--clip'), 15)
    .option('--max-pad <sec>', `pad a clip up to this many seconds shorter than --clip with silence, recorded in FILE.json (default ${DEFAULT_MAX_PAD_SEC})`, (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`--max-pad must be a number of seconds >= 0, got '${v}'.`);
      return n;
    })
    .option('--skip-short', 'leave out clips shorter than --clip minus --max-pad (with a warning) instead of failing')
    .action(async (o: { audio: string[]; model: string; out: string; modelDir?: string; allowDownload?: boolean; captions?: string; clipTable?: string; layer?: number; window?: number; hop: number; clip: number; maxPad?: number; skipShort?: boolean }) => {
      const { runEmbed } = await import('./commands/embed.ts');
      const { terminalUi } = await import('./ui.ts');
      await runEmbed(o, terminalUi());
    });

  program
    .command('generate')
    .description('generate music from a run\'s decoded embeddings (builtin generator or MusicGen), optionally re-ranked by the subject\'s encoding model, and score it against the music heard')
    .requiredOption('--run <RUN>', 'run folder whose decode and library stages have finished')
    .option('--subject <sub>', "subject id (e.g. sub-001) or 'all'", 'all')
    .option('--generator <name>', "'builtin' (learned from the library, rendered with General MIDI) or 'musicgen' (needs --model-dir)", (v: string): 'builtin' | 'musicgen' => {
      if (v !== 'builtin' && v !== 'musicgen') throw new InvalidArgumentError(`--generator must be 'builtin' or 'musicgen', got '${v}'.`);
      return v;
    })
    .option('--model-dir <DIR>', 'MusicGen model folder (e.g. a download of Xenova/musicgen-small)')
    .option('--samples <n>', 'samples kept per test clip (default 1)', parsePositiveInt('--samples'))
    .option('--rerank [n]', 'draw n candidates (default 10) and keep those whose predicted brain response matches the measured one best', parsePositiveInt('--rerank'))
    .option('--guidance <n>', 'draws per sample; the one whose embedding is closest to the decoded embedding is kept (1: none; default 4, or the run\'s configuration)', parsePositiveInt('--guidance'))
    .option('--temperature <t>', 'sampling temperature (0: most likely music; default 0.3, or the run\'s configuration)', (v: string) => {
      const t = Number(v);
      if (!Number.isFinite(t) || t < 0) throw new InvalidArgumentError(`--temperature must be a number >= 0, got '${v}'.`);
      return t;
    })
    .option('--seed <n>', 'seed (default: the run\'s generate seed)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--seed must be an integer >= 0, got '${v}'.`);
      return n;
    })
    .option('--duration <sec>', 'seconds of music per sample (default 15, the stimuli\'s length)', (v: string) => {
      const t = Number(v);
      if (!Number.isFinite(t) || t <= 0 || t > 60) throw new InvalidArgumentError(`--duration must be a number of seconds in (0, 60], got '${v}'.`);
      return t;
    })
    .action(async (o: { run: string; subject: string; generator?: 'builtin' | 'musicgen'; modelDir?: string; samples?: number; rerank?: number | boolean; guidance?: number; temperature?: number; seed?: number; duration?: number }) => {
      const { runGenerate } = await import('./commands/generate.ts');
      const { terminalUi } = await import('./ui.ts');
      await runGenerate({ ...o, durationSec: o.duration }, terminalUi());
    });

  program
    .command('encode')
    .description('fit voxelwise encoding models (features → every cortical voxel), test significance with FDR, compare spaces, write brain maps')
    .requiredOption('--bids <DIR>', 'BIDS dataset (ds003720 layout, real or simulated)')
    .requiredOption('--features <A.npy[,B.npy]>', "feature spaces, comma-separated: .npy files (with .json beside) or 'genre' (one-hot control); join with + to stack")
    .requiredOption('--out <RUN>', 'run folder: writes subjects/<sub>/encode/')
    .option('--subject <sub>', "subject id (e.g. sub-001) or 'all'", 'all')
    .option('--null <kind>', "null distribution: 'block' (default: clip blocks of the test time course shuffled, keeps autocorrelation) or 'gaussian' (the paper's; ignores autocorrelation)", (v: string): 'gaussian' | 'block' => {
      if (v !== 'gaussian' && v !== 'block') throw new InvalidArgumentError(`--null must be 'gaussian' or 'block', got '${v}'.`);
      return v;
    })
    .option('--delays <list>', 'FIR delays in TRs (default 1,2,3,4)', (v: string) => {
      const d = v.split(',').map(Number);
      if (d.length === 0 || d.some((x) => !Number.isInteger(x) || x < 0)) throw new InvalidArgumentError(`--delays must be comma-separated integers >= 0, got '${v}'.`);
      return d;
    })
    .option('--lag-tr <n>', 'a single hemodynamic lag in TRs instead of FIR delays', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--lag-tr must be an integer >= 0, got '${v}'.`);
      return n;
    })
    .option('--cv <kind>', "alpha selection: 'clip' (5 folds of whole clips) or 'run' (leave one run out)", (v: string): 'clip' | 'run' => {
      if (v !== 'clip' && v !== 'run') throw new InvalidArgumentError(`--cv must be 'clip' or 'run', got '${v}'.`);
      return v;
    })
    .option('--partition', 'also fit the joint model of the first two spaces and partition their variance')
    .option('--n-perm <n>', 'permutations of the block null (default 10000)', parsePositiveInt('--n-perm'))
    .option('--seed <n>', 'seed of the block null', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--seed must be an integer >= 0, got '${v}'.`);
      return n;
    })
    .option('--voxel-batch <n>', 'voxels fitted at once (bounds memory)', parsePositiveInt('--voxel-batch'))
    .action(async (o: { bids: string; features: string; out: string; subject: string; null?: 'gaussian' | 'block'; delays?: number[]; lagTr?: number; cv?: 'clip' | 'run'; partition?: boolean; nPerm?: number; seed?: number; voxelBatch?: number }) => {
      const { runEncode } = await import('./commands/encode.ts');
      const { terminalUi } = await import('./ui.ts');
      await runEncode(o, terminalUi());
    });

  const library = program.command('library').description('music library for retrieval: embed audio tracks into a LanceDB store');
  library
    .command('build')
    .description('embed the first 15 s of every audio file in a folder and store the vectors (resumable: rerun to continue)')
    .requiredOption('--audio <DIR>', 'folder of audio files (wav, mp3, flac, ogg, ...; searched recursively)')
    .requiredOption('--model <NAME>', 'embedding model (builtin, clap, w2vbert, ...)')
    .requiredOption('--db <DIR>', 'library folder (created if missing, resumed if it exists)')
    .option('--model-dir <DIR>', 'local model folder (clap, w2vbert)')
    .option('--metadata <TSV>', 'table with id and genre columns (default: library.tsv in or above --audio)')
    .option('--excerpt <sec>', 'seconds embedded from the start of each track', (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`--excerpt must be a positive number of seconds, got '${v}'.`);
      return n;
    }, 15)
    .option('--ann', 'also build an IVF_PQ index for approximate search (large libraries)')
    .option('--batch <n>', 'tracks per commit (an interrupt loses at most this many)', parsePositiveInt('--batch'), 16)
    .action(async (o: { audio: string; model: string; db: string; modelDir?: string; metadata?: string; excerpt: number; ann?: boolean; batch: number }) => {
      const { runLibraryBuild } = await import('./commands/library.ts');
      const { terminalUi } = await import('./ui.ts');
      await runLibraryBuild(o, terminalUi());
    });

  program
    .command('retrieve')
    .description('top-k library tracks by cosine similarity for each predicted embedding')
    .requiredOption('--db <DIR>', 'library folder made by `library build`')
    .requiredOption('--query <PRED.npy>', 'embeddings, n × dim or clips × windows × dim (averaged over windows)')
    .option('--k <n>', 'tracks per query', parsePositiveInt('--k'), 5)
    .option('--search <mode>', "'exact' (brute force), 'flat' (LanceDB exhaustive) or 'ann' (the library's index)", (v: string): 'exact' | 'flat' | 'ann' => {
      if (v !== 'exact' && v !== 'flat' && v !== 'ann') throw new InvalidArgumentError(`--search must be 'exact', 'flat' or 'ann', got '${v}'.`);
      return v;
    }, 'exact' as 'exact' | 'flat' | 'ann')
    .option('--nprobes <n>', 'ann: IVF partitions probed (default 20; more: better recall, slower)', parsePositiveInt('--nprobes'))
    .option('--refine <n>', 'ann: re-rank n × k candidates with the full vectors (default 50)', parsePositiveInt('--refine'))
    .option('--out <FILE.json>', 'also write the results as JSON')
    .option('--truth <E.npy>', 'true embeddings of the query clips (with E.json): also evaluate genre agreement and identification, with oracle and chance')
    .option('--keep-self', "with --truth: let a clip retrieve its own track if the library has it (default: excluded)")
    .option('--seed <n>', 'seed of the random-track chance baseline', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--seed must be an integer >= 0, got '${v}'.`);
      return n;
    }, 0)
    .action(async (o: { db: string; query: string; k: number; search: 'exact' | 'flat' | 'ann'; nprobes?: number; refine?: number; out?: string; truth?: string; keepSelf?: boolean; seed: number }) => {
      const { runRetrieve } = await import('./commands/retrieve.ts');
      const { terminalUi } = await import('./ui.ts');
      await runRetrieve(o, terminalUi());
    });

  program
    .command('ridge')
    .description('cross-validated ridge regression from X.npy to every column of Y.npy, one alpha per target')
    .requiredOption('--x <X.npy>', 'features, samples × features')
    .requiredOption('--y <Y.npy>', 'targets, samples × targets')
    .requiredOption('--out <DIR>', 'writes best_alphas.npy, cv_scores.npy, coef.npy, intercept.npy, alphas.npy (+ test_pred.npy, test_r.npy)')
    .option('--alphas <list>', "alpha grid: 'a,b,c' or 'logspace:START:STOP:NUM'", 'logspace:-2:8:20')
    .option('--cv <k>', 'K-fold cross-validation (contiguous folds; with --groups, folds of whole groups)', parsePositiveInt('--cv'))
    .option('--groups <G.npy>', 'group label per sample (e.g. run or clip); without --cv: leave one group out')
    .option('--x-test <XT.npy>', 'held-out features: predict and score with Pearson r per target')
    .option('--y-test <YT.npy>', 'held-out targets')
    .option('--score <name>', "CV score: 'mse' (negative MSE), 'r' (Pearson) or 'r2'", (v: string): 'mse' | 'r' | 'r2' => {
      if (v !== 'mse' && v !== 'r' && v !== 'r2') throw new InvalidArgumentError(`--score must be 'mse', 'r' or 'r2', got '${v}'.`);
      return v;
    }, 'mse' as 'mse' | 'r' | 'r2')
    .action(async (o: { x: string; y: string; out: string; alphas: string; cv?: number; groups?: string; xTest?: string; yTest?: string; score: 'mse' | 'r' | 'r2' }) => {
      const { runRidge } = await import('./commands/ridge.ts');
      const { terminalUi } = await import('./ui.ts');
      await runRidge(o, terminalUi());
    });

  program
    .command('run')
    .description('the whole pipeline on any dataset, configured by a JSON file; resumes in its run folder')
    .argument('<CONFIG.json>', 'run configuration (see README, "Run on your data")')
    .option('--force <stages...>', 'rerun these stages even when their outputs are current')
    .action(async (config: string, o: { force?: string[] }) => {
      const { runRun } = await import('./commands/run.ts');
      const { terminalUi } = await import('./ui.ts');
      await runRun({ config, force: o.force }, terminalUi());
    });

  program
    .command('simulate')
    .description('write the simulated Music Genre fMRI dataset (rendered music, BOLD, atlas, ground truth) and a music library')
    .requiredOption('--out <DIR>', 'output folder (an existing one is resumed)')
    .option('--preset <name>', 'demo (2 subjects, 100 clips, ~10k voxels) or paper (5 subjects, 540 clips, ~60k voxels)', 'demo')
    .option('--subjects <n>', 'number of subjects (default: the preset\'s)', parsePositiveInt('--subjects'))
    .option('--seed <s>', 'random seed (same seed: byte-identical files)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--seed must be a non-negative integer, got '${v}'.`);
      return n;
    })
    .option('--library <n>', 'library clips to render (default 500 demo, 5000 paper; 0 = none)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--library must be a non-negative integer, got '${v}'.`);
      return n;
    })
    .option('--raw', 'also write raw BOLD runs (.nii.gz) for the paper preset')
    .option('--workers <n>', 'render threads (default: all cores)', parsePositiveInt('--workers'))
    .action(async (o: { out: string; preset: 'demo' | 'paper'; subjects?: number; seed?: number; library?: number; raw?: boolean; workers?: number }) => {
      const { runSimulate } = await import('./commands/simulate.ts');
      const { terminalUi } = await import('./ui.ts');
      await runSimulate(o, terminalUi());
    });

  program
    .command('serve')
    .description('serve a run folder (report and files) read-only on 127.0.0.1')
    .argument('<RUN>', 'run folder')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0: any free port)', parsePort, 8000)
    .action(async (run: string, o: { port: number }) => {
      const { runServe } = await import('./commands/serve.ts');
      const { terminalUi } = await import('./ui.ts');
      await runServe({ run, port: o.port }, terminalUi());
    });

  return program;
}
