import { existsSync, statSync } from 'node:fs';
import { LISTEN_DEFAULTS } from '../../defaults.ts';
import { fail } from '../../errors.ts';
import type { ListeningScore } from '../../evaluate/index.ts';
import { writeJsonAtomic } from '../../io/index.ts';
import type { Reporter } from '../../progress.ts';
import { listeningLines, listeningScores, prepareListening, serveListening, type RunServer } from '../../report/index.ts';
import { runLayout, runPath, type ListeningKind, type ListeningSession } from '../../run/index.ts';

export interface ListenJobInput {
  /** The run folder whose reconstructions are heard. */
  runDir: string;
  /** generated (default) or retrieved. */
  kind?: ListeningKind;
  /** Trials per listener (default 20). */
  trials?: number;
  /** Seed of the trials (default 0). */
  seed?: number;
  /** TCP port on 127.0.0.1 (default 8001; 0: any free port). */
  port?: number;
}

export interface ListenJobResult {
  session: ListeningSession;
  server: RunServer;
  /** The page's address. */
  url: string;
}

function checkRun(runDir: string): void {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) fail('NOT_FOUND', `run folder ${runDir} does not exist; pass the folder given as "out" to brain2music run or demo.`);
}

/**
 * The listening test's job, run by `brain2music listen RUN`: draws (or reuses) the trials of RUN,
 * writes the page into RUN/listening/page/ and serves it with its answer API on 127.0.0.1 until
 * the server is closed. Answers go to RUN/listening/<listener>.jsonl.
 */
export async function listenJob(input: ListenJobInput, reporter: Reporter): Promise<ListenJobResult> {
  checkRun(input.runDir);
  const session = await prepareListening({
    runDir: input.runDir, kind: input.kind ?? LISTEN_DEFAULTS.kind, nTrials: input.trials ?? LISTEN_DEFAULTS.trials, seed: input.seed ?? LISTEN_DEFAULTS.seed,
  }, reporter);
  const server = await serveListening(input.runDir, session, input.port ?? LISTEN_DEFAULTS.port, reporter);
  return { session, server, url: `${server.url}index.html` };
}

export interface ScoreListeningResult {
  scores: ListeningScore[];
  /** The scores as plain lines, every number with n and chance. */
  lines: string[];
  /** Run-relative file written: listening/score.json. */
  output: string;
}

/**
 * Scores every answer in RUN/listening/*.jsonl (`brain2music listen RUN --score`): per kind of
 * test, overall, per subject and per listener, split by genre-matched and mismatched foils, with
 * the agreement between listeners; written to RUN/listening/score.json.
 * @throws NOT_FOUND when the run folder has no answers
 */
export function scoreListeningJob(runDir: string, reporter: Reporter): ScoreListeningResult {
  checkRun(runDir);
  const scores = listeningScores(runDir, reporter);
  if (scores.length === 0) fail('NOT_FOUND', `${runPath(runDir, runLayout.listening)} holds no answers yet; run 'brain2music listen ${runDir}' and let a listener answer first.`);
  writeJsonAtomic(runPath(runDir, runLayout.listeningScore), scores);
  return { scores, lines: scores.flatMap(listeningLines), output: runLayout.listeningScore };
}
