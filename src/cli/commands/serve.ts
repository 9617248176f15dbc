import { serveRun, type RunServer } from '../../report/index.ts';
import type { CliUi } from '../ui.ts';

export interface ServeOptions {
  /** The run folder to serve. */
  run: string;
  /** TCP port on 127.0.0.1 (0: any free port). */
  port: number;
}

/**
 * `brain2music serve RUN [--port N]`: serves the run's report and files read-only on
 * 127.0.0.1 and returns the running server (the process stays up until interrupted).
 */
export async function runServe(opts: ServeOptions, ui: CliUi): Promise<RunServer> {
  const server = await serveRun(opts.run, opts.port);
  ui.info(`serving ${opts.run} read-only at ${server.url} (report: ${server.url}report/index.html); press Ctrl+C to stop`);
  return server;
}
