import { listenJob, scoreListeningJob, type ListenJobInput, type ListenJobResult, type ScoreListeningResult } from '../../pipeline/jobs/listen.ts';
import type { CliUi } from '../ui.ts';

export interface ListenOptions extends Omit<ListenJobInput, 'runDir'> {
  /** The run folder. */
  run: string;
  /** Score the answers instead of serving the page. */
  score?: boolean;
}

/**
 * `brain2music listen RUN [--port N] [--trials N] [--kind generated|retrieved] [--seed S]`: serves
 * the listening test on 127.0.0.1 and returns the running server (the process stays up until
 * interrupted); with `--score`, scores the answers recorded so far and returns the scores.
 */
export async function runListen(opts: ListenOptions, ui: CliUi): Promise<ListenJobResult | ScoreListeningResult> {
  if (opts.score) {
    const res = scoreListeningJob(opts.run, ui);
    for (const line of res.lines) ui.info(line);
    ui.info(`wrote ${res.output}`);
    return res;
  }
  const res = await listenJob({ ...opts, runDir: opts.run }, ui);
  const t = res.session.trials;
  ui.info(`listening test of ${opts.run}: ${t.length} ${res.session.kind} trials (${t.filter((x) => x.foilGenreMatch).length} with a genre-matched foil), seed ${res.session.seed}`);
  ui.info(`open ${res.url} in a browser, one listener at a time; answers go to ${opts.run}/listening/<listener>.jsonl; press Ctrl+C to stop`);
  return res;
}
