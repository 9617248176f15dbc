// How long-running work talks to the user. The CLI implements `Reporter` (bars on a terminal,
// plain lines in logs); tests and library users pass `silentReporter`. Nothing here imports cli/.

/** Progress of one task: `done` of `total` units. */
export type ProgressFn = (done: number, total: number, label?: string) => void;

/** A progress reporter for one task; call `end()` when it finishes. */
export interface TaskProgress {
  update: ProgressFn;
  end(): void;
}

/** What a job needs to talk to the user. */
export interface Reporter {
  info(line: string): void;
  warn(line: string): void;
  progress(task: string): TaskProgress;
}

/** A reporter that prints nothing. */
export const silentReporter: Reporter = {
  info() {},
  warn() {},
  progress: () => ({ update() {}, end() {} }),
};

/** A reporter whose task names all start with `prefix` (e.g. the stage name). */
export function prefixedReporter(reporter: Reporter, prefix: string): Reporter {
  return { info: reporter.info, warn: reporter.warn, progress: (task) => reporter.progress(`${prefix}${task}`) };
}

/**
 * A `(task, done, total)` callback that keeps one progress bar per task name, for APIs that
 * report several tasks (rendering, fitting, …); a bar ends when its task completes.
 */
export function progressByTask(reporter: Reporter, prefix = ''): (task: string, done: number, total: number) => void {
  const bars = new Map<string, TaskProgress>();
  return (task, done, total) => {
    const name = prefix ? `${prefix} ${task}` : task;
    let bar = bars.get(name);
    if (!bar) {
      bar = reporter.progress(name);
      bars.set(name, bar);
    }
    bar.update(done, total);
    if (done >= total) {
      bar.end();
      bars.delete(name);
    }
  };
}
