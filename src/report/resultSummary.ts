import type { ScoreWithChance, SummaryMetrics } from '../run/index.ts';
import type { SubjectContents } from './collectRun.ts';
import { esc, fmt, pct } from './html.ts';
import { tsvLink, type TsvRow } from './tsvLink.ts';

/**
 * A 95 % interval recorded with a score (`ci95`), as [low, high]: accepts `[lo, hi]` or an object
 * with `low`/`high` (or `lo`/`hi`, `lower`/`upper`); anything else gives undefined.
 */
export function ci95Of(score: unknown): [number, number] | undefined {
  if (typeof score !== 'object' || score === null) return undefined;
  const c = (score as { ci95?: unknown }).ci95;
  let lo: unknown;
  let hi: unknown;
  if (Array.isArray(c)) [lo, hi] = c as unknown[];
  else if (typeof c === 'object' && c !== null) {
    const o = c as Record<string, unknown>;
    lo = o.low ?? o.lo ?? o.lower;
    hi = o.high ?? o.hi ?? o.upper;
  }
  return typeof lo === 'number' && typeof hi === 'number' && Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : undefined;
}

/** The headline scores of one subject, from its stage files (and metrics.json for an interval only it records). */
export interface SubjectResult {
  id: string;
  unit?: 'clips' | 'windows';
  identification?: ScoreWithChance & { ci95?: [number, number] };
  nWay?: ScoreWithChance & { n: number; ci95?: [number, number] };
  retrievalGenre?: ScoreWithChance;
  generationIdentification?: ScoreWithChance;
  generationGenre?: ScoreWithChance;
  /** Significant voxels per encoding space, best first, of `nVoxels`, at FDR `fdr`. */
  significant?: { spaces: { space: string; n: number }[]; nVoxels: number; fdr: number };
}

/** Collects the scores the first screen shows for a subject. */
export function subjectResult(s: SubjectContents, summary: SummaryMetrics | undefined): SubjectResult {
  const d = s.decode?.metrics;
  const recorded = summary?.subjects[s.id]?.decode;
  const g = s.generationMetrics;
  const e = s.encode?.summary;
  const withCi = <T extends ScoreWithChance>(x: T, alt: unknown): T & { ci95?: [number, number] } => {
    const ci = ci95Of(x) ?? ci95Of(alt);
    return ci ? { ...x, ci95: ci } : x;
  };
  return {
    id: s.id,
    unit: d?.unit,
    identification: d && withCi(d.identificationTest, recorded?.identificationTest),
    nWay: d && withCi(d.nWayTop1, recorded?.nWayTop1),
    retrievalGenre: s.retrieval?.genreAgreement,
    generationIdentification: g?.identification && { ...g.identification, oracle: g.oracle?.identification.value },
    generationGenre: g?.genreAgreement && { ...g.genreAgreement, oracle: g.oracle?.genreAgreement.value },
    significant: e && {
      spaces: Object.entries(e.models).map(([space, m]) => ({ space, n: m.nSignificant })).sort((a, b) => b.n - a.n),
      nVoxels: e.nVoxels,
      fdr: e.fdr,
    },
  };
}

const refs = (s: ScoreWithChance & { ci95?: [number, number] }) =>
  [s.oracle !== undefined ? `oracle ${pct(s.oracle)}` : '', `chance ${pct(s.chance)}`, s.ci95 ? `95% interval ${pct(s.ci95[0])}–${pct(s.ci95[1])}` : ''].filter(Boolean).join(', ');

/**
 * One sentence that says what a subject's run found, every score with its chance (and oracle,
 * interval where recorded); parts whose stage did not run are left out.
 *
 * @example "sub-001: the decoded music embedding picked the right clip out of a pair 89.5% of the time (chance 50%); …"
 */
export function subjectSentence(r: SubjectResult): string {
  const parts: string[] = [];
  const item = r.unit === 'windows' ? 'window' : 'clip';
  if (r.identification) parts.push(`the decoded music embedding picked the right ${item} out of a pair ${pct(r.identification.value)} of the time (${refs(r.identification)})`);
  if (r.nWay) parts.push(`it ranked the right one first among ${r.nWay.n} test ${item}s ${pct(r.nWay.value)} of the time (${refs(r.nWay)})`);
  if (r.retrievalGenre) parts.push(`retrieval found the right genre ${pct(r.retrievalGenre.value)} of the time (${refs(r.retrievalGenre)})`);
  if (r.generationIdentification) parts.push(`music generated from it was identified ${pct(r.generationIdentification.value)} of the time (${refs(r.generationIdentification)})`);
  const best = r.significant?.spaces[0];
  if (best && r.significant) parts.push(`${best.n.toLocaleString('en-US')} of ${r.significant.nVoxels.toLocaleString('en-US')} voxels are significantly predicted by ${best.space} (FDR q ≤ ${r.significant.fdr})`);
  return parts.length ? `${r.id}: ${parts.join('; ')}.` : `${r.id}: no results yet (the decode and encode stages have not run).`;
}

function cell(s: (ScoreWithChance & { ci95?: [number, number] }) | undefined): string {
  if (!s) return '<td class="num not-run">–</td>';
  const ref = [s.oracle !== undefined ? `oracle ${fmt(s.oracle)}` : '', `chance ${fmt(s.chance)}`].filter(Boolean).join(', ');
  return `<td class="num"><b>${fmt(s.value)}</b><div class="ref">${esc(ref)}</div>${s.ci95 ? `<div class="ref">95% interval ${fmt(s.ci95[0])}–${fmt(s.ci95[1])}</div>` : ''}</td>`;
}

const mean = (xs: (number | undefined)[]): number | undefined => {
  const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length === xs.length && v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
};

/** Mean of a score over subjects (value, chance, oracle), when every subject has it. */
function meanScore(xs: (ScoreWithChance | undefined)[]): ScoreWithChance | undefined {
  const value = mean(xs.map((x) => x?.value));
  const chance = mean(xs.map((x) => x?.chance));
  if (value === undefined || chance === undefined) return undefined;
  const oracle = mean(xs.map((x) => x?.oracle));
  return { value, chance, ...(oracle !== undefined ? { oracle } : {}) };
}

const KEYS = ['identification', 'nWay', 'retrievalGenre', 'generationIdentification', 'generationGenre'] as const;
const HEADS: Record<(typeof KEYS)[number], string> = {
  identification: 'identification, test',
  nWay: 'N-way top-1, test',
  retrievalGenre: 'retrieval: genre of top clip agrees',
  generationIdentification: 'generation: identification',
  generationGenre: 'generation: genre agrees',
};

/**
 * The cross-subject table of the first screen: per subject (and their mean, with two or more)
 * identification with its chance and 95 % interval, N-way top-1, retrieval genre agreement,
 * generated-music identification and genre agreement with oracle and chance, and the
 * significant voxels per encoding space; columns of stages that ran for no subject are left out.
 * Followed by its TSV download link.
 */
export function summaryTable(results: SubjectResult[]): string {
  const keys = KEYS.filter((k) => results.some((r) => r[k]));
  const hasSig = results.some((r) => r.significant);
  const nWayHead = (k: (typeof KEYS)[number]) => (k === 'nWay' && results.every((r) => r.nWay?.n === results[0]?.nWay?.n) && results[0]?.nWay ? `${results[0].nWay.n}-way top-1, test` : HEADS[k]);
  const head = `<tr><th>subject</th>${keys.map((k) => `<th>${esc(nWayHead(k))}</th>`).join('')}${hasSig ? '<th>significant voxels (FDR)</th>' : ''}</tr>`;
  const sigCell = (r: SubjectResult) => (r.significant ? `<td>${r.significant.spaces.map((x) => `<span class="sp">${esc(x.space)} <b>${x.n}</b></span>`).join(', ')}<div class="ref">of ${r.significant.nVoxels.toLocaleString('en-US')}, q ≤ ${r.significant.fdr}</div></td>` : '<td class="not-run">–</td>');
  const rows = results.map((r) => `<tr><td>${esc(r.id)}</td>${keys.map((k) => cell(r[k])).join('')}${hasSig ? sigCell(r) : ''}</tr>`);
  if (results.length > 1) rows.push(`<tr class="mean"><td>mean of ${results.length}</td>${keys.map((k) => cell(meanScore(results.map((r) => r[k])))).join('')}${hasSig ? '<td></td>' : ''}</tr>`);
  const spaces = [...new Set(results.flatMap((r) => r.significant?.spaces.map((x) => x.space) ?? []))];
  const columns = ['subject', ...keys.flatMap((k) => [k, `${k}_chance`, `${k}_oracle`, `${k}_ci95_low`, `${k}_ci95_high`]), ...(results.some((r) => r.nWay) ? ['nway_n'] : []), ...spaces.map((s) => `significant_${s}`), ...(hasSig ? ['voxels', 'fdr'] : [])];
  const tsv: TsvRow[] = results.map((r) => {
    const row: TsvRow = { subject: r.id, nway_n: r.nWay?.n, voxels: r.significant?.nVoxels, fdr: r.significant?.fdr };
    for (const k of keys) {
      const s = r[k];
      Object.assign(row, { [k]: s?.value, [`${k}_chance`]: s?.chance, [`${k}_oracle`]: s?.oracle, [`${k}_ci95_low`]: ci95Of(s)?.[0], [`${k}_ci95_high`]: ci95Of(s)?.[1] });
    }
    for (const sp of spaces) row[`significant_${sp}`] = r.significant?.spaces.find((x) => x.space === sp)?.n;
    return row;
  });
  return `<table class="summary"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>
<p class="table-foot">${tsvLink('summary', columns, tsv)} Identification: the decoded embedding of a test clip is closer (Pearson r) to its own true embedding than to another clip's, averaged over all pairs (chance 50%). N-way top-1: its own clip ranks first among all test clips. Oracle: the same measure with the true embedding instead of the decoded one.</p>`;
}
