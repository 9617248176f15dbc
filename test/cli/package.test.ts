// The package as a user gets it: `npm pack` (prepack builds dist/), the tarball installed into an
// empty folder with production dependencies only, then its CLI and library API run from there
// with plain node (no tsx, no TypeScript). Slow by nature (an npm install), so everything shares
// one pack and one install.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy, writeNpy } from '../../src/io/index.ts';
import { createRng, type Matrix } from '../../src/linalg/index.ts';
import { closedForm, maxRelErr, predict } from '../ridge/reference.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
// The node running this test first on PATH, so the bin's `#!/usr/bin/env node` finds the same one;
// no NODE_OPTIONS (no loader may sneak in); and none of the variables `npm test` sets about this
// project, so the nested npm sees only the folder it runs in (npm ci empties node_modules there).
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(package_|lifecycle_|config_local_prefix$)/.test(k))),
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  NODE_OPTIONS: '',
};

let work = '';
let project = '';
let tarball = '';
const seconds: Record<string, number> = {};

function run(cmd: string, args: string[], cwd: string, what: string): SpawnSyncReturns<string> {
  const t0 = performance.now();
  const res = spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
  seconds[what] = (performance.now() - t0) / 1000;
  assert.equal(res.status, 0, `${what}: ${cmd} ${args.join(' ')} exited ${res.status}\n${res.stdout}\n${res.stderr}`);
  return res;
}

/**
 * A project depending on the tarball, with a lockfile that pins every other package to the
 * version in our package-lock.json (its non-dev entries). Installed with `npm ci` rather than
 * `npm install <tarball>`: without a lockfile npm resolves each transitive dependency from the
 * registry's metadata, which `npm ci` does not leave in npm's cache (ENOTCACHED for
 * @huggingface/transformers with --offline after a fresh `npm ci`), so it would need the network;
 * with it, every tarball comes from the cache the repository's own `npm ci` filled.
 */
function writeProject(dir: string, tgz: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const spec = `file:${tgz}`;
  const packages: Record<string, unknown> = {
    '': { name: 'brain2music-package-test', dependencies: { [PKG.name]: spec } },
    [`node_modules/${PKG.name}`]: {
      version: PKG.version, resolved: spec, integrity: `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`,
      dependencies: PKG.dependencies, bin: { brain2music: 'bin/brain2music.js' },
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev) packages[path] = entry;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'brain2music-package-test', private: true, dependencies: { [PKG.name]: spec } }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'brain2music-package-test', lockfileVersion: 3, requires: true, packages }, null, 2));
  // onnxruntime-node-install=skip, as in the repository (npm 11 runs no unapproved install script anyway)
  writeFileSync(join(dir, '.npmrc'), readFileSync(join(ROOT, '.npmrc')));
}

/** Runs an ES module script with plain node in the installed project; returns its stdout. */
function nodeScript(name: string, source: string, what: string): string {
  writeFileSync(join(project, name), source);
  return run(process.execPath, [name], project, what).stdout;
}

describe('the packed tarball installed with production dependencies only', () => {
  before(() => {
    // outside the repository, so node's resolution cannot fall back on our node_modules (tsx)
    work = mkdtempSync(join(tmpdir(), 'b2m-package-'));
    run('npm', ['pack', '--pack-destination', work], ROOT, 'npm pack (prepack: build)');
    const tgz = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    assert.deepEqual(tgz, [`${PKG.name}-${PKG.version}.tgz`]);
    tarball = join(work, tgz[0]);
    project = join(work, 'project');
    writeProject(project, tarball);
    run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], project, 'npm ci --omit=dev');
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds dist/ (with its run-time assets and workers), the bin, README and package.json, and no sources, tests, benches or caches', (t) => {
    t.diagnostic(`seconds: ${JSON.stringify(seconds)}`);
    const files = run('tar', ['-tzf', tarball], work, 'tar').stdout.trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
    for (const f of [
      'package.json', 'README.md', 'LICENSE', 'bin/brain2music.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js',
      'dist/report/assets/report.css', 'dist/report/assets/report.js', 'dist/embed/data/builtin-projection.json',
      'dist/linalg/eighWorker.js', 'dist/linalg/wasm/kernelWorker.js', 'dist/music/renderWorker.js', 'dist/music/arrangementRenderWorker.js', 'dist/stats/blockNullWorker.js', 'dist/decode/roiFitWorker.js', 'dist/workerPool.js',
    ]) assert.ok(files.includes(f), `the tarball lacks ${f}`);
    const stray = files.filter((f) => !/^(package\.json|README\.md|LICENSE|bin\/brain2music\.js|dist\/.+)$/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.mjs'));
    assert.deepEqual(stray, []);
  });

  test('the install has no devDependencies: tsx and typescript cannot be imported from it', () => {
    const probe = `for (const m of ['tsx', 'typescript']) await import(m).then(() => console.log(m + ' found'), () => {});`;
    assert.equal(run(process.execPath, ['--input-type=module', '-e', probe], project, 'probe').stdout, '');
  });

  test("brain2music --version prints package.json's version; --help lists the commands", () => {
    const bin = join(project, 'node_modules', '.bin', 'brain2music');
    assert.equal(run(bin, ['--version'], project, '--version').stdout.trim(), PKG.version);
    const help = run(bin, ['--help'], project, '--help').stdout;
    for (const cmd of ['demo', 'run', 'simulate', 'embed', 'decode', 'encode', 'library', 'retrieve', 'generate', 'ridge', 'serve']) {
      assert.match(help, new RegExp(`^\\s+${cmd}\\b`, 'm'), `--help does not list ${cmd}`);
    }
  });

  test('brain2music ridge --features-file X.npy --targets-file Y.npy writes coefficients and CV scores equal to float64 closed-form ridge', () => {
    const n = 48;
    const p = 5;
    const T = 3;
    const rng = createRng(5);
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    const y = new Float64Array(n * T);
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) {
      let s = 2 - t;
      for (let j = 0; j < p; j++) s += x[i * p + j] * Math.sin(1 + j + 3 * t);
      y[i * T + t] = s + (0.3 + t) * rng.normal();
    }
    writeNpy(join(work, 'X.npy'), x, [n, p]);
    writeNpy(join(work, 'Y.npy'), y, [n, T]);
    const out = join(work, 'ridge');
    const alphas = [0.1, 3, 100, 3000];
    run(join(project, 'node_modules', '.bin', 'brain2music'), ['ridge', '--features-file', join(work, 'X.npy'), '--targets-file', join(work, 'Y.npy'), '--alphas', alphas.join(','), '--cv', '4', '--out', out], project, 'ridge');

    const X: Matrix = { rows: n, cols: p, data: x };
    const Y: Matrix = { rows: n, cols: T, data: y };
    // independent CV: 4 contiguous folds of 12, each centred on its training rows, negative MSE averaged over folds
    const cv = new Float64Array(alphas.length * T);
    alphas.forEach((alpha, a) => {
      for (let f = 0; f < 4; f++) {
        const test = Array.from({ length: 12 }, (_, k) => 12 * f + k);
        const train = Array.from({ length: n }, (_, i) => i).filter((i) => Math.floor(i / 12) !== f);
        const pred = predict(closedForm(X, Y, alpha, train), X, test, T);
        test.forEach((i, r) => {
          for (let t = 0; t < T; t++) cv[a * T + t] -= (pred[r * T + t] - y[i * T + t]) ** 2 / 12 / 4;
        });
      }
    });
    const cvFile = readNpy(join(out, 'cv_scores.npy'));
    assert.deepEqual(cvFile.shape, [alphas.length, T]);
    assert.ok(maxRelErr(cvFile.data as Float64Array, cv) < 1e-6, `cv scores ${Array.from(cvFile.data as Float64Array)} vs ${Array.from(cv)}`);

    const best = readNpy(join(out, 'best_alphas.npy')).data as Float64Array;
    const coef = readNpy(join(out, 'coef.npy'));
    assert.deepEqual(coef.shape, [p, T]);
    const intercept = readNpy(join(out, 'intercept.npy')).data as Float32Array;
    for (let t = 0; t < T; t++) {
      const a = [0, 1, 2, 3].reduce((m, k) => (cv[k * T + t] > cv[m * T + t] ? k : m), 0);
      assert.equal(best[t], alphas[a], `target ${t}: best alpha`);
      const ref = closedForm(X, Y, alphas[a]);
      const want = Float64Array.from({ length: p }, (_, j) => ref.beta[j * T + t]);
      const got = Float64Array.from({ length: p }, (_, j) => (coef.data as Float32Array)[j * T + t]);
      assert.ok(maxRelErr(got, want) < 1e-5, `target ${t}: coef ${Array.from(got)} vs ${Array.from(want)}`); // float32 output
      const b0 = ref.ym[t] - want.reduce((s, w, j) => s + w * ref.xm[j], 0);
      assert.ok(Math.abs(intercept[t] - b0) < 1e-5 * Math.max(1, Math.abs(b0)), `target ${t}: intercept ${intercept[t]} vs ${b0}`);
    }
  });

  test("import('brain2music') gives the library API, whose fitRidgeCV reproduces the CLI's fit", () => {
    const names = [
      'fitRidgeCV', 'predictRidge', 'readNpy', 'writeNpy', 'readNifti', 'writeNifti', 'openDataset', 'createEmbedder', 'embedderNames',
      'decodeSubject', 'encodeSubject', 'evaluateDecoding', 'identificationAccuracy', 'fdrBh', 'parseRunConfig', 'runPipeline',
      'availableStages', 'buildReport', 'Brain2MusicError',
    ];
    const out = nodeScript('library.mjs', `
      const m = await import('brain2music');
      const X = m.readNpy(${JSON.stringify(join(work, 'X.npy'))});
      const Y = m.readNpy(${JSON.stringify(join(work, 'Y.npy'))});
      const fit = await m.fitRidgeCV({ rows: X.shape[0], cols: X.shape[1], data: X.data }, { rows: Y.shape[0], cols: Y.shape[1], data: Y.data }, { alphas: [0.1, 3, 100, 3000], folds: 4 });
      let error;
      try { m.parseRunConfig({ out: 'x' }, 'config.json', '/'); } catch (e) { error = { isB2M: e instanceof m.Brain2MusicError, code: e.code }; }
      console.log(JSON.stringify({
        types: Object.fromEntries(${JSON.stringify(names)}.map((k) => [k, typeof m[k]])),
        stages: m.availableStages().map((s) => s.name),
        embedders: m.embedderNames(),
        coef: Array.from(fit.coef), bestAlphas: Array.from(fit.bestAlphas), error,
      }));
    `, 'import');
    const res = JSON.parse(out) as { types: Record<string, string>; stages: string[]; embedders: string[]; coef: number[]; bestAlphas: number[]; error?: { isB2M: boolean; code: string } };
    assert.deepEqual(res.types, Object.fromEntries(names.map((k) => [k, 'function'])));
    assert.deepEqual(res.stages, ['simulate', 'embed', 'decode', 'library', 'retrieve', 'generate', 'encode', 'evaluate', 'report']);
    assert.ok(res.embedders.includes('builtin'), `embedders ${res.embedders}`);
    assert.deepEqual(res.error, { isB2M: true, code: 'BAD_INPUT' });
    assert.deepEqual(res.bestAlphas, Array.from(readNpy(join(work, 'ridge', 'best_alphas.npy')).data as Float64Array));
    assert.deepEqual(res.coef, Array.from(readNpy(join(work, 'ridge', 'coef.npy')).data as Float32Array));
  });

  test('from dist/: the report assets and builtin projection are found, the worker threads (eighMany, the WebAssembly kernels\' helper with its merge tasks, rendering, the builtin embedder, the ROI fits) start without tsx, run.json versions are read', () => {
    // module files by URL: the package's "exports" offer only the curated index
    const out = nodeScript('dist.mjs', `
      import { existsSync } from 'node:fs';
      import { join } from 'node:path';
      import { Worker } from 'node:worker_threads';
      const dist = new URL('./node_modules/brain2music/dist/', import.meta.url);
      const report = await import(new URL('report/index.js', dist));
      const embed = await import(new URL('embed/index.js', dist));
      const projection = await import(new URL('embed/builtin/projectionFile.js', dist));
      const run = await import(new URL('run/index.js', dist));
      const linalg = await import(new URL('linalg/index.js', dist));
      // the blocked eigh on the WebAssembly kernels, whose helper thread (wasm/kernelWorker.js)
      // loads the divide-and-conquer merge tasks from the compiled mergeTasks.js
      const kernels = (await import(new URL('linalg/wasm/kernels.js', dist))).wasmKernels();
      kernels.setThreads(2, (await import(new URL('linalg/eigh/mergeTasks.js', dist))).MERGE_TASK_TABLE);
      for (let i = 0; i < 400 && !kernels.parallelTasks; i++) await new Promise((r) => setTimeout(r, 25));
      const n = 300;
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = Math.sin(1 + 7 * i + 3 * j) + (i === j ? i / n : 0);
      const big = linalg.eigh(a, n, { threads: 2 });
      let res = 0;
      let norm = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < n; l++) s += a[i * n + l] * big.vectors[l * n + j];
        res = Math.max(res, Math.abs(s - big.values[j] * big.vectors[i * n + j]));
        norm = Math.max(norm, Math.abs(a[i * n + j]));
      }
      const small = new Float64Array(64 * 64).map((_, ij) => Math.cos(Math.floor(ij / 64) + (ij % 64)));
      const eigh = await new Promise((resolve, reject) => {
        const w = new Worker(new URL('linalg/eighWorker.js', dist));
        w.once('error', reject);
        w.once('message', (m) => { w.terminate(); resolve(Array.from(m.value?.values ?? [m.error?.message])); });
        w.postMessage({ id: 0, task: { a: small, n: 64 } });
      });
      // ROI fits on worker threads (roiFitWorker.js through workerPool.js), against this thread's
      const decode = await import(new URL('decode/index.js', dist));
      const rows = 40;
      const Xd = Float32Array.from({ length: rows * 6 }, (_, i) => Math.sin(i * 0.37) + (i % 6) * Math.cos(i));
      const train = { X: Xd, nVoxels: 6, Y: Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i * 0.91)), nTargets: 2, groups: Int32Array.from({ length: rows }, (_, i) => i >> 1) };
      const roisD = [{ label: 1, name: 'a', voxels: Int32Array.of(0, 1, 2) }, { label: 2, name: 'b', voxels: Int32Array.of(3, 4, 5) }];
      const fitsBy = async (workers) => (await decode.fitRoiEnsemble(train, roisD, { k: 2, workers, alphas: [1, 10] })).ranking.map((r) => [r.label, Math.round(r.cvScore * 1e5)]);
      const roiFits = [await fitsBy('always'), await fitsBy('never')];
      const render = await new Promise((resolve, reject) => {
        const w = new Worker(new URL('music/renderWorker.js', dist), { workerData: { sampleRate: 22050 } });
        w.once('error', reject);
        w.once('message', (m) => { w.postMessage(null); resolve(m); });
      });
      // the builtin generator's renders on arrangementRenderWorker.js threads, against this thread's
      const music = await import(new URL('music/index.js', dist));
      const song = music.sampleArrangement('rock', linalg.createRng(3), { durationSec: 5 });
      const renderers = [music.createArrangementRenderer(2), music.createArrangementRenderer(1)];
      const [onWorker, onMain] = await Promise.all(renderers.map((r) => r.render(song)));
      await Promise.all(renderers.map((r) => r.close()));
      const rendered = [onWorker.length, onWorker.every((x, i) => x === onMain[i])];
      // the block null split between blockNullWorker.js threads, against this thread's
      const stats = await import(new URL('stats/index.js', dist));
      const obs = { rows: 40, cols: 30, data: Float32Array.from({ length: 1200 }, (_, i) => Math.sin(i * 0.7) + Math.cos(i * 0.013)) };
      const prd = { rows: 40, cols: 30, data: Float32Array.from({ length: 1200 }, (_, i) => Math.sin(i * 0.7)) };
      const nullOpts = { nPerm: 200, blockLength: 4, seed: 2 };
      const nullHere = stats.blockPermutationNull(obs, prd, nullOpts).p;
      const nullSplit = (await stats.blockPermutationNullOnThreads(obs, prd, nullOpts, { threads: 2, minNullValues: 0 })).p;
      const blockNull = [nullSplit.length, nullSplit.every((x, i) => Object.is(x, nullHere[i]))];
      // the registry's builtin embedder splits a call's windows between builtinWorker.js threads
      const windows = [0.01, 0.02, 0.03].map((f) => Float32Array.from({ length: 22050 }, (_, i) => Math.sin(i * f)));
      const pooled = await embed.createEmbedder('builtin');
      const vectors = Array.from(await pooled.embed(windows));
      await pooled.dispose();
      const alone = Array.from(await embed.createBuiltinEmbedder().embed(windows));
      console.log(JSON.stringify({
        embedded: [vectors.length, vectors.every((x, i) => x === alone[i])],
        assets: ['report.css', 'report.js'].map((f) => existsSync(join(report.REPORT_ASSETS, f))),
        projectionDim: projection.loadProjection(embed.auditoryFeatureNames()).dim,
        eigh, here: Array.from(linalg.eigh(small, 64).values), helper: [kernels.parallel, kernels.parallelTasks], residual: res / norm,
        render, rendered, blockNull, roiFits, versions: run.packageVersions(),
      }));
    `, 'dist');
    const res = JSON.parse(out) as { embedded: [number, boolean]; assets: boolean[]; projectionDim: number; eigh: number[]; here: number[]; helper: boolean[]; residual: number; render: unknown; rendered: [number, boolean]; blockNull: [number, boolean]; roiFits: [number, number][][]; versions: { brain2music: string; packages: Record<string, string> } };
    assert.deepEqual(res.assets, [true, true]);
    assert.ok(res.projectionDim > 0);
    assert.deepEqual(res.embedded, [3 * res.projectionDim, true], 'the worker-thread builtin embedder runs from dist/ and gives the one-thread bits');
    assert.deepEqual(res.helper, [true, true], 'the kernel helper thread is up and has the merge tasks');
    assert.ok(res.residual < 1e-13, `eigh n = 300 on two threads: max |AV − VΛ| / max |A| = ${res.residual}`);
    assert.equal(res.eigh.length, 64);
    assert.deepEqual(res.eigh, res.here, 'an eighMany worker (eighWorker.js) gives the bits of eigh on the main thread');
    assert.deepEqual(res.render, { ready: true });
    assert.deepEqual(res.blockNull, [30, true], 'the block null on blockNullWorker.js threads gives the p-values of one thread');
    assert.deepEqual(res.rendered, [5 * 22050, true], 'an arrangement rendered on arrangementRenderWorker.js threads has the bits of one rendered here');
    assert.deepEqual(res.roiFits[0], res.roiFits[1], 'ROI fits on roiFitWorker.js threads rank and score as on the main thread');
    assert.equal(res.versions.brain2music, PKG.version);
    // found where npm hoisted them (the installing project's node_modules), at the locked versions
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    assert.deepEqual(res.versions.packages, Object.fromEntries(Object.keys(PKG.dependencies).sort().map((k) => [k, lock.packages[`node_modules/${k}`].version])));
  });

  test('the declarations type-check a TypeScript consumer (moduleResolution NodeNext, strict)', () => {
    writeFileSync(join(project, 'consumer.ts'), `
      import { fitRidgeCV, readNpy, type Matrix, type RidgeFit } from 'brain2music';
      const x: Matrix = { rows: 2, cols: 1, data: new Float32Array([1, 2]) };
      const fit: Promise<RidgeFit> = fitRidgeCV(x, x, { alphas: [1] });
      void fit.then((f) => { const a: Float64Array = f.bestAlphas; return a; });
      // The next two lines must be errors; if the declarations failed to resolve, everything would be 'any'.
      // @ts-expect-error a path is not a matrix
      void fitRidgeCV('X.npy', x);
      // @ts-expect-error readNpy takes a path
      readNpy(42);
    `);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true,
        types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files: ['consumer.ts'],
    }));
    assert.ok(existsSync(join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')));
    run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project, 'tsc consumer');
  });
});
