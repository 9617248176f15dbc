import cliProgress from 'cli-progress';

import { silentReporter, type Reporter } from '../progress.ts';

export type { ProgressFn } from '../progress.ts';

/** What a command needs to talk to the user: the jobs' `Reporter`. */
export type CliUi = Reporter;

/**
 * The terminal UI: a bar with ETA on a TTY, plain lines (about every 10%) when not, so logs
 * from CI or a pipe stay readable. With `json`, the lines go to stderr too, so that stdout holds
 * only the command's JSON result.
 */
export function terminalUi(opts: { json?: boolean } = {}, stream: NodeJS.WriteStream = process.stderr): CliUi {
  const out = opts.json ? stream : process.stdout;
  return {
    info: (line) => out.write(line + '\n'),
    warn: (line) => stream.write(`warning: ${line}\n`),
    progress(task) {
      if (stream.isTTY) {
        const bar = new cliProgress.SingleBar(
          { format: `${task} [{bar}] {value}/{total} {percentage}% ETA {eta_formatted}`, stream, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        return {
          update(done, total) {
            if (!started) { bar.start(total, done); started = true; } else { bar.setTotal(total); bar.update(done); }
          },
          end() { if (started) bar.stop(); },
        };
      }
      let lastDecile = -1;
      const t0 = Date.now();
      return {
        update(done, total) {
          const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
          if (decile !== lastDecile) {
            lastDecile = decile;
            const s = ((Date.now() - t0) / 1000).toFixed(1);
            stream.write(`${task}: ${done}/${total} (${s} s)\n`);
          }
        },
        end() {},
      };
    },
  };
}

/** A UI that prints nothing (tests, library use). */
export const silentUi: CliUi = silentReporter;
