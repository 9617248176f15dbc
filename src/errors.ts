/**
 * The one error class of brain2music. Every failure a user can act on is thrown as a
 * `Brain2MusicError` whose message says what is wrong, which file or value, and how to fix it.
 * The CLI maps `code` to an exit status and prints only the message (stack with `--debug`).
 */
export type ErrorCode =
  | 'BAD_INPUT' // a value or option the user gave is invalid
  | 'BAD_FILE' // a file exists but is corrupt, truncated or of the wrong kind
  | 'NOT_FOUND' // a file, folder, subject or model the user named is missing
  | 'MISMATCH' // two inputs disagree (shapes, clip ids, sample counts)
  | 'UNSUPPORTED' // a valid input this version cannot handle
  | 'JOB_FAILED' // a work unit run as a cluster job failed or did not finish (its log says why)
  | 'INTERNAL'; // a bug: please report it

export const EXIT_CODES: Record<ErrorCode, number> = {
  BAD_INPUT: 2,
  BAD_FILE: 3,
  NOT_FOUND: 4,
  MISMATCH: 5,
  UNSUPPORTED: 6,
  JOB_FAILED: 7,
  INTERNAL: 70,
};

export class Brain2MusicError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Brain2MusicError';
    this.code = code;
  }
}

/** Shorthand for `new Brain2MusicError(code, message)` in expression position. */
export function fail(code: ErrorCode, message: string, cause?: unknown): never {
  throw new Brain2MusicError(code, message, cause === undefined ? undefined : { cause });
}
