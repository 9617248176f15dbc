// `npm run build` (run by `prepack`, so `npm pack` and `npm publish` always ship a fresh build):
// compiles src/ to dist/ (ES modules and .d.ts declarations) with tsconfig.build.json,
// then copies the files the code reads at run time beside its compiled modules, so the paths it
// builds from `import.meta.url` (report assets, the builtin projection) resolve the same from
// src/ and dist/. A clone never needs dist/: bin/brain2music.js runs the sources through tsx there,
// so there is no `prepare` script: it would build on every `npm ci` of a clone. (npm runs only
// `prepare` when it installs from a git URL, so such an install gets no dist/: install the tarball.)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

/**
 * Non-TypeScript files under src/ that exist only for the tsx route and must not ship: the worker
 * entries that register tsx before loading their TypeScript body (builtinWorker.ts;
 * dist loads the compiled .js).
 */
const TSX_ONLY = new Set(['embed/builtin/builtinWorker.mjs']);

/** Every file under `dir`, as paths relative to src/ with '/' separators. */
function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(relative(SRC, p).split('\\').join('/'));
  }
  return out;
}

/** The run-time assets: every file under src/ tsc does not compile, minus the tsx-only ones. */
export function runtimeAssets() {
  return listFiles(SRC).filter((f) => !f.endsWith('.ts') && !TSX_ONLY.has(f)).sort();
}

function build() {
  // a clean dist/, so a module deleted from src/ cannot linger in the package
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (res.status !== 0) {
    console.error('build: tsc -p tsconfig.build.json failed');
    process.exit(res.status ?? 1);
  }
  const assets = runtimeAssets();
  for (const f of assets) {
    mkdirSync(dirname(join(DIST, f)), { recursive: true });
    copyFileSync(join(SRC, f), join(DIST, f));
  }
  console.error(`build: compiled src/ to dist/ and copied ${assets.length} run-time assets (${assets.join(', ')})`);
}

if (import.meta.url === `file://${process.argv[1]}`) build();
