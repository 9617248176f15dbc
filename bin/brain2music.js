#!/usr/bin/env node
// Two routes to the same CLI. In a clone the TypeScript sources exist and run through tsx (a
// devDependency), so `npm run demo` and the tests always run the code as it is now, never a
// dist/ left over from an earlier build. An installed package has no src/ ("files" in
// package.json ships only dist/) and no devDependencies, so it runs the compiled dist/ that
// `npm pack` built (prepack). A clone installed without devDependencies falls back to dist/ too.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const tsx = existsSync(source) ? await loadTsx() : undefined;
if (tsx) {
  tsx.register();
  await import(source.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write(
    'error: brain2music has neither its TypeScript sources with tsx nor a build in dist/; ' +
      "in a clone run 'npm ci' (installs tsx), or 'npm run build' to compile dist/.\n",
  );
  process.exitCode = 70; // EXIT_CODES.INTERNAL in src/errors.ts: a broken install
}
