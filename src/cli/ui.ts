import cliProgress from 'cli-progress';

/** Progress reported by long-running library functions: `done` of `total` units. */
export type ProgressFn = (done: number, total: number, label?: string) => void;

/** What a command needs to talk to the user; tests pass a silent one. */
export interface CliUi {
  info(line: string): void;
  warn(line: string): void;
  /** A progress reporter for one task; call `end()` when finished. */
  progress(task: string): { update: ProgressFn; end(): void };
}

/**
 * The terminal UI: a bar with ETA on a TTY, plain lines (about every 10%) when not, so logs
 * from CI or a pipe stay readable.
 */
export function terminalUi(stream: NodeJS.WriteStream = process.stderr): CliUi {
  return {
    info: (line) => process.stdout.write(line + '\n'),
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
export const silentUi: CliUi = {
  info() {},
  warn() {},
  progress: () => ({ update() {}, end() {} }),
};
