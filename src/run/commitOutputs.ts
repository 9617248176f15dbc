import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fail } from '../errors.ts';
import { pathExists } from './checksum.ts';

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(abs).isDirectory()) out.push(...listFiles(abs, r));
    else out.push(r);
  }
  return out;
}

/** Fails unless `p` is a plain run-relative path (no '..', no dot-files, not run.json). */
export function checkOutputPath(writer: string, p: string): void {
  if (isAbsolute(p) || p.split('/').some((part) => part === '..' || part === '' || part.startsWith('.')) || p === 'run.json') {
    fail('INTERNAL', `${writer} declared output '${p}', which is not a plain path inside the run folder.`);
  }
}

/**
 * Moves finished outputs from a staging folder (with the run folder's layout) into the run
 * folder. Each output is replaced by one rename, so readers see either the old or the new
 * version, never a mixture; a declared output missing, or a file written but not declared, is an
 * INTERNAL error before anything moves.
 * @param writer who wrote them, for messages ("stage decode", "brain2music decode")
 */
export function commitOutputs(writer: string, staging: string, runDir: string, outputs: readonly string[]): void {
  for (const out of outputs) {
    checkOutputPath(writer, out);
    if (!pathExists(join(staging, out))) fail('INTERNAL', `${writer} finished without writing its declared output ${out}.`);
  }
  const claimed = (f: string) => outputs.some((o) => f === o || f.startsWith(o + '/'));
  const stray = listFiles(staging).filter((f) => !claimed(f));
  if (stray.length > 0) fail('INTERNAL', `${writer} wrote files it did not declare: ${stray.slice(0, 5).join(', ')}.`);
  const old = join(runDir, '.staging', `${writer.replace(/[^A-Za-z0-9_-]+/g, '-')}.old`);
  for (const out of outputs) {
    const dst = join(runDir, out);
    mkdirSync(dirname(dst), { recursive: true });
    rmSync(old, { recursive: true, force: true });
    mkdirSync(dirname(old), { recursive: true });
    if (pathExists(dst)) renameSync(dst, old);
    renameSync(join(staging, out), dst);
    rmSync(old, { recursive: true, force: true });
  }
}
