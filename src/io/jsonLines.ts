import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail } from '../errors.ts';

/** A JSON-lines file as read: the values of its complete lines, and a torn last line if there was one. */
export interface JsonLines {
  values: unknown[];
  /** The last line when it is not valid JSON (a write cut short by a crash): left out of `values`. */
  torn?: { line: number; text: string };
  /** Bytes up to the end of the last valid line (what `dropTornLine` keeps). */
  validBytes: number;
}

/**
 * Reads a JSON-lines file (one JSON value per line, UTF-8). Only the last line may be torn (not
 * valid JSON, or cut before its newline, as a crash during an append leaves it): it is returned
 * as `torn`, never parsed, and every earlier line is kept. A missing file reads as empty.
 * @throws BAD_FILE when a line before the last is not valid JSON (the file was damaged, not torn)
 */
export function readJsonLines(path: string): JsonLines {
  if (!existsSync(path)) return { values: [], validBytes: 0 };
  const buf = readFileSync(path);
  const values: unknown[] = [];
  let start = 0;
  let line = 0;
  let validBytes = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    const text = buf.subarray(start, end).toString('utf8');
    line++;
    const last = nl === -1 || nl === buf.length - 1;
    let value: unknown;
    let ok = nl !== -1;
    if (ok && text.trim() !== '') {
      try {
        value = JSON.parse(text);
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      if (last) return { values, torn: { line, text }, validBytes };
      fail('BAD_FILE', `${path} line ${line} is not valid JSON, and lines follow it: the file was damaged, not cut short by a crash; restore it from a copy or remove that line.`);
    }
    if (text.trim() !== '') values.push(value);
    start = end + 1;
    validBytes = start;
  }
  return { values, validBytes };
}

/** Cuts a torn last line off (keeps the first `validBytes` bytes), so that the next append starts a line of its own. */
export function dropTornLine(path: string, validBytes: number): void {
  truncateSync(path, validBytes);
}

/**
 * Appends `value` as one JSON line and flushes it to the disk (fsync) before returning, so a
 * crash afterwards loses nothing and a crash during the write tears at most this line (which
 * `readJsonLines` then leaves out). A new file's folder is flushed too, so the file itself survives.
 */
export function appendJsonLine(path: string, value: unknown): void {
  const isNew = !existsSync(path);
  if (isNew) mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, JSON.stringify(value) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (isNew) {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
