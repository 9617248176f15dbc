import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { inflateSync } from 'node:zlib';
import { buildReport, collectRun, renderReport, type ClipRow, type SubjectView } from '../../src/report/index.ts';
import { parseNifti, parseTsv, readAudio, readNifti } from '../../src/io/index.ts';
import { writeFixtureRun, AFFINE, CEILING, CI95, CLIPS, DIMS, GENERATION, Q_NOT, Q_SIG } from './fixtureRun.ts';

const fixture = writeFixtureRun();
const reportDir = join(fixture.runDir, 'report');
const built = buildReport(fixture.runDir, reportDir);
async function html(): Promise<string> {
  await built;
  return readFileSync(join(reportDir, 'index.html'), 'utf8');
}

function attrs(text: string, tag: string, attr: string): string[] {
  return [...text.matchAll(new RegExp(`<${tag}\\b[^>]*\\s${attr}="([^"]*)"`, 'g'))].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
}

/** The TSV behind a table's download link (a data: URL), parsed. */
function tsvOf(page: string, file: string): Record<string, string>[] {
  const link = [...page.matchAll(/<a class="download" download="([^"]+)" href="([^"]+)"/g)].find((m) => m[1] === file);
  assert.ok(link, `no download link for ${file}`);
  const href = link[2]!.replace(/&amp;/g, '&');
  assert.match(href, /^data:text\/tab-separated-values;charset=utf-8,/);
  return parseTsv(decodeURIComponent(href.slice(href.indexOf(',') + 1)), file).rows;
}

type Brain = {
  background: { base64: string };
  grid: { dims: number[]; affine: number[] };
  fdr: number;
  maps: { key: string; file: string; kind: string; base64: string; max: number; min: number; nonzero: number; signed: boolean; units: string; peak: { vox: number[]; mm: number[]; value: number } }[];
  rois: { base64: string; names: string[] } | null;
};

function brainData(sub: string): Brain {
  const window: { B2M_BRAIN?: Record<string, Brain> } = {};
  runInNewContext(readFileSync(join(reportDir, `data/${sub}-brain.js`), 'utf8'), { window });
  // through JSON into this realm's objects (the vm context has its own Array)
  return JSON.parse(JSON.stringify(window.B2M_BRAIN![sub])) as Brain;
}

const readB64 = (b64: string) => parseNifti(new Uint8Array(Buffer.from(b64, 'base64')));

test('buildReport(run) counts subjects, clips, audio files and brain maps', async () => {
  const s = await built;
  // 11 maps: r, q, sig, ceiling, rnorm for builtin and genre, and the builtin − genre difference
  assert.deepEqual({ subjects: s.subjects, clips: s.clips, audio: s.audio, brainMaps: s.brainMaps }, { subjects: 2, clips: 8, audio: 12, brainMaps: 11 });
  assert.equal(s.index, join(reportDir, 'index.html'));
});

test('buildReport: every local src and href resolves inside report/, none reaches the network, and every clip is a copy in report/audio', async () => {
  const page = await html();
  assert.ok(attrs(page, 'link', 'href').includes('data:,'), 'an empty inline icon, so no favicon request is made');
  const audio = attrs(page, 'audio', 'src');
  const refs = [...audio, ...attrs(page, 'img', 'src'), ...attrs(page, 'script', 'src'), ...attrs(page, 'link', 'href').filter((h) => h !== 'data:,')];
  assert.equal(refs.length, 16 + 16 + 3 + 1, 'audio 16, spectrogram images 16, scripts 3 (niivue, brain data, report.js), stylesheet 1');
  for (const ref of refs) {
    assert.doesNotMatch(ref, /^[a-z]+:/i, `${ref} must be a relative path`);
    assert.doesNotMatch(ref, /^\.\.|\/\.\.\//, `${ref} must stay inside report/`);
    assert.ok(existsSync(resolve(reportDir, ref)), `${ref} is missing`);
  }
  assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//);
  assert.ok(audio.every((a) => a.startsWith('audio/')), 'every clip is played from report/audio');
  // byte copies of the WAVs heard, retrieved and generated
  assert.deepEqual(readFileSync(join(reportDir, 'audio/original-blues.00048.wav')), readFileSync(join(fixture.runDir, 'dataset/stimuli/blues.00048.wav')));
  assert.deepEqual(readFileSync(join(reportDir, 'audio/generated-sub-001-rock.00048_0.wav')), readFileSync(join(fixture.runDir, 'generated/sub-001/rock.00048_0.wav')));
  assert.deepEqual(readFileSync(join(reportDir, 'audio/library-lib.0002.wav')), readFileSync(join(fixture.runDir, 'dataset/library/audio/lib.0002.wav')));
});

test("buildReport: building the report again into the same folder leaves the run's audio as it was", async () => {
  const f = writeFixtureRun();
  const wav = join(f.runDir, 'generated/sub-001/blues.00048_0.wav');
  const bytes = readFileSync(wav);
  await buildReport(f.runDir, join(f.runDir, 'report'));
  await buildReport(f.runDir, join(f.runDir, 'report'));
  assert.deepEqual(readFileSync(wav), bytes);
  assert.deepEqual(readFileSync(join(f.runDir, 'report/audio/generated-sub-001-blues.00048_0.wav')), bytes);
});

test('buildReport: the page opens on the result (a sentence per subject, the cross-subject table), then the subjects, then the stages', async () => {
  const page = await html();
  const at = (s: string) => page.indexOf(s);
  assert.ok(at('<section id="result">') > 0 && at('<section id="result">') < at('<section class="subject" id="sub-001">'));
  assert.ok(at('<section class="subject" id="sub-002">') < at('<section id="run">') && at('<table class="stages">') > at('<section id="run">'));
  const pct = (x: number) => `${(100 * x).toFixed(1).replace(/\.0$/, '')}%`;
  const sentences = attrs(page.replace(/<li>([^<]*)<\/li>/g, '<li data-text="$1">'), 'li', 'data-text');
  assert.equal(
    sentences[0],
    `sub-001: the decoded music embedding picked the right clip out of a pair ${pct(fixture.accuracy)} of the time (chance 50%, 95% interval 80%–100%); ` +
      'it ranked the right one first among 4 test clips 75% of the time (chance 25%); retrieval found the right genre 50% of the time (oracle 100%, chance 25%); ' +
      'music generated from it was identified 75% of the time (oracle 87.5%, chance 50%); 44 of 2,688 voxels are significantly predicted by builtin (FDR q ≤ 0.05).',
  );
  assert.match(sentences[1]!, /^sub-002: the decoded music embedding picked the right clip out of a pair .* \(chance 25%\)\.$/);
  const table = page.slice(at('<table class="summary">'), page.indexOf('</table>', at('<table class="summary">')));
  for (const h of ['identification, test', '4-way top-1, test', 'retrieval: genre of top clip agrees', 'generation: identification', 'generation: genre agrees', 'significant voxels (FDR)']) assert.ok(table.includes(`<th>${h}</th>`), h);
  assert.ok(table.includes('<div class="ref">95% interval 0.800–1.000</div>'));
  assert.ok(table.includes('<tr class="mean"><td>mean of 2</td>'));
  const tsv = tsvOf(page, 'summary.tsv');
  assert.equal(tsv.length, 2);
  assert.equal(Number(tsv[0]!.identification), fixture.accuracy);
  assert.deepEqual([Number(tsv[0]!.identification_ci95_low), Number(tsv[0]!.identification_ci95_high)], CI95);
  assert.equal(tsv[1]!.identification_ci95_low, 'n/a');
  assert.equal(Number(tsv[0]!.generationIdentification_oracle), GENERATION.oracle.identification.value);
  assert.deepEqual([tsv[0]!.significant_builtin, tsv[0]!.significant_genre, tsv[1]!.significant_builtin], ['44', '28', 'n/a']);
});

test('buildReport: metrics with chance, genre-ordered identification matrix, per-genre bars, notes for stages that did not run, TSV for every table', async () => {
  const page = await html();
  assert.equal((page.match(/<section class="subject"/g) ?? []).length, 2);
  // value, 95% interval, p vs chance, chance, oracle: sub-001's identification carries an interval and p (at the resolution of its pairings), the rest dashes
  assert.ok(page.includes(`<td>identification accuracy, test (clips)</td><td class="num">${fixture.accuracy.toFixed(3)}</td><td class="num">0.800–1.000</td><td class="num">≤ 0.0001</td><td class="num">0.500</td>`));
  assert.ok(page.includes(`<td>identification accuracy, test (clips)</td><td class="num">${fixture.accuracy.toFixed(3)}</td><td class="num">–</td><td class="num">–</td><td class="num">0.500</td>`), 'sub-002 has none');
  assert.ok(page.includes('<td>4-way top-1, test (clips)</td><td class="num">0.750</td><td class="num">–</td><td class="num">–</td><td class="num">0.250</td>'));
  assert.ok(page.includes('<td>retrieval: genre of top clip agrees, test (clips)</td><td class="num">0.500</td><td class="num">–</td><td class="num">–</td><td class="num">0.250</td><td class="num">1.000</td>'));
  assert.ok(page.includes('id="heatmap-sub-001"') && page.includes('id="heatmap-sub-002"'));
  // the fixture's clips are blues, jazz, rock, pop: grouped by genre the matrix reads blues, jazz, pop, rock
  const heat = page.slice(page.indexOf('id="heatmap-sub-001"'), page.indexOf('</svg>', page.indexOf('id="heatmap-sub-001"')));
  assert.deepEqual([...heat.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="end" font-size="9">([a-z]+)</g)].map((m) => m[1]), ['blues', 'jazz', 'pop', 'rock']);
  assert.equal((heat.match(/class="separator"/g) ?? []).length, 2 * 3, 'a row and a column line between each two genres');
  assert.match(heat, /class="diagonal"/);
  // rows and columns are permuted alike: each decoded clip (perfectly identified in the fixture) is brightest on the diagonal
  const png = Buffer.from(/href="data:image\/png;base64,([^"]+)"/.exec(heat)![1]!, 'base64');
  const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
  const n = CLIPS.length;
  for (let i = 0; i < n; i++) {
    const bright = Array.from({ length: n }, (_, j) => raw[i * (3 * n + 1) + 1 + 3 * j]! + raw[i * (3 * n + 1) + 2 + 3 * j]!);
    assert.equal(bright.indexOf(Math.max(...bright)), i, `row ${i}: ${bright}`);
  }
  assert.ok(page.includes('id="density-sub-001-builtin-genre"'));
  assert.equal((page.match(/<svg class="barchart"/g) ?? []).length, 2 + 2, 'per-genre for both subjects, two space comparisons');
  assert.equal((page.match(/<a class="download" data-figure download="[^"]+\.svg"/g) ?? []).length, 2 + 2 + 2 + 1, 'identification and per-genre per subject, two comparisons, one density');
  const sub2 = page.slice(page.indexOf('<section class="subject" id="sub-002"'));
  assert.match(sub2, /brain maps: stage not run|encoding maps and feature-space comparisons: stage not run/);
  assert.match(sub2, /retrieval: stage not run/);
  assert.match(sub2, /generation: stage not run/);
  assert.match(page, /<td>generate<\/td><td>not run<\/td><td class="num">–<\/td><td>switched off/);
  assert.match(page, /<td>report<\/td><td>this page<\/td>/, 'the report stage is the page itself, not "not run"');
  assert.ok(page.includes('G_temp_sup-G_T_transv'));
  assert.equal((page.match(/<tr><td>[a-z]+\.00048<div class="meta">/g) ?? []).length, 8);
  const downloads = attrs(page, 'a', 'download').filter((d) => d.endsWith('.tsv'));
  assert.deepEqual(downloads, ['summary.tsv', 'sub-001-metrics.tsv', 'sub-001-encoding.tsv', 'sub-001-decoding-rois.tsv', 'sub-001-clips.tsv', 'sub-002-metrics.tsv', 'sub-002-decoding-rois.tsv', 'sub-002-clips.tsv', 'stages.tsv']);
  const metrics = tsvOf(page, 'sub-001-metrics.tsv');
  assert.deepEqual(metrics.map((r) => r.metric).slice(0, 3), ['identification accuracy, test (clips)', 'identification accuracy, training (clips, out-of-fold)', 'identification accuracy, training (clips, in-sample: not comparable with test)']);
  assert.equal(Number(metrics[0]!.value), fixture.accuracy);
  for (const r of metrics) {
    assert.match(r.metric!, /\b(test|training)\b/, `${r.metric}: its split`);
    assert.match(r.metric!, /\((clips|windows)\b/, `${r.metric}: its unit`);
    assert.ok(Number.isFinite(Number(r.chance)) && r.chance !== '', `${r.metric}: its chance`);
  }
  assert.deepEqual([Number(metrics[0]!.ci95_low), Number(metrics[0]!.ci95_high), Number(metrics[0]!.p)], [...CI95, 1 / 10_000]);
});

test('buildReport: the clip table drops the columns of stages that did not run and captions each generated clip with its conditioning', async () => {
  const page = await html();
  const sub1 = page.slice(page.indexOf('id="sub-001"'), page.indexOf('id="sub-002"'));
  const sub2 = page.slice(page.indexOf('id="sub-002"'), page.indexOf('<section id="run">'));
  assert.match(sub1, /<th>retrieved from the library<\/th><th>generated from the decoded embedding<\/th>/);
  assert.doesNotMatch(sub2, /<th>retrieved from the library<\/th>|<th>generated from the decoded embedding<\/th>/);
  assert.ok(sub1.includes('builtin: rock-style arrangement, 120 BPM, D minor, 4/4, drums (shuffle), bass, lead; temperature 0.3, kept candidate 3 of 4 (cosine 0.588 to the decoded embedding); classified as pop'));
  const clips = tsvOf(page, 'sub-001-clips.tsv');
  assert.deepEqual(clips.map((c) => c.clip), CLIPS);
  assert.equal(clips[0]!.retrieved, 'lib.0002');
  assert.equal(clips[0]!.generated_audio, 'audio/generated-sub-001-blues.00048_0.wav');
  assert.match(clips[0]!.generated_from!, /^builtin: blues-style arrangement, 100 BPM, C minor/);
  assert.deepEqual(Object.keys(tsvOf(page, 'sub-002-clips.tsv')[0]!), ['clip', 'genre', 'original_audio']);
});

test('renderReport: a long clip table shows its first 6 rows and a "show all" button; the others load no audio until shown', () => {
  const c = collectRun(fixture.runDir);
  const clips: ClipRow[] = Array.from({ length: 20 }, (_, i) => ({ clipId: `pop.${String(i).padStart(5, '0')}`, genre: 'pop', original: { audio: `audio/o${i}.wav` } }));
  const view: SubjectView = { contents: c.subjects[1]!, clips };
  const page = renderReport(c, [view], { hasBrainData: false });
  assert.equal((page.match(/<tr class="more">/g) ?? []).length, 14);
  assert.match(page, /<table class="clips collapsed">/);
  assert.match(page, /<button type="button" class="show-all" data-more="14">show all 20 clips<\/button>/);
  assert.equal((page.match(/preload="metadata"/g) ?? []).length, 6);
  assert.equal((page.match(/preload="none"/g) ?? []).length, 14);
});

test('buildReport: data/<sub>-brain.js holds every written map as NIfTI as the viewer shows it (sig = r where significant, q as −log10 q)', async () => {
  const page = await html();
  assert.deepEqual(readdirSync(join(reportDir, 'data')), ['sub-001-brain.js']);
  const d = brainData('sub-001');
  assert.deepEqual(d.maps.map((m) => m.key), ['builtin:r', 'builtin:sig', 'builtin:q', 'builtin:ceiling', 'builtin:rnorm', 'genre:r', 'genre:sig', 'genre:q', 'genre:ceiling', 'genre:rnorm', 'builtin_minus_genre:rdiff']);
  // the map selector lists every map file the encode stage wrote
  const written = readdirSync(join(fixture.runDir, 'subjects/sub-001/encode')).filter((f) => f.endsWith('.nii.gz') && f !== 'background.nii.gz').sort();
  assert.deepEqual(attrs(page, 'option', 'data-file').sort(), written);
  assert.deepEqual(d.maps.map((m) => m.file).sort(), written);
  const get = (key: string) => readB64(d.maps.find((m) => m.key === key)!.base64);
  const r = get('builtin:r');
  const r2 = get('genre:r');
  assert.deepEqual(r.dims.slice(0, 3), DIMS);
  assert.deepEqual(Array.from(r.affine), Array.from(AFFINE));
  const sig = get('builtin:sig');
  const lq = get('builtin:q');
  const diff = get('builtin_minus_genre:rdiff');
  const rnorm = get('builtin:rnorm');
  const bg = readB64(d.background.base64);
  let max = 0, maxAbs = 0, at = 0, nSig = 0, minSig = Infinity;
  for (let i = 0; i < r.data.length; i++) {
    const v = r.data[i]!;
    if (v > max) (max = v), (at = i);
    maxAbs = Math.max(maxAbs, Math.abs(v));
    const inBrain = bg.data[i]! > 0;
    assert.equal(sig.data[i], v > 0.3 ? v : 0);
    if (v > 0.3) (nSig++, (minSig = Math.min(minSig, v)));
    assert.ok(Math.abs(lq.data[i]! - (!inBrain ? 0 : -Math.log10(v > 0.3 ? Q_SIG : Q_NOT))) < 1e-6, `−log10 q at ${i}`);
    assert.ok(Math.abs(diff.data[i]! - (v - r2.data[i]!)) < 1e-6);
    assert.ok(Math.abs(rnorm.data[i]! - (inBrain ? v / CEILING : 0)) < 1e-6);
  }
  const info = (key: string) => d.maps.find((m) => m.key === key)!;
  assert.equal(info('builtin:r').max, maxAbs);
  assert.equal(info('builtin:r').signed, true);
  assert.equal(info('builtin:sig').signed, false);
  assert.equal(info('builtin:sig').nonzero, nSig);
  assert.equal(info('builtin:sig').min, minSig);
  assert.equal(info('builtin:r').units, 'Pearson r (test)');
  assert.equal(info('builtin_minus_genre:rdiff').units, 'r(builtin) − r(genre) (test)');
  // the peak: voxel (i, j, k) of the largest r, and its position through the affine
  const [nx, ny] = DIMS;
  const vox = [at % nx, Math.floor(at / nx) % ny, Math.floor(at / (nx * ny))];
  assert.deepEqual(info('builtin:r').peak, { vox, mm: vox.map((v, k) => 2 * v + [-14, -16, -12][k]!), value: max });
  // opens on the significant voxels of the space with the most of them (builtin 44, genre 28)
  assert.match(page, /<div class="brain-viewer" data-subject="sub-001" data-default="builtin:sig">/);
  assert.match(page, /<option value="builtin:sig" data-file="builtin_sig.nii.gz" selected>builtin: r, significant voxels \(q ≤ 0.05\) \(44\)<\/option>/);
  assert.match(page, /<div class="colorbar-label">Pearson r \(test\)<\/div>/);
  assert.match(page, /A voxel is significant when its Benjamini–Hochberg FDR q ≤ 0.05 \(over 2,688 voxels, gaussian null\) and r &gt; 0\./);
  assert.equal(readB64(d.background.base64).header.descrip.trim(), 'mean functional image');
  assert.deepEqual(d.rois!.names, ['G_temp_sup-G_T_transv', 'S_temporal_transverse']);
  assert.deepEqual(d.grid.dims, DIMS);
  assert.ok(existsSync(join(reportDir, 'vendor/niivue.umd.js')));
});

test('buildReport: an atlas label image beside the maps (encode/atlas.nii.gz) goes into the brain data with the ROI names of summary.json', async () => {
  const f = writeFixtureRun({ atlas: true });
  await buildReport(f.runDir, join(f.runDir, 'report'));
  const window: { B2M_BRAIN?: Record<string, { atlas: { base64: string; names: Record<string, string> } | null }> } = {};
  runInNewContext(readFileSync(join(f.runDir, 'report/data/sub-001-brain.js'), 'utf8'), { window });
  const atlas = window.B2M_BRAIN!['sub-001']!.atlas!;
  assert.deepEqual({ ...atlas.names }, { 33: 'G_temp_sup-G_T_transv', 74: 'S_temporal_transverse' });
  const written = await readNifti(join(f.runDir, 'subjects/sub-001/encode/atlas.nii.gz'));
  assert.deepEqual(Array.from(readB64(atlas.base64).data), Array.from(written.data));
  assert.deepEqual(new Set(written.data), new Set([0, 33, 74]));
});

test('buildReport: spectrograms are 240×96 PNGs, one per distinct audio file', async () => {
  await built;
  const files = readdirSync(join(reportDir, 'spectrograms'));
  assert.equal(files.length, 12);
  const png = readFileSync(join(reportDir, 'spectrograms', `original-${CLIPS[0]}.png`));
  assert.equal(png.readUInt32BE(16), 240);
  assert.equal(png.readUInt32BE(20), 96);
});

test('buildReport: audio outside the run folder is written into the report as WAV, with the same samples', async () => {
  const f = writeFixtureRun({ stimuliOutside: true });
  await buildReport(f.runDir, join(f.runDir, 'report'));
  const page = readFileSync(join(f.runDir, 'report/index.html'), 'utf8');
  const src = `audio/original-${CLIPS[1]}.wav`;
  assert.ok(attrs(page, 'audio', 'src').includes(src));
  const copied = await readAudio(join(f.runDir, 'report', src));
  const source = await readAudio(join(f.stimuli, `${CLIPS[1]}.wav`));
  assert.equal(copied.sampleRate, source.sampleRate);
  assert.deepEqual(copied.samples, source.samples);
});
