import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The package root (where package.json lives), found from this file's location (src/run or dist/run). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Versions to record in run.json: brain2music's own, Node's, and the installed version of every
 * runtime dependency in package.json ('missing' when not installed).
 */
export function packageVersions(): { brain2music: string; node: string; platform: string; packages: Record<string, string> } {
  const pkg = readJson(join(PROJECT_ROOT, 'package.json')) ?? {};
  const deps = (pkg.dependencies ?? {}) as Record<string, string>;
  const packages: Record<string, string> = {};
  for (const name of Object.keys(deps).sort()) {
    const installed = readJson(join(PROJECT_ROOT, 'node_modules', name, 'package.json'));
    packages[name] = typeof installed?.version === 'string' ? installed.version : 'missing';
  }
  return {
    brain2music: typeof pkg.version === 'string' ? pkg.version : 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages,
  };
}
