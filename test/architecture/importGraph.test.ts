// The floors of the house (docs/design and README "Layout"), read from the sources' imports: an
// import never runs up a floor, and a folder is entered only through its index.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const SRC = resolve('src');

/** Every .ts file under src, as a path relative to src with '/'. */
function sources(dir = SRC): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return n.endsWith('.ts') ? [relative(SRC, p).split(sep).join('/')] : [];
  });
}

/** Relative module specifiers a file imports (static, re-exports, dynamic, type-only alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

/** The top-level unit of a src path: its folder, or the file itself for src/*.ts. */
const unitOf = (p: string) => (p.includes('/') ? p.split('/')[0]! : p.replace(/\.ts$/, ''));

const GROUND = new Set(['errors', 'progress', 'defaults', 'threads', 'workerPool']);
const FORMATS = new Set(['io', 'linalg', 'dsp']);
const SCIENCE = new Set(['bids', 'ridge', 'stats', 'embed', 'align', 'decode', 'encode', 'library', 'music', 'generate', 'evaluate', 'simulate']);
/** Floor of each unit: an import must go to the same floor or one below. */
function floor(u: string): number {
  if (GROUND.has(u) || u === 'index') return u === 'index' ? 9 : 0;
  if (FORMATS.has(u)) return 1;
  if (u === 'run') return 2;
  if (SCIENCE.has(u)) return 3;
  return { report: 4, pipeline: 5, cli: 6 }[u] ?? -1;
}

const edges = sources().flatMap((from) => importsOf(from).map((spec) => ({ from, to: relative(SRC, resolve(dirname(join(SRC, from)), spec)).split(sep).join('/') })));

test('import graph: every source file is on a known floor', () => {
  const unknown = [...new Set(sources().map(unitOf))].filter((u) => floor(u) < 0);
  assert.deepEqual(unknown, [], 'add these folders to a floor');
  assert.ok(edges.length > 300, `${edges.length} imports read`);
});

test('import graph: no import runs up a floor (io and linalg import only the ground floor; the science never imports pipeline, report or cli)', () => {
  const up = edges.filter(({ from, to }) => unitOf(from) !== unitOf(to) && floor(unitOf(to)) > floor(unitOf(from)));
  assert.deepEqual(up.map((e) => `${e.from} → ${e.to}`), []);
  const formats = edges.filter(({ from, to }) => FORMATS.has(unitOf(from)) && unitOf(to) !== unitOf(from) && !GROUND.has(unitOf(to)));
  assert.deepEqual(formats.map((e) => `${e.from} → ${e.to}`), [], 'io/linalg/dsp import only errors, progress, defaults and threads');
});

test('import graph: the report reads the run folder through run/, never the pipeline or the CLI', () => {
  const bad = edges.filter(({ from, to }) => unitOf(from) === 'report' && ['pipeline', 'cli'].includes(unitOf(to)));
  assert.deepEqual(bad.map((e) => `${e.from} → ${e.to}`), []);
  assert.ok(edges.some(({ from, to }) => unitOf(from) === 'report' && unitOf(to) === 'run'), 'the report reads run/');
});

test('import graph: a folder is entered through its index.ts (the CLI also through the pipeline\'s jobs, one per stage)', () => {
  const allowed = (from: string, to: string) => {
    const u = unitOf(to);
    if (!to.includes('/') || unitOf(from) === u) return true;
    if (to === `${u}/index.ts`) return true;
    return unitOf(from) === 'cli' && (/^pipeline\/jobs\/[^/]+\.ts$/.test(to) || to === 'pipeline/stages/index.ts');
  };
  const bad = edges.filter(({ from, to }) => !allowed(from, to));
  assert.deepEqual(bad.map((e) => `${e.from} → ${e.to}`), []);
});
