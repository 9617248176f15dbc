import { fail } from '../errors.ts';
import type { GemmBackend } from './backend.ts';
import { createJsBackend } from './backends/js.ts';

/** Builds a backend; may throw (e.g. a native binary that cannot load). */
export type BackendFactory = () => GemmBackend | Promise<GemmBackend>;

interface Entry {
  factory: BackendFactory;
  priority: number;
  instance?: Promise<GemmBackend>;
  error?: unknown;
}

// name → factory; higher priority is preferred. The onnx factory imports onnxruntime-node only when called.
const entries = new Map<string, Entry>([
  ['onnx', { factory: async () => (await import('./backends/onnx.ts')).createOnnxBackend(), priority: 2 }],
  ['js', { factory: createJsBackend, priority: 1 }],
]);
let forced: string | null = null;
let warn: (message: string) => void = (message) => process.emitWarning(message, 'Brain2MusicWarning');

/** Registers (or replaces) a backend under `name`; higher `priority` wins in automatic choice. */
export function registerBackend(name: string, factory: BackendFactory, priority: number): void {
  entries.set(name, { factory, priority });
}

/** Names of the registered backends, preferred first. */
export function listBackends(): string[] {
  return [...entries.entries()].sort((x, y) => y[1].priority - x[1].priority).map(([n]) => n);
}

/**
 * Forces every `matmul` to use backend `name` (e.g. 'js' to benchmark the fallback);
 * `null` restores automatic choice. Fails on an unknown name, listing the known ones.
 */
export function useBackend(name: string | null): void {
  if (name !== null && !entries.has(name)) fail('BAD_INPUT', `Unknown GEMM backend '${name}'; known: ${listBackends().join(', ')}.`);
  forced = name;
}

/** The backend forced with {@link useBackend}, or null when the choice is automatic. */
export function forcedBackend(): string | null {
  return forced;
}

/** Where fallback warnings go (default: `process.emitWarning`). */
export function setLinalgWarningHandler(fn: (message: string) => void): void {
  warn = fn;
}

async function instantiate(name: string): Promise<GemmBackend> {
  const e = entries.get(name);
  if (!e) return fail('BAD_INPUT', `Unknown GEMM backend '${name}'; known: ${listBackends().join(', ')}.`);
  if (e.error !== undefined) throw e.error;
  if (!e.instance) {
    e.instance = Promise.resolve().then(e.factory);
    e.instance.catch((err: unknown) => {
      e.error = err;
      e.instance = undefined;
    });
  }
  return e.instance;
}

/**
 * The backend to use: the named one, else the forced one, else the highest-priority backend that
 * starts. A backend that fails to start is skipped with a warning naming it and the reason.
 */
export async function getBackend(name?: string): Promise<GemmBackend> {
  const want = name ?? forced;
  if (want) return instantiate(want);
  let lastError: unknown;
  for (const n of listBackends()) {
    const e = entries.get(n);
    if (e?.error !== undefined) continue;
    try {
      return await instantiate(n);
    } catch (err) {
      lastError = err;
      const msg = err instanceof Error ? err.message : String(err);
      const next = listBackends().find((m) => m !== n && entries.get(m)?.error === undefined);
      warn(`GEMM backend '${n}' could not start (${msg.split('\n')[0]}); falling back to '${next ?? 'none'}', which is slower.`);
    }
  }
  return fail('INTERNAL', `No GEMM backend could start: ${String(lastError)}`);
}
