import { fail } from '../errors.ts';

/**
 * A tiny typed schema for JSON configuration: each `Field<T>` checks one value and returns it as
 * `T`, or throws BAD_INPUT naming the file, the dotted key path, what was expected and what was
 * found. Objects reject unknown keys and list the known ones, so a misspelled option never falls
 * through to a default. (Hand-written: no schema library is installed and this needs ~100 lines.)
 */
export interface Field<T> {
  /** Human description of what is accepted, used in error messages ("an integer ≥ 1"). */
  readonly expected: string;
  /** Checks `value` found at `path` (e.g. "decode.topRois") of `source` (the config file). */
  check(value: unknown, path: string, source: string): T;
  /** Value used when the key is absent; undefined means the key is required. */
  readonly fallback?: () => T;
  /** What the key is for (docs/configuration.md is generated from these). */
  readonly help?: string;
  /** An object's keys (from {@link obj}), for documentation. */
  readonly fields?: Record<string, Field<unknown>>;
  /** The two forms of an {@link either} field, with the key telling them apart. */
  readonly variants?: readonly { key: string; field: Field<unknown> }[];
}

/** The same field with its documentation. */
export function doc<T>(field: Field<T>, help: string): Field<T> {
  return { ...field, help };
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function bad(source: string, path: string, expected: string, value: unknown): never {
  fail('BAD_INPUT', `${source}: '${path}' must be ${expected}, got ${show(value)}. Fix that value in the configuration.`);
}

/** A string; `nonEmpty` by default. */
export function str(): Field<string> {
  const expected = 'a non-empty string';
  return { expected, check: (v, p, s) => (typeof v === 'string' && v.length > 0 ? v : bad(s, p, expected, v)) };
}

/** An integer within [min, max]. */
export function int(min = -Infinity, max = Infinity): Field<number> {
  const range = max === Infinity ? (min === -Infinity ? '' : ` ≥ ${min}`) : ` in [${min}, ${max}]`;
  const expected = `an integer${range}`;
  return { expected, check: (v, p, s) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : bad(s, p, expected, v)) };
}

/** A finite number within (exclusiveMin, max]. */
export function num(exclusiveMin = -Infinity, max = Infinity): Field<number> {
  const expected = `a number${exclusiveMin === -Infinity ? '' : ` > ${exclusiveMin}`}${max === Infinity ? '' : ` and ≤ ${max}`}`;
  return { expected, check: (v, p, s) => (typeof v === 'number' && Number.isFinite(v) && v > exclusiveMin && v <= max ? v : bad(s, p, expected, v)) };
}

/** A boolean. */
export function bool(): Field<boolean> {
  const expected = 'true or false';
  return { expected, check: (v, p, s) => (typeof v === 'boolean' ? v : bad(s, p, expected, v)) };
}

/** One of the listed strings. */
export function oneOf<const S extends string>(values: readonly S[]): Field<S> {
  const expected = `one of ${values.map((x) => `'${x}'`).join(', ')}`;
  return { expected, check: (v, p, s) => ((values as readonly unknown[]).includes(v) ? (v as S) : bad(s, p, expected, v)) };
}

/** An array whose items all pass `item`; at least `minItems` of them. */
export function list<T>(item: Field<T>, minItems = 0): Field<T[]> {
  const expected = `a list${minItems > 0 ? ` of at least ${minItems}` : ''} of ${item.expected.replace(/^an? /, '')}s`;
  return {
    expected,
    check(v, p, s) {
      if (!Array.isArray(v) || v.length < minItems) bad(s, p, expected, v);
      return v.map((x, i) => item.check(x, `${p}[${i}]`, s));
    },
  };
}

/** The value of `field`, or `value` when the key is absent. */
export function withDefault<T>(field: Field<T>, value: T | (() => T)): Field<T> {
  return { ...field, fallback: typeof value === 'function' ? (value as () => T) : () => value };
}

/** An object whose absence means every key at its default (declared once, on the keys). */
export function withDefaults<T>(field: Field<T>): Field<T> {
  return { ...field, fallback: () => field.check({}, '', 'defaults') };
}

/** A key that may be absent (undefined) or null. */
export function optional<T>(field: Field<T>): Field<T | undefined> {
  return {
    ...field,
    expected: field.expected,
    fallback: () => undefined,
    check: (v, p, s) => (v === undefined || v === null ? undefined : field.check(v, p, s)),
  } as Field<T | undefined>;
}

type Shape = Record<string, Field<unknown>>;
type FromShape<S extends Shape> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/** A JSON object with exactly the keys of `shape` (absent keys take their default). */
export function obj<S extends Shape>(shape: S): Field<FromShape<S>> {
  const expected = 'an object';
  return {
    expected,
    fields: shape,
    check(v, p, s) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(s, p || '(top level)', expected, v);
      const record = v as Record<string, unknown>;
      const known = Object.keys(shape);
      for (const key of Object.keys(record)) {
        if (!known.includes(key)) {
          fail('BAD_INPUT', `${s}: unknown key '${p ? p + '.' : ''}${key}'. Known keys here: ${known.join(', ')}.`);
        }
      }
      const out: Record<string, unknown> = {};
      for (const key of known) {
        const field = shape[key]!;
        const at = p ? `${p}.${key}` : key;
        if (record[key] === undefined) {
          if (!field.fallback) fail('BAD_INPUT', `${s}: missing key '${at}' (${field.expected}). Add it to the configuration.`);
          out[key] = field.fallback();
        } else {
          out[key] = field.check(record[key], at, s);
        }
      }
      return out as FromShape<S>;
    },
  };
}

/** Either `a` or `b`, told apart by which of their keys the object has. */
export function either<A, B>(a: Field<A>, aKey: string, b: Field<B>, bKey: string): Field<A | B> {
  const expected = `an object with either '${aKey}' or '${bKey}'`;
  return {
    expected,
    variants: [{ key: aKey, field: a as Field<unknown> }, { key: bKey, field: b as Field<unknown> }],
    check(v, p, s) {
      const has = (k: string) => typeof v === 'object' && v !== null && k in v;
      if (has(aKey) && has(bKey)) fail('BAD_INPUT', `${s}: '${p}' has both '${aKey}' and '${bKey}'; give only one.`);
      if (has(aKey)) return a.check(v, p, s);
      if (has(bKey)) return b.check(v, p, s);
      return bad(s, p, expected, v);
    },
  };
}
