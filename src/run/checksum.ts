import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';

/** A remembered checksum: reused while the file's size and modification time are unchanged. */
export interface ChecksumEntry {
  sha256: string;
  size: number;
  mtimeMs: number;
}

/** Path → checksum cache, persisted in run.json so that big datasets are hashed once. */
export type ChecksumCache = Record<string, ChecksumEntry>;

function hashFile(path: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * SHA-256 of a file, or of a folder: the hash of its sorted `relative/path<TAB>sha256` lines over
 * every file inside (names starting with '.' are skipped: temporary and staging files). Symbolic
 * links are followed. A file whose size and mtime match its `cache` entry is not re-read; the
 * cache is updated in place.
 * @throws NOT_FOUND when `path` does not exist
 */
export function checksumPath(path: string, cache: ChecksumCache = {}): string {
  let st;
  try {
    st = statSync(path);
  } catch {
    fail('NOT_FOUND', `input ${path} does not exist; check the path in the configuration or rerun the stage that writes it.`);
  }
  if (st.isDirectory()) {
    const lines: string[] = [];
    const walk = (dir: string, rel: string) => {
      for (const name of readdirSync(dir).sort()) {
        if (name.startsWith('.')) continue;
        const abs = join(dir, name);
        const r = rel ? `${rel}/${name}` : name;
        if (statSync(abs).isDirectory()) walk(abs, r);
        else lines.push(`${r}\t${checksumPath(abs, cache)}\n`);
      }
    };
    walk(path, '');
    return createHash('sha256').update(lines.join('')).digest('hex');
  }
  const hit = cache[path];
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.sha256;
  const sha256 = hashFile(path);
  cache[path] = { sha256, size: st.size, mtimeMs: st.mtimeMs };
  return sha256;
}

/** True when `path` exists (file, folder, or a symbolic link that resolves). */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
