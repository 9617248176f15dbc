import { InvalidArgumentError } from 'commander';
import { Brain2MusicError } from '../errors.ts';
import type { Field } from '../pipeline/index.ts';

/**
 * A commander parser for `flag` that accepts exactly what the configuration field accepts:
 * the text is read as a number when the field wants one, then checked by the field, so a flag
 * and its configuration key cannot disagree.
 */
export function fieldParser<T>(flag: string, field: Field<T>): (value: string) => T {
  return (text: string): T => {
    const numeric = text.trim() !== '' && Number.isFinite(Number(text));
    try {
      return field.check(numeric && /number|integer/.test(field.expected) ? Number(text) : text, flag, 'command line');
    } catch (err) {
      if (err instanceof Brain2MusicError) throw new InvalidArgumentError(`${flag} must be ${field.expected}, got '${text}'.`);
      throw err;
    }
  };
}

/** A positive integer (counts: --rois, --batch, …). */
export function positiveInt(flag: string): (value: string) => number {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive integer, got '${text}'.`);
    return n;
  };
}

/** A non-negative integer (seeds, lags, counts that may be 0). */
export function nonNegativeInt(flag: string): (value: string) => number {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} must be an integer >= 0, got '${text}'.`);
    return n;
  };
}

/** A TCP port, 0 (any free port) to 65535. */
export function port(flag: string): (value: string) => number {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`${flag} must be a TCP port from 0 to 65535, got '${text}'.`);
    return n;
  };
}

/** A positive number of seconds. */
export function positiveSeconds(flag: string): (value: string) => number {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive number of seconds, got '${text}'.`);
    return n;
  };
}

/** One of the listed words. */
export function choice<const S extends string>(flag: string, values: readonly S[]): (value: string) => S {
  return (text: string): S => {
    if (!(values as readonly string[]).includes(text)) throw new InvalidArgumentError(`${flag} must be ${values.map((v) => `'${v}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}, got '${text}'.`);
    return text as S;
  };
}

/** Help text with the default shown one way everywhere: "… (default: X)". */
export function withDefault(help: string, value: unknown): string {
  return `${help} (default: ${Array.isArray(value) ? value.join(',') : String(value)})`;
}
