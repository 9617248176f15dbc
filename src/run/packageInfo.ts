import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The package root (where package.json lives), found from this file's location (src/run or dist/run). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The package.json of dependency `name` as Node would find it from PROJECT_ROOT: in
 * node_modules/ there or in a folder above (an installed brain2music has its dependencies
 * hoisted beside it, in the installing project's node_modules). Not `require.resolve`: most
 * packages' `exports` do not expose package.json.
 */
function dependencyJson(name: string): Record<string, unknown> | undefined {
  for (let dir = PROJECT_ROOT; ; dir = dirname(dir)) {
    const found = readJson(join(dir, 'node_modules', name, 'package.json'));
    if (found || dirname(dir) === dir) return found;
  }
}

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
    const installed = dependencyJson(name);
    packages[name] = typeof installed?.version === 'string' ? installed.version : 'missing';
  }
  return {
    brain2music: typeof pkg.version === 'string' ? pkg.version : 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages,
  };
}
