import type { AlignedDecodeMetrics, DecodeMetrics } from '../run/index.ts';
import { esc, fmt } from './html.ts';
import { tsvLink, type TsvRow } from './tsvLink.ts';

/** How a pooled decoder was made, in a few words: "ridge-aligned onto sub-001, trained on 5 subjects". */
export function alignedWhat(a: AlignedDecodeMetrics): string {
  const space = a.method === 'ridge' ? `ridge-aligned onto ${a.reference}` : 'shared response model';
  return `${space}, trained on ${a.trainingSubjects.length} subjects${a.excludeTarget ? ', this one left out' : ''}`;
}

/**
 * Within-subject and pooled (cross-subject, `decode --align`) decoding side by side, one row per
 * subject, on the same test clips, with its TSV download; empty when no subject has a pooled decoder.
 */
export function alignmentComparison(subjects: readonly { id: string; decode?: { metrics: DecodeMetrics } }[]): string {
  const shown = subjects.flatMap((s) => (s.decode?.metrics.aligned ? [{ id: s.id, d: s.decode.metrics, a: s.decode.metrics.aligned }] : []));
  if (shown.length === 0) return '';
  const runs = (d: DecodeMetrics) => (d.trainRuns ? `${d.trainRuns.kept} of ${d.trainRuns.of}` : 'all');
  const rows = shown.map(({ id, d, a }) => `<tr><td>${esc(id)}</td><td class="num">${esc(runs(d))}</td><td class="num">${fmt(d.identificationTest.value)}</td><td class="num">${fmt(a.identificationTest.value)}</td><td class="num">${fmt(a.identificationTest.value - d.identificationTest.value)}</td><td class="num">${fmt(d.nWayTop1.value)}</td><td class="num">${fmt(a.nWayTop1.value)}</td><td class="num">${fmt(a.nWayTop1.chance)}</td><td>${esc(alignedWhat(a))}</td></tr>`);
  const tsv: TsvRow[] = shown.map(({ id, d, a }) => ({
    subject: id, training_runs: runs(d), identification_own: d.identificationTest.value, identification_pooled: a.identificationTest.value,
    nway_own: d.nWayTop1.value, nway_pooled: a.nWayTop1.value, nway_chance: a.nWayTop1.chance, method: a.method, reference: a.reference, training_subjects: a.trainingSubjects.join(' '),
  }));
  const columns = ['subject', 'training_runs', 'identification_own', 'identification_pooled', 'nway_own', 'nway_pooled', 'nway_chance', 'method', 'reference', 'training_subjects'];
  return `<h3>Within-subject and pooled decoding</h3><table class="metrics alignment"><thead><tr><th>subject</th><th>training runs</th><th>identification, own decoder</th><th>identification, pooled decoder</th><th>difference</th><th>N-way top-1, own</th><th>N-way top-1, pooled</th><th>chance top-1</th><th>pooled decoder</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="table-foot">${tsvLink('alignment', columns, tsv)} Both decoders scored on each subject's own test clips (identification chance 0.5). The pooled decoder is trained on the functionally aligned training clips of several subjects; alignment and decoder never see a test response (docs/alignment.md).</p>`;
}
