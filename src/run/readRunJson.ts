import { existsSync, readFileSync } from 'node:fs';
import { fail } from '../errors.ts';

/**
 * A JSON file of a run folder, or undefined when it does not exist.
 * @throws BAD_FILE when it exists but is not valid JSON (naming the file and the fix)
 */
export function readRunJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    return fail('BAD_FILE', `${path} is not valid JSON (${(err as Error).message}); rerun the stage that writes it.`);
  }
}
