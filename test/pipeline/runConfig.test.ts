import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunConfig, parseRunConfig } from '../../src/pipeline/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

function rejects(value: unknown, pattern: RegExp) {
  assert.throws(
    () => parseRunConfig(value, 'cfg.json', '/base'),
    (err: unknown) => err instanceof Brain2MusicError && err.code === 'BAD_INPUT' && pattern.test(err.message),
  );
}

test('parseRunConfig(minimal) fills every default and resolves paths against the config folder', () => {
  const c = parseRunConfig({ out: 'runs/a', dataset: { bids: '../data/ds' } }, 'cfg.json', '/base/cfg');
  assert.equal(c.out, '/base/cfg/runs/a');
  assert.deepEqual(c.dataset, { bids: '/base/data/ds', source: 'auto', derivatives: undefined, space: undefined, confounds: undefined, freesurfer: undefined, parcellation: undefined, atlas: undefined, atlasNames: undefined });
  assert.equal(c.maxPadSec, 0.5);
  assert.equal(c.seed, 0);
  assert.equal(c.subjects, 'all');
  assert.deepEqual(c.embeddings, [{ name: 'builtin', modelDir: undefined, allowDownload: false, windowSec: undefined, hopSec: 1.5, layer: undefined }]);
  assert.deepEqual(c.align, { lagTr: 3, scansPerClip: 10 });
  assert.deepEqual(c.decode, { target: undefined, topRois: 6, folds: 5, cvScore: 'inner', voxels: undefined, alignment: undefined, trainRuns: undefined });
  assert.equal(c.captions, undefined);
  assert.deepEqual(c.encode, { spaces: undefined, fdrQ: 0.05, folds: 5, null: 'block', nPerm: 10_000, pTail: 'gpd' });
  assert.deepEqual(c.generate, { name: 'builtin', modelDir: undefined, samples: 1, rerank: 0, guidance: 1, temperature: 0, guide: undefined, tagger: undefined });
  assert.equal(c.report, true);
});

test('parseRunConfig(null stage) switches that stage off', () => {
  const c = parseRunConfig({ out: '/r', dataset: { simulate: {} }, generate: null, library: null, encode: null }, 'cfg.json', '/');
  assert.equal(c.generate, undefined);
  assert.equal(c.library, undefined);
  assert.equal(c.encode, undefined);
  assert.deepEqual(c.dataset, {
    simulate: { preset: 'demo', subjects: undefined, seed: undefined, genres: undefined, trainPerGenre: undefined, testPerGenre: undefined, targetVoxels: undefined, raw: undefined, library: undefined, snr: undefined },
  });
});

test('parseRunConfig(wrong type) names the key, the expectation and the value', () => {
  rejects({ out: '/r', dataset: { bids: '/d' }, align: { lagTr: '3' } }, /'align\.lagTr' must be an integer in \[0, 20\], got "3"/);
  rejects({ out: '/r', dataset: { bids: '/d' }, decode: { topRois: 0 } }, /'decode\.topRois' must be an integer in \[1, 1000\], got 0/);
  rejects({ out: '/r', dataset: { bids: '/d' }, subjects: ['001'] }, /'subjects\[0\]' must be a BIDS subject id like "sub-001", got "001"/);
  rejects({ out: '/r', dataset: { bids: '/d', source: 'npy' } }, /'dataset\.source' must be one of 'auto', 'raw', 'derivative', 'fmriprep', got "npy"/);
});

test('parseRunConfig(misspelled key) rejects it and lists the known keys', () => {
  rejects({ out: '/r', dataset: { bids: '/d' }, decode: { topRoi: 6 } }, /unknown key 'decode\.topRoi'\. Known keys here: target, topRois, folds/);
});

test('parseRunConfig(missing or ambiguous dataset) says what to give', () => {
  rejects({ out: '/r' }, /missing key 'dataset'/);
  rejects({ out: '/r', dataset: { bids: '/d', simulate: {} } }, /has both 'simulate' and 'bids'/);
  rejects({ out: '/r', dataset: {} }, /'dataset' must be an object with either 'simulate' or 'bids'/);
});

test('parseRunConfig(decode.target not among embeddings) is rejected', () => {
  rejects({ out: '/r', dataset: { bids: '/d' }, decode: { target: 'clap' } }, /'decode\.target' is 'clap' but 'embeddings' lists only builtin/);
  rejects({ out: '/r', dataset: { bids: '/d' }, embeddings: [{ name: 'a' }, { name: 'a' }] }, /embedding 'a' is listed twice/);
});

test('loadRunConfig(file) reports missing files, bad JSON and YAML with distinct codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-cfg-'));
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err instanceof Brain2MusicError ? err.code : 'other';
    }
    return 'none';
  };
  assert.equal(code(() => loadRunConfig(join(dir, 'nope.json'))), 'NOT_FOUND');
  writeFileSync(join(dir, 'bad.json'), '{ "out": ');
  assert.equal(code(() => loadRunConfig(join(dir, 'bad.json'))), 'BAD_FILE');
  writeFileSync(join(dir, 'c.yaml'), 'out: x\n');
  assert.equal(code(() => loadRunConfig(join(dir, 'c.yaml'))), 'UNSUPPORTED');
  writeFileSync(join(dir, 'ok.json'), JSON.stringify({ out: 'run', dataset: { simulate: { subjects: 1 } } }));
  assert.equal(loadRunConfig(join(dir, 'ok.json')).out, join(dir, 'run'));
});

test('parseRunConfig(decode.alignment, decode.trainRuns) reads the pooled decoder\'s method (required), reference and options, with defaults', () => {
  const c = parseRunConfig({ out: '/r', dataset: { bids: '/d' }, decode: { alignment: { method: 'ridge', reference: 'sub-001' }, trainRuns: 2 } }, 'cfg.json', '/');
  assert.deepEqual(c.decode.alignment, { method: 'ridge', reference: 'sub-001', excludeTarget: false, dims: undefined });
  assert.equal(c.decode.trainRuns, 2);
  const s = parseRunConfig({ out: '/r', dataset: { bids: '/d' }, decode: { alignment: { method: 'srm', dims: 20, excludeTarget: true } } }, 'cfg.json', '/');
  assert.deepEqual(s.decode.alignment, { method: 'srm', reference: undefined, excludeTarget: true, dims: 20 });
  rejects({ out: '/r', dataset: { bids: '/d' }, decode: { alignment: {} } }, /'decode\.alignment\.method'/);
  rejects({ out: '/r', dataset: { bids: '/d' }, decode: { alignment: { method: 'hyper' } } }, /'decode\.alignment\.method' must be one of 'ridge', 'srm', 'none', got "hyper"/);
  rejects({ out: '/r', dataset: { bids: '/d' }, decode: { alignment: { method: 'ridge', reference: '001' } } }, /'decode\.alignment\.reference' must be a BIDS subject id like "sub-001" or "each", got "001"/);
  assert.equal(parseRunConfig({ out: '/r', dataset: { bids: '/d' }, decode: { alignment: { method: 'ridge', reference: 'each' } } }, 'cfg.json', '/').decode.alignment?.reference, 'each');
  rejects({ out: '/r', dataset: { bids: '/d' }, decode: { trainRuns: 0 } }, /'decode\.trainRuns' must be an integer in \[1, 100\], got 0/);
});
