import { barChartSvg, type Bar } from './barChartSvg.ts';
import type { BrainData, BrainMapInfo } from './brainData.ts';
import type { RunContents, SubjectContents } from './collectRun.ts';
import { genreOrder } from './genreOrder.ts';
import type { ListeningScore } from '../evaluate/index.ts';
import { listeningSection } from './listeningScores.ts';
import { heatmapSvg } from './heatmapSvg.ts';
import { esc, fmt, pValue } from './html.ts';
import { alignedWhat, alignmentComparison } from './alignmentComparison.ts';
import { subjectResult, subjectSentence, summaryTable } from './resultSummary.ts';
import { tsvLink, type TsvRow } from './tsvLink.ts';
import { STAGE_NAMES, type ClassAgreementRecord, type ScoreWithChance } from '../run/index.ts';

/** One playable clip in the report: where its audio and spectrogram are, relative to index.html. */
export interface ClipMedia {
  audio: string;
  spectrogram?: string;
  /** Extra text under the player (retrieved id and similarity, etc.). */
  caption?: string;
}

/** A test clip row: the original, the retrieved and the generated audio (every sample, the first or best first). */
export interface ClipRow {
  clipId: string;
  genre: string;
  original?: ClipMedia;
  retrieved?: ClipMedia;
  generated?: ClipMedia[];
}

/** What the renderer needs per subject besides the run contents. */
export interface SubjectView {
  contents: SubjectContents;
  clips: ClipRow[];
  /** The brain maps written to data/<id>-brain.js (absent when the encode stage wrote no NIfTI maps). */
  brain?: BrainData;
  /** Maps without voxel coordinates (.npy): per space, a histogram of r and the best voxels. */
  voxelMaps?: { space: string; histogram: { edges: number[]; counts: number[] }; top: { voxel: number; r: number; q: number }[] }[];
}

const notRun = (what: string, why?: string) => `<p class="not-run">${esc(what)}: stage not run${why ? ` (${esc(why)})` : ''}.</p>`;

/** "0.841–0.942", or a dash where no interval was computed. */
const interval = (s: ScoreWithChance, digits: number) => (s.ci95 ? `${fmt(s.ci95[0], digits)}–${fmt(s.ci95[1], digits)}` : '–');

function scoreRow(label: string, s: ScoreWithChance | undefined, digits = 3): string {
  if (!s) return '';
  return `<tr><td>${esc(label)}</td><td class="num">${fmt(s.value, digits)}</td><td class="num">${interval(s, digits)}</td><td class="num">${pValue(s)}</td><td class="num">${fmt(s.chance, digits)}</td><td class="num">${fmt(s.oracle, digits)}</td></tr>`;
}

/** A generation score with the score of music generated from the true embeddings as its oracle. */
function withOracle(s: { value: number; chance: number } | undefined, oracle: { value: number } | undefined): ScoreWithChance | undefined {
  return s && { ...s, oracle: oracle?.value };
}

/** The AudioSet class agreement of generated music: one row per branch (top-2 genres, top-2 instruments, top-1 mood). */
function classAgreementRows(c: ClassAgreementRecord | undefined): [string, ScoreWithChance | undefined][] {
  if (!c) return [];
  return (['genre', 'instrument', 'mood'] as const).map((b) => [`generation: AudioSet ${b} top-${c[b].top} overlap, test (clips; ${c.classifier}; chance: random pairing)`, c[b]]);
}

/** How concentrated the retrieved tracks are (hubness), decoded and oracle, with the warning the retrieve stage prints. */
function concentrationNote(s: SubjectContents): string {
  const c = s.retrieval?.concentration;
  if (!c) return '';
  const one = (x: typeof c.predicted) => `${x.distinct} distinct top tracks for ${x.n} test clips; the most retrieved, ${esc(x.largestHub.id)}, is the top track of ${x.largestHub.count} (${fmt(100 * x.largestHub.share, 0)}%)`;
  const warn = c.predicted.degenerate ? ` <strong>Degenerate: one track is the top of more than a quarter of the clips; retrieval scores are not informative. Try retrieve.hubness "center" or "csls".</strong>` : '';
  return `<p class="table-foot">Retrieval concentration (scores: ${esc(s.retrieval?.hubness ?? 'none')}; search: ${esc(s.retrieval?.search ?? 'exact')}): decoded, ${one(c.predicted)}; oracle, ${one(c.oracle)}.${warn}</p>`;
}

function metricsTable(s: SubjectContents): string {
  const d = s.decode?.metrics;
  const scores: [string, ScoreWithChance | undefined][] = [
    [`identification accuracy, test (${d?.unit ?? 'clips'})`, d?.identificationTest],
    [`identification accuracy, training (${d?.unit ?? 'clips'}, out-of-fold)`, d?.identificationTrainOutOfFold],
    [`identification accuracy, training (${d?.unit ?? 'clips'}, in-sample: not comparable with test)`, d?.identificationTrain],
    [`${d?.nWayTop1.n ?? 'N'}-way top-1, test (clips)`, d?.nWayTop1],
    ['mean r over embedding dimensions, test (windows)', d ? { value: d.meanR, chance: 0 } : undefined],
    [`identification accuracy, test (clips), pooled decoder (${d?.aligned ? alignedWhat(d.aligned) : ''})`, d?.aligned?.identificationTest],
    [`${d?.aligned?.nWayTop1.n ?? 'N'}-way top-1, test (clips), pooled decoder`, d?.aligned?.nWayTop1],
    ['retrieval: genre of top clip agrees, test (clips)', s.retrieval?.genreAgreement],
    ['retrieval: identification of retrieved clips, test (clips)', s.retrieval?.identification],
    ['generation: identification of generated clips, test (clips)', withOracle(s.generationMetrics?.identification, s.generationMetrics?.oracle?.identification)],
    [`generation: identification in the ${s.generationMetrics?.secondSpace?.space ?? 'second space'} , test (clips; a space guidance never used)`, withOracle(s.generationMetrics?.secondSpace?.identification, s.generationMetrics?.secondSpace?.oracle)],
    ['generation: genre agrees, test (clips; library-fitted genre classifier)', withOracle(s.generationMetrics?.genreAgreement, s.generationMetrics?.oracle?.genreAgreement)],
    ...classAgreementRows(s.generationMetrics?.classAgreement),
    [`generation: the caption prompt chosen from the bank names the clip's genre, test (clips; ${s.generationMetrics?.promptGuide?.map ?? ''} map, ${s.generationMetrics?.promptGuide?.bankSize ?? 0} captions; chance: a random bank caption)`, s.generationMetrics?.promptGuide?.genreNamed],
  ];
  const shown = scores.filter((x): x is [string, ScoreWithChance] => x[1] !== undefined);
  if (shown.length === 0) return notRun('decoding metrics', 'decode');
  const tsv: TsvRow[] = shown.map(([metric, x]) => ({ metric, value: x.value, ci95_low: x.ci95?.[0], ci95_high: x.ci95?.[1], p: x.p, chance: x.chance, oracle: x.oracle }));
  return `<table class="metrics"><thead><tr><th>metric</th><th>value</th><th>95% interval</th><th>p vs chance</th><th>chance</th><th>oracle</th></tr></thead><tbody>${shown.map(([l, x]) => scoreRow(l, x)).join('')}</tbody></table>
<p class="table-foot">${tsvLink(`${s.id}-metrics`, ['metric', 'value', 'ci95_low', 'ci95_high', 'p', 'chance', 'oracle'], tsv)} 95% interval: percentile bootstrap over the test clips; p: the share of random prediction–target pairings that score at least as well (both seeded, in metrics.json); for retrieval genre agreement, the probability that random library tracks agree at least as often (exact). Training scores: out-of-fold (each training clip predicted by the decoder refitted without it) and in-sample (not comparable with test). Oracle: the same measure computed with the true embedding instead of the decoded one.${d ? ` Decoding target: ${esc(d.target)}; hemodynamic lag ${d.lagTr} TR.` : ''}</p>`;
}

/** An SVG figure with its download link (report.js turns the link into a file of the SVG as shown) and an optional note (HTML). */
function figure(svg: string, file: string, note = ''): string {
  return `<div class="figure">${svg}<div class="figure-foot"><a class="download" data-figure download="${esc(file)}.svg" href="#" title="download this figure as SVG">SVG</a></div>${note}</div>`;
}

function media(m: ClipMedia | undefined, what: string, preload: string): string {
  if (!m) return `<div class="not-run">no ${esc(what)}</div>`;
  return `<div class="clip-media">${m.spectrogram ? `<img src="${esc(m.spectrogram)}" alt="spectrogram of the ${esc(what)} clip" loading="lazy">` : ''}<audio controls preload="${preload}" src="${esc(m.audio)}"></audio>${m.caption ? `<div class="meta">${esc(m.caption)}</div>` : ''}</div>`;
}

/** Rows of the clip table shown before "show all". */
export const CLIP_ROWS_SHOWN = 6;

/** Every test clip with its players; columns only for the stages that ran; long tables collapsed to their first rows. */
function clipsTable(v: SubjectView): string {
  if (v.clips.length === 0) return notRun('test clips', 'decode');
  const hasRetrieved = v.clips.some((c) => c.retrieved);
  const hasGenerated = v.clips.some((c) => c.generated?.length);
  const collapse = v.clips.length > CLIP_ROWS_SHOWN + 2;
  const rows = v.clips.map((c, i) => {
    const more = collapse && i >= CLIP_ROWS_SHOWN;
    const preload = more ? 'none' : 'metadata';
    const cells = [
      `<td>${esc(c.clipId)}<div class="meta">${esc(c.genre)}</div></td>`,
      `<td class="clip-cell">${media(c.original, 'original', preload)}</td>`,
      hasRetrieved ? `<td class="clip-cell">${media(c.retrieved, 'retrieved', preload)}</td>` : '',
      hasGenerated ? `<td class="clip-cell">${c.generated?.length ? c.generated.map((g) => media(g, 'generated', preload)).join('') : media(undefined, 'generated', preload)}</td>` : '',
    ];
    return `<tr${more ? ' class="more"' : ''}>${cells.join('')}</tr>`;
  });
  const head = `<tr><th>test clip</th><th>original (heard)</th>${hasRetrieved ? '<th>retrieved from the library</th>' : ''}${hasGenerated ? '<th>generated from the decoded embedding</th>' : ''}</tr>`;
  const items = new Map((v.contents.retrieval?.items ?? []).map((x) => [x.clipId, x]));
  const tsv: TsvRow[] = v.clips.map((c) => {
    const top = items.get(c.clipId)?.retrieved[0];
    return { clip: c.clipId, genre: c.genre, original_audio: c.original?.audio, retrieved: top?.id, retrieved_genre: top?.genre, retrieved_cosine: top?.score, generated_audio: c.generated?.map((g) => g.audio).join(' '), generated_from: c.generated?.map((g) => g.caption ?? '').join(' | ') };
  });
  const columns = ['clip', 'genre', 'original_audio', ...(hasRetrieved ? ['retrieved', 'retrieved_genre', 'retrieved_cosine'] : []), ...(hasGenerated ? ['generated_audio', 'generated_from'] : [])];
  const toggle = collapse ? `<button type="button" class="show-all" data-more="${v.clips.length - CLIP_ROWS_SHOWN}">show all ${v.clips.length} clips</button>` : '';
  return `<table class="clips${collapse ? ' collapsed' : ''}"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table>
<p class="table-foot">${toggle} ${tsvLink(`${v.contents.id}-clips`, columns, tsv)} Audio files are in this report's audio/ folder.</p>`;
}

/** The significance rule of a subject's maps, stated once under the viewer. */
function sigRule(s: SubjectContents): string {
  const e = s.encode?.summary;
  if (!e) return '';
  return `A voxel is significant when its Benjamini–Hochberg FDR q ≤ ${fmt(e.fdr, 2)} (over ${e.nVoxels.toLocaleString('en-US')} voxels, ${esc(e.null)} null) and r &gt; 0.`;
}

function mapOption(m: BrainMapInfo, selected: boolean): string {
  return `<option value="${esc(m.key)}" data-file="${esc(m.file)}"${selected ? ' selected' : ''}>${esc(m.label)}${m.kind === 'sig' ? ` (${m.nonzero})` : ''}</option>`;
}

function brainViewer(v: SubjectView): string {
  const id = v.contents.id;
  const b = v.brain;
  if (!b || b.maps.length === 0) return notRun('brain maps', 'encode');
  const spaces = [...new Set(b.maps.map((m) => m.space))];
  const options = spaces.map((sp) => `<optgroup label="${esc(sp)}">${b.maps.filter((m) => m.space === sp).map((m) => mapOption(m, m.key === b.defaultKey)).join('')}</optgroup>`).join('');
  const first = b.maps.find((m) => m.key === b.defaultKey)!;
  const fdr = v.contents.encode?.summary.fdr ?? 0.05;
  const levels = [...new Set([0.001, 0.01, 0.05, 0.1, 0.2, fdr])].sort((x, y) => x - y);
  return `<div class="brain-viewer" data-subject="${esc(id)}" data-default="${esc(b.defaultKey)}">
<div class="controls"><label>map <select class="map-select">${options}</select></label>
<button type="button" class="peak" title="move the crosshair to the map's largest value">jump to peak</button>
<button type="button" class="save-png" title="download the slices as shown (PNG)">PNG</button>
<span class="viewer-status">loading…</span></div>
<div class="nv-row"><div class="nv-frame"><canvas></canvas><div class="slice-labels"></div></div>
<div class="colorbar"><div class="colorbar-label">${esc(first.units)}</div><div class="colorbar-body"><div class="colorbar-ramp"></div><div class="colorbar-ticks"></div></div></div></div>
<div class="controls"><label>hide voxels with |value| below <input class="threshold" type="range" min="0" max="${first.max}" step="${first.max / 200 || 0.01}" value="0"> <output class="threshold-value">0.000</output></label>
<label class="q-control">significant at q ≤ <select class="q-level">${levels.map((q) => `<option value="${q}"${q === fdr ? ' selected' : ''}>${q}</option>`).join('')}</select></label>
${b.hasRois ? `<label><input class="show-rois" type="checkbox"> ${v.contents.decode?.rois?.topVoxels ? 'decoding voxels' : 'selected decoding ROIs'}</label>` : ''}</div>
<p class="threshold-text">${esc(first.label)}: ${first.nonzero} voxels${first.kind === 'sig' ? `, r from ${fmt(first.min)} to ${fmt(first.max)}` : ''}.</p>
<p class="readout">Click a slice to read a voxel: its coordinates, r, q and ROI.</p>
</div>
<p class="muted">Drawn on: ${esc(b.background ?? 'the first map (no background image)')}. ${sigRule(v.contents)} Colours: warm for positive values, blue for negative ones (signed maps); the slider hides voxels with |value| below it, 0 shows every voxel. Orientation letters on the slices: L/R left/right, A/P anterior/posterior, S/I superior/inferior (neurological view: left is on the left).</p>`;
}

function encodeTable(s: SubjectContents): string {
  const e = s.encode?.summary;
  if (!e) return '';
  const rows = Object.entries(e.models).map(
    ([name, x]) =>
      `<tr><td>${esc(name)}</td><td class="num">${x.nFeatures}</td><td class="num">${x.nSignificant}</td><td class="num">${e.nVoxels}</td><td class="num">${fmt(x.meanR)}</td><td class="num">${fmt(x.maxR)}</td><td>${esc(x.topRois.slice(0, 3).map((r) => `${r.name} (${r.nSignificant})`).join(', '))}</td></tr>`,
  );
  const tsv: TsvRow[] = Object.entries(e.models).map(([space, x]) => ({ space, features: x.nFeatures, significant: x.nSignificant, voxels: e.nVoxels, mean_r: x.meanR, max_r: x.maxR, top_rois: x.topRois.map((r) => `${r.name} (${r.nSignificant})`).join(', ') }));
  return `<table class="encode"><thead><tr><th>feature space</th><th>features</th><th>significant voxels</th><th>voxels</th><th>mean r</th><th>max r</th><th>top ROIs (significant voxels)</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="table-foot">${tsvLink(`${s.id}-encoding`, ['space', 'features', 'significant', 'voxels', 'mean_r', 'max_r', 'top_rois'], tsv)} Chance: r = 0 for every voxel; ${e.nTrain} training and ${e.nTest} test scans; delays ${esc(e.delays.join(', '))} TR.</p>`;
}

/** Bar charts over the feature spaces and, per compared pair, the voxel-by-voxel density of r. */
function comparisons(s: SubjectContents): string {
  const e = s.encode?.summary;
  if (!e) return notRun('encoding maps and feature-space comparisons', 'encode');
  const names = Object.keys(e.models);
  const parts: string[] = [];
  if (names.length > 1) {
    parts.push(figure(barChartSvg(names.map((n) => ({ label: n, value: e.models[n]!.nSignificant })), { title: 'significant voxels per feature space', min: 0, digits: 0 }), `${s.id}-significant-voxels`));
    parts.push(figure(barChartSvg(names.map((n) => ({ label: n, value: e.models[n]!.meanR, chance: 0 })), { title: 'mean encoding r per feature space', min: Math.min(0, ...names.map((n) => e.models[n]!.meanR)) }), `${s.id}-mean-r`));
  }
  for (const c of e.comparisons) {
    const h = c.histogram;
    const nx = h.counts.length;
    const ny = h.counts[0]?.length ?? 0;
    if (nx === 0 || ny === 0) continue;
    const img = new Float64Array(nx * ny);
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) img[(ny - 1 - j) * nx + i] = Math.log10(1 + h.counts[i]![j]!);
    const svg = heatmapSvg(img, ny, nx, {
      title: `voxel r: ${c.a} vs ${c.b}`,
      colTitle: `r, ${c.a}`,
      rowTitle: `r, ${c.b}`,
      axes: { x0: h.xEdges[0]!, x1: h.xEdges[nx]!, y0: h.yEdges[0]!, y1: h.yEdges[ny]! },
      valueLabel: 'log10(1 + voxels)',
      cell: Math.max(3, Math.floor(240 / Math.max(nx, ny))),
      id: `density-${s.id}-${c.a}-${c.b}`,
      identity: true,
    });
    const note = `<div class="meta">significant in both ${c.counts.both}, only ${esc(c.a)} ${c.counts.onlyA}, only ${esc(c.b)} ${c.counts.onlyB}; where either is significant, ${esc(c.a)} is better in ${c.eitherSignificant.aBetter} of ${c.eitherSignificant.n} voxels (mean difference ${fmt(c.eitherSignificant.meanDiff)}). Above the dashed line y = x, ${esc(c.b)} predicts the voxel better.</div>`;
    parts.push(figure(svg, `${s.id}-${c.a}-vs-${c.b}`, note));
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
<table class="rois"><thead><tr><th>rank</th><th>voxel (column of the responses)</th><th>encoding CV r</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="table-foot">${tsvLink(`${s.id}-decoding-voxels`, ['rank', 'voxel', 'cv_r'], r.topVoxels.map((x) => ({ rank: x.rank, voxel: x.voxel, cv_r: x.cvR })))}</p>`;
  }
  const rows = r.selected.map((x) => `<tr><td>${esc(x.name)}</td><td class="num">${x.index}</td><td class="num">${x.nVoxels}</td><td class="num">${fmt(x.cvR)}</td></tr>`);
  return `${used}<table class="rois"><thead><tr><th>ROI (chosen on training data)</th><th>label</th><th>voxels</th><th>CV r</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="table-foot">${tsvLink(`${s.id}-decoding-rois`, ['roi', 'label', 'voxels', 'cv_r'], r.selected.map((x) => ({ roi: x.name, label: x.index, voxels: x.nVoxels, cv_r: x.cvR })))}</p>`;
}

/** Encoding maps that have no voxel coordinates: why there is no brain image, the distribution of r, the best voxels. */
function voxelMapsSummary(v: SubjectView): string {
  const e = v.contents.encode;
  if (!e?.summary.noVolume || !v.voxelMaps) return '';
  const parts = v.voxelMaps.map((m) => {
    const bars: Bar[] = m.histogram.counts.map((c, i) => ({ label: `${fmt(m.histogram.edges[i], 2)}`, value: c }));
    const top = m.top.map((t) => `<tr><td class="num">${t.voxel}</td><td class="num">${fmt(t.r)}</td><td class="num">${fmt(t.q)}</td></tr>`).join('');
    return `<div>${figure(barChartSvg(bars, { title: `${m.space}: voxels per encoding r bin`, min: 0, digits: 0 }), `${v.contents.id}-${m.space}-r-histogram`)}
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

function identificationFigure(s: SubjectContents): string {
  const ident = s.decode?.identification;
  if (!ident) return notRun('identification matrix', 'decode');
  const { order, groups } = genreOrder(ident.genres);
  const z = rowZscores(ident.values, ident.n);
  const sorted = new Float64Array(ident.n * ident.n);
  for (const [i, oi] of order.entries()) for (const [j, oj] of order.entries()) sorted[i * ident.n + j] = z[oi * ident.n + oj]!;
  const svg = heatmapSvg(sorted, ident.n, ident.n, {
    title: `identification matrix, ${s.id}`,
    rowTitle: 'decoded (test clip)',
    colTitle: 'true embedding (test clip)',
    valueLabel: 'r, z-scored within each row',
    labels: order.map((i) => ident.clipIds[i]!),
    groups: groups.length > 1 ? groups : undefined,
    diagonal: true,
    id: `heatmap-${s.id}`,
  });
  return `${figure(svg, `${s.id}-identification`)}<p class="muted">Clips grouped by genre (white lines); outlined cells: each clip with itself, bright when the decoded embedding is closest to its own clip.</p>`;
}

function subjectSection(v: SubjectView): string {
  const s = v.contents;
  const id = s.id;
  const genres = s.decode?.metrics.perGenre;
  const genreBars: Bar[] = genres ? Object.entries(genres).map(([g, a]) => ({ label: g, value: a, chance: 0.5 })) : [];
  return `<section class="subject" id="${esc(id)}"><h2>${esc(id)}</h2>
<h3>Metrics</h3>${metricsTable(s)}${concentrationNote(s)}
<div class="row"><div><h3>Identification</h3>${identificationFigure(s)}</div>
<div><h3>Accuracy per genre</h3>${genreBars.length ? figure(barChartSvg(genreBars, { title: 'identification accuracy per genre (test)', min: 0, max: 1 }), `${id}-per-genre`) : notRun('per-genre accuracy', 'decode')}</div></div>
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
  const tsv: TsvRow[] = STAGE_NAMES.map((name) => {
    const r = name === 'report' ? undefined : m?.stages[name];
    return { stage: name, status: name === 'report' ? 'this page' : !r ? 'not run' : r.status, seconds: r?.seconds, note: r?.status === 'failed' ? r.error : r?.status === 'not-run' ? r.reason : undefined };
  });
  return `<table class="stages"><thead><tr><th>stage</th><th>status</th><th>seconds</th><th>note</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="table-foot">${tsvLink('stages', ['stage', 'status', 'seconds', 'note'], tsv)}</p>`;
}

/** The first screen: one sentence per subject, then the cross-subject table. */
function resultSection(c: RunContents, views: SubjectView[]): string {
  if (views.length === 0) return '<section id="result"><h2>Result</h2><p class="not-run">No subject results yet: the decode and encode stages have not run.</p></section>';
  const results = views.map((v) => subjectResult(v.contents, c.summary));
  return `<section id="result"><h2>Result</h2>
<ul class="sentences">${results.map((r) => `<li>${esc(subjectSentence(r))}</li>`).join('')}</ul>
${summaryTable(results)}
${alignmentComparison(views.map((v) => v.contents))}
</section>`;
}

/**
 * The report page: first the result (a sentence per subject and the cross-subject table with
 * chance, oracle and intervals), then per subject the metrics, the genre-ordered identification
 * matrix, per-genre accuracy, the brain map viewer, feature-space comparisons, the decoding ROIs
 * and every test clip with players and spectrograms (after the result, the listening test when
 * RUN/listening holds answers), and last the run (stages with timings,
 * configuration, versions). Parts whose stage did not run say so. Pure: returns the HTML.
 */
export function renderReport(c: RunContents, views: SubjectView[], opts: { hasBrainData: boolean; listening?: readonly ListeningScore[] }): string {
  const m = c.manifest;
  const dataset = m ? ('bids' in m.config.dataset ? `BIDS dataset ${m.config.dataset.bids}` : `the simulated dataset (preset ${m.config.dataset.simulate.preset})`) : 'unknown';
  const nav = views.map((v) => `<a href="#${esc(v.contents.id)}">${esc(v.contents.id)}</a>`).join('');
  const scripts = opts.hasBrainData
    ? `<script src="vendor/niivue.umd.js"></script>\n${views.filter((v) => v.brain?.maps.length).map((v) => `<script src="data/${esc(v.contents.id)}-brain.js"></script>`).join('\n')}\n`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>brain2music report</title><link rel="icon" href="data:,"><link rel="stylesheet" href="report.css"></head>
<body><header><h1>brain2music report</h1><p>Music reconstructed from brain activity: ${esc(dataset)}; ${views.length} subject(s). Every number is shown with its chance level.</p></header>
<nav><a href="#result">result</a>${opts.listening?.length ? '<a href="#listening">listening</a>' : ''}${nav}<a href="#run">run</a></nav>
<main>
${resultSection(c, views)}
${listeningSection(opts.listening ?? [])}
${views.map(subjectSection).join('\n')}
<section id="run"><h2>Run</h2>${stagesTable(c)}
${m ? `<p class="muted">brain2music ${esc(m.versions.brain2music)}, Node ${esc(m.versions.node)}, seed ${m.seeds.master}, updated ${esc(m.updatedAt)}.</p>
<details><summary>configuration and versions (run.json)</summary><pre>${esc(JSON.stringify({ config: m.config, versions: m.versions, seeds: m.seeds }, null, 2))}</pre></details>` : '<p class="not-run">no run.json in this folder.</p>'}
</section>
</main>
${scripts}<script src="report.js"></script>
</body></html>
`;
}
