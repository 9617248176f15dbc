import { spawnSync } from 'node:child_process';

/** The Python the tests compare against (Debian's, with numpy and scipy). */
export const PY = '/usr/bin/python3';

/** Runs a Python script that prints one JSON value, with `args` as sys.argv[1:], and parses it. */
export function python<T>(script: string, ...args: string[]): T {
  return pythonWithInput<T>(script, '', ...args);
}

/** {@link python} with `input` on the script's standard input (for data too large for argv). */
export function pythonWithInput<T>(script: string, input: string, ...args: string[]): T {
  const r = spawnSync(PY, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, input });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
