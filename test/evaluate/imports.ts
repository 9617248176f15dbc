// The evaluate tests import from the public index, so they also guard the export surface.
import assert from 'node:assert/strict';
import { Brain2MusicError, type ErrorCode } from '../../src/errors.ts';
export * from '../../src/evaluate/index.ts';

/** Asserts `fn` throws a Brain2MusicError with `code`. */
export function assertFails(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof Brain2MusicError && err.code === code);
}
