import { barChartSvg, type Bar } from './barChartSvg.ts';
import type { RunContents, SubjectContents } from './collectRun.ts';
import { heatmapSvg } from './heatmapSvg.ts';
import { esc, fmt } from './html.ts';
import { STAGE_NAMES, type AlignedDecodeMetrics, type ScoreWithChance } from '../run/index.ts';

/** One playable clip in the report: where its audio and spectrogram are, relative to index.html. */
export interface ClipMedia {
  audio: string;
  spectrogram?: string;
  /** Extra text under the player (retrieved id and similarity, etc.). */
  caption?: string;
}

/** A test clip row: the original, the retrieved and the generated audio. */
export interface ClipRow {
  clipId: string;
  genre: string;
  original?: ClipMedia;
  retrieved?: ClipMedia;
  generated?: ClipMedia;
}

/** What the renderer needs per subject besides the run contents. */
export interface SubjectView {
  contents: SubjectContents;
  clips: ClipRow[];
  /** Brain maps available in data/<id>-brain.js: keys and labels of the selectable maps. */
  brainMaps?: { key: string; label: string; max: number }[];
  hasRoiVolume: boolean;
  /** What the brain maps are drawn on (the background image's description). */
  background?: string;
  /** Maps without voxel coordinates (.npy): per space, a histogram of r and the best voxels. */
  voxelMaps?: { space: string; histogram: { edges: number[]; counts: number[] }; top: { voxel: number; r: number; q: number }[] }[];
}

const notRun = (what: string, why?: string) => `<p class="not-run">${esc(what)}: stage not run${why ? ` (${esc(why)})` : ''}.</p>`;

function scoreRow(label: string, s: ScoreWithChance | undefined, digits = 3): string {
  if (!s) return '';
  return `<tr><td>${esc(label)}</td><td class="num">${fmt(s.value, digits)}</td><td class="num">${fmt(s.chance, digits)}</td><td class="num">${fmt(s.oracle, digits)}</td></tr>`;
}

/** A generation score with the score of music generated from the true embeddings as its oracle. */
function withOracle(s: { value: number; chance: number } | undefined, oracle: { value: number } | undefined): ScoreWithChance | undefined {
  return s && { ...s, oracle: oracle?.value };
}

/** How a pooled decoder was made, in a few words: "ridge onto sub-001, trained on 5 subjects". */
function alignedWhat(a: AlignedDecodeMetrics): string {
  const space = a.method === 'ridge' ? `ridge-aligned onto ${a.reference}` : 'shared response model';
  return `${space}, trained on ${a.trainingSubjects.length} subjects${a.excludeTarget ? ', this one left out' : ''}`;
}

/**
 * Within-subject and pooled (cross-subject) decoding side by side, one row per subject, on the
 * same test clips; empty when no subject was decoded with `--align`.
 */
function alignmentComparison(views: readonly SubjectView[]): string {
  const rows = views.flatMap((v) => {
    const d = v.contents.decode?.metrics;
    if (!d?.aligned) return [];
    const a = d.aligned;
    const runs = d.trainRuns ? `${d.trainRuns.kept} of ${d.trainRuns.of}` : 'all';
    return [`<tr><td>${esc(v.contents.id)}</td><td class="num">${esc(runs)}</td><td class="num">${fmt(d.identificationTest.value)}</td><td class="num">${fmt(a.identificationTest.value)}</td><td class="num">${fmt(a.identificationTest.value - d.identificationTest.value)}</td><td class="num">${fmt(d.nWayTop1.value)}</td><td class="num">${fmt(a.nWayTop1.value)}</td><td class="num">${fmt(a.nWayTop1.chance)}</td><td>${esc(alignedWhat(a))}</td></tr>`];
  });
  if (rows.length === 0) return '';
  return `<h3>Within-subject and pooled decoding</h3><table class="metrics alignment"><thead><tr><th>subject</th><th>training runs</th><th>identification, own decoder</th><th>identification, pooled decoder</th><th>difference</th><th>N-way top-1, own</th><th>N-way top-1, pooled</th><th>chance top-1</th><th>pooled decoder</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="muted">Both decoders scored on each subject's own test clips (identification chance 0.5). The pooled decoder is trained on the functionally aligned training clips of several subjects; alignment and decoder never see a test response.</p>`;
}

function metricsTable(s: SubjectContents): string {
  const d = s.decode?.metrics;
  const rows = [
    d ? scoreRow(`identification accuracy, test (${d.unit})`, d.identificationTest) : '',
    d ? scoreRow(`identification accuracy, training (${d.unit})`, d.identificationTrain) : '',
    d ? scoreRow(`${d.nWayTop1.n}-way top-1, test`, d.nWayTop1) : '',
    d ? `<tr><td>mean r over embedding dimensions, test</td><td class="num">${fmt(d.meanR)}</td><td class="num">0.000</td><td class="num">–</td></tr>` : '',
    d?.aligned ? scoreRow(`identification accuracy, test, pooled decoder (${alignedWhat(d.aligned)})`, d.aligned.identificationTest) : '',
    d?.aligned ? scoreRow(`${d.aligned.nWayTop1.n}-way top-1, test, pooled decoder`, d.aligned.nWayTop1) : '',
    scoreRow('retrieval: genre of top clip agrees', s.retrieval?.genreAgreement),
    scoreRow('retrieval: identification of retrieved clips', s.retrieval?.identification),
    scoreRow('generation: identification of generated clips', withOracle(s.generationMetrics?.identification, s.generationMetrics?.oracle?.identification)),
    scoreRow('generation: genre agrees (library-fitted genre classifier)', withOracle(s.generationMetrics?.genreAgreement, s.generationMetrics?.oracle?.genreAgreement)),
  ].join('');
  if (!rows) return notRun('decoding metrics', 'decode');
  return `<table class="metrics"><thead><tr><th>metric</th><th>value</th><th>chance</th><th>oracle</th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted">Oracle: the same measure computed with the true embedding instead of the decoded one.${d ? ` Decoding target: ${esc(d.target)}; hemodynamic lag ${d.lagTr} TR.` : ''}</p>`;
}

function media(m: ClipMedia | undefined, what: string): string {
  if (!m) return `<td class="clip-cell not-run">no ${esc(what)}</td>`;
  return `<td class="clip-cell">${m.spectrogram ? `<img src="${esc(m.spectrogram)}" alt="spectrogram of the ${esc(what)} clip">` : ''}<audio controls preload="metadata" src="${esc(m.audio)}"></audio>${m.caption ? `<div class="meta">${esc(m.caption)}</div>` : ''}</td>`;
}

function clipsTable(v: SubjectView): string {
  if (v.clips.length === 0) return notRun('test clips', 'decode');
  const rows = v.clips.map((c) => `<tr><td>${esc(c.clipId)}<div class="meta">${esc(c.genre)}</div></td>${media(c.original, 'original')}${media(c.retrieved, 'retrieved')}${media(c.generated, 'generated')}</tr>`);
  return `<table class="clips"><thead><tr><th>test clip</th><th>original (heard)</th><th>retrieved from the library</th><th>generated from the decoded embedding</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function brainViewer(v: SubjectView): string {
  const id = v.contents.id;
  if (!v.brainMaps || v.brainMaps.length === 0) return notRun('brain maps', 'encode');
  const options = v.brainMaps.map((m) => `<option value="${esc(m.key)}">${esc(m.label)}</option>`).join('');
  const maxR = Math.max(...v.brainMaps.map((m) => m.max));
  return `<div class="brain-viewer" data-subject="${esc(id)}">
<div class="nv-frame"><canvas></canvas></div>
<div class="controls"><label>map <select class="map-select">${options}</select></label>
<label>threshold r ≥ <input class="threshold" type="range" min="0" max="${maxR}" step="${maxR / 100 || 0.01}" value="${(maxR * 0.2).toFixed(4)}"> <span class="threshold-value"></span></label>
${v.hasRoiVolume ? '<label><input class="show-rois" type="checkbox"> selected decoding ROIs</label>' : ''}
<span class="viewer-status">loading…</span></div></div>
<p class="muted">Drawn on: ${esc(v.background ?? 'the first r map (no background image)')}. "significant" maps keep the voxels with FDR q &lt; ${fmt(v.contents.encode?.summary.fdr, 2)} (${esc(v.contents.encode?.summary.null ?? '')} null). Slide the threshold to hide voxels with lower r.</p>`;
}

function encodeTable(s: SubjectContents): string {
  const e = s.encode?.summary;
  if (!e) return '';
  const rows = Object.entries(e.models).map(
    ([name, x]) =>
      `<tr><td>${esc(name)}</td><td class="num">${x.nFeatures}</td><td class="num">${x.nSignificant}</td><td class="num">${e.nVoxels}</td><td class="num">${fmt(x.meanR)}</td><td class="num">${fmt(x.maxR)}</td><td>${esc(x.topRois.slice(0, 3).map((r) => `${r.name} (${r.nSignificant})`).join(', '))}</td></tr>`,
  );
  return `<table class="encode"><thead><tr><th>feature space</th><th>features</th><th>significant voxels</th><th>voxels</th><th>mean r</th><th>max r</th><th>top ROIs (significant voxels)</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="muted">Chance: r = 0 for every voxel; ${e.nTrain} training and ${e.nTest} test scans; delays ${esc(e.delays.join(', '))} TR.</p>`;
}

/** Bar charts over the feature spaces and, per compared pair, the voxel-by-voxel density of r. */
function comparisons(s: SubjectContents): string {
  const e = s.encode?.summary;
  if (!e) return notRun('encoding maps and feature-space comparisons', 'encode');
  const names = Object.keys(e.models);
  const parts: string[] = [];
  if (names.length > 1) {
    parts.push(barChartSvg(names.map((n) => ({ label: n, value: e.models[n]!.nSignificant })), { title: 'significant voxels per feature space', min: 0, digits: 0 }));
    parts.push(barChartSvg(names.map((n) => ({ label: n, value: e.models[n]!.meanR, chance: 0 })), { title: 'mean encoding r per feature space', min: Math.min(0, ...names.map((n) => e.models[n]!.meanR)) }));
  }
  for (const c of e.comparisons) {
    const h = c.histogram;
    const nx = h.counts.length;
    const ny = h.counts[0]?.length ?? 0;
    if (nx === 0 || ny === 0) continue;
    const img = new Float64Array(nx * ny);
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) img[(ny - 1 - j) * nx + i] = Math.log10(1 + h.counts[i]![j]!);
    parts.push(
      `<div>${heatmapSvg(img, ny, nx, {
        title: `voxel r: ${c.a} vs ${c.b}`,
        colTitle: `r, ${c.a}`,
        rowTitle: `r, ${c.b}`,
        axes: { x0: h.xEdges[0]!, x1: h.xEdges[nx]!, y0: h.yEdges[0]!, y1: h.yEdges[ny]! },
        valueLabel: 'log10(1 + voxels)',
        cell: Math.max(3, Math.floor(240 / Math.max(nx, ny))),
        id: `density-${s.id}-${c.a}-${c.b}`,
      })}<div class="meta">significant in both ${c.counts.both}, only ${esc(c.a)} ${c.counts.onlyA}, only ${esc(c.b)} ${c.counts.onlyB}; where either is significant, ${esc(c.a)} is better in ${c.eitherSignificant.aBetter} of ${c.eitherSignificant.n} voxels (mean difference ${fmt(c.eitherSignificant.meanDiff)}).</div></div>`,
    );
  }
  return parts.length ? `<div class="row">${parts.join('')}</div>` : '';
}

function roisTable(s: SubjectContents): string {
  const r = s.decode?.rois;
  if (!r) return notRun('selected decoding ROIs', 'decode');
  const d = s.decode?.metrics.decoder;
  const used = d ? `<p class="decoder">Decoder: <b>${esc(d.label)}</b> (${esc(d.reason)}).</p>` : '';
  if (r.topVoxels) {
    const folds = r.perFold?.length ? ` Selected again in each outer CV fold from its training clips only: ${r.perFold.map((f) => f.nSelected).join(', ')} voxels.` : '';
    const rows = r.topVoxels.slice(0, 20).map((x) => `<tr><td class="num">${x.rank}</td><td class="num">${x.voxel}</td><td class="num">${fmt(x.cvR)}</td></tr>`);
    return `${used}<p class="muted">${r.nSelected ?? '?'} voxels chosen on the training clips by an encoding model's cross-validated r (never the test clips).${folds}</p>
<table class="rois"><thead><tr><th>rank</th><th>voxel (column of the responses)</th><th>encoding CV r</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }
  const rows = r.selected.map((x) => `<tr><td>${esc(x.name)}</td><td class="num">${x.index}</td><td class="num">${x.nVoxels}</td><td class="num">${fmt(x.cvR)}</td></tr>`);
  return `${used}<table class="rois"><thead><tr><th>ROI (chosen on training data)</th><th>label</th><th>voxels</th><th>CV r</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Encoding maps that have no voxel coordinates: why there is no brain image, the distribution of r, the best voxels. */
function voxelMapsSummary(v: SubjectView): string {
  const e = v.contents.encode;
  if (!e?.summary.noVolume || !v.voxelMaps) return '';
  const parts = v.voxelMaps.map((m) => {
    const bars: Bar[] = m.histogram.counts.map((c, i) => ({ label: `${fmt(m.histogram.edges[i], 2)}`, value: c }));
    const top = m.top.map((t) => `<tr><td class="num">${t.voxel}</td><td class="num">${fmt(t.r)}</td><td class="num">${fmt(t.q)}</td></tr>`).join('');
    return `<div>${barChartSvg(bars, { title: `${m.space}: voxels per encoding r bin`, min: 0, digits: 0 })}
<table class="top-voxels"><thead><tr><th>voxel</th><th>r</th><th>q</th></tr></thead><tbody>${top}</tbody></table></div>`;
  });
  return `<p class="no-volume">No brain image: ${esc(e.summary.noVolume)}.</p><div class="row">${parts.join('')}</div>`;
}

/**
 * Each row of an n × n matrix z-scored: identification ranks the entries of a row, so a row-wise
 * scale shows which true clip each decoded clip is closest to (a bright diagonal).
 */
export function rowZscores(values: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) m += values[i * n + j]! / n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (values[i * n + j]! - m) ** 2 / n;
    const sd = Math.sqrt(v) || 1;
    for (let j = 0; j < n; j++) out[i * n + j] = (values[i * n + j]! - m) / sd;
  }
  return out;
}

function subjectSection(v: SubjectView): string {
  const s = v.contents;
  const id = s.id;
  const ident = s.decode?.identification;
  const heat = ident
    ? heatmapSvg(rowZscores(ident.values, ident.n), ident.n, ident.n, {
        title: `identification matrix, ${id}`,
        rowTitle: 'decoded (test clip)',
        colTitle: 'true embedding (test clip)',
        valueLabel: 'r, z-scored within each row',
        labels: ident.clipIds,
        id: `heatmap-${id}`,
      })
    : notRun('identification matrix', 'decode');
  const genres = s.decode?.metrics.perGenre;
  const genreBars: Bar[] = genres ? Object.entries(genres).map(([g, a]) => ({ label: g, value: a, chance: 0.5 })) : [];
  return `<section class="subject" id="${esc(id)}"><h2>${esc(id)}</h2>
<h3>Metrics</h3>${metricsTable(s)}
<div class="row"><div><h3>Identification</h3>${heat}</div>
<div><h3>Accuracy per genre</h3>${genreBars.length ? barChartSvg(genreBars, { title: 'identification accuracy per genre (test)', min: 0, max: 1 }) : notRun('per-genre accuracy', 'decode')}</div></div>
<h3>Where music lives: encoding maps</h3>${s.encode ? (s.encode.summary.noVolume ? voxelMapsSummary(v) : brainViewer(v)) + encodeTable(s) : ''}
<h3>Feature spaces compared</h3>${comparisons(s)}
<h3>Decoding ROIs</h3>${roisTable(s)}
<h3>Test clips</h3>${s.retrieval ? '' : notRun('retrieval', 'retrieve')}${s.generated ? '' : notRun('generation', 'generate')}${clipsTable(v)}
</section>`;
}

function stagesTable(c: RunContents): string {
  const m = c.manifest;
  const rows = STAGE_NAMES.map((name) => {
    // the manifest records the report stage after this page is written: it is this page
    if (name === 'report') return '<tr><td>report</td><td>this page</td><td class="num"></td><td></td></tr>';
    const r = m?.stages[name];
    const status = !r ? 'not run' : r.status === 'done' ? (r.reused ? 'done (reused)' : 'done') : r.status === 'failed' ? 'failed' : 'not run';
    const note = r?.status === 'failed' ? r.error : r?.status === 'not-run' ? r.reason : '';
    return `<tr><td>${name}</td><td>${esc(status)}</td><td class="num">${fmt(r?.seconds, 1)}</td><td>${esc(note ?? '')}</td></tr>`;
  });
  return `<table class="stages"><thead><tr><th>stage</th><th>status</th><th>seconds</th><th>note</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * The report page: run overview (stages with timings, configuration, versions), then per
 * subject the metrics with chance and oracle, the identification heatmap, per-genre accuracy,
 * the brain map viewer, feature-space comparisons, the decoding ROIs and every test clip with
 * players and spectrograms. Parts whose stage did not run say so. Pure: returns the HTML.
 */
export function renderReport(c: RunContents, views: SubjectView[], opts: { hasBrainData: boolean }): string {
  const m = c.manifest;
  const dataset = m ? ('bids' in m.config.dataset ? `BIDS dataset ${m.config.dataset.bids}` : `the simulated dataset (preset ${m.config.dataset.simulate.preset})`) : 'unknown';
  const nav = views.map((v) => `<a href="#${esc(v.contents.id)}">${esc(v.contents.id)}</a>`).join('');
  const scripts = opts.hasBrainData
    ? `<script src="vendor/niivue.umd.js"></script>\n${views.filter((v) => v.brainMaps?.length).map((v) => `<script src="data/${esc(v.contents.id)}-brain.js"></script>`).join('\n')}\n<script src="report.js"></script>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>brain2music report</title><link rel="icon" href="data:,"><link rel="stylesheet" href="report.css"></head>
<body><header><h1>brain2music report</h1><p>Music reconstructed from brain activity: ${esc(dataset)}; ${views.length} subject(s). Every number is shown with its chance level.</p></header>
<nav><a href="#run">run</a>${nav}</nav>
<main>
<section id="run"><h2>Run</h2>${stagesTable(c)}
${m ? `<p class="muted">brain2music ${esc(m.versions.brain2music)}, Node ${esc(m.versions.node)}, seed ${m.seeds.master}, updated ${esc(m.updatedAt)}.</p>
<details><summary>configuration and versions (run.json)</summary><pre>${esc(JSON.stringify({ config: m.config, versions: m.versions, seeds: m.seeds }, null, 2))}</pre></details>` : '<p class="not-run">no run.json in this folder.</p>'}
${alignmentComparison(views)}
</section>
${views.length ? views.map(subjectSection).join('\n') : '<p class="not-run">No subject results yet: the decode and encode stages have not run.</p>'}
</main>
${scripts}
</body></html>
`;
}
