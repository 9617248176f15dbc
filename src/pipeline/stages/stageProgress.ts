import type { ProgressFn } from '../../cli/ui.ts';
import type { StageRunContext } from '../stage.ts';

/**
 * A `(task, done, total)` callback that keeps one progress bar per task name, for stage APIs
 * that report several tasks (rendering, fitting, …); a bar ends when its task completes.
 */
export function progressByTask(ctx: StageRunContext, prefix = ''): (task: string, done: number, total: number) => void {
  const bars = new Map<string, { update: ProgressFn; end(): void }>();
  return (task, done, total) => {
    const name = prefix ? `${prefix} ${task}` : task;
    let bar = bars.get(name);
    if (!bar) {
      bar = ctx.progress(name);
      bars.set(name, bar);
    }
    bar.update(done, total);
    if (done >= total) {
      bar.end();
      bars.delete(name);
    }
  };
}
