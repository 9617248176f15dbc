import { scoreListening, type ListeningGroupScore, type ListeningScore, type ProportionScore } from '../evaluate/index.ts';
import type { Reporter } from '../progress.ts';
import type { ListeningKind } from '../run/index.ts';
import { esc, fmt, pct } from './html.ts';
import { readListeningAnswers } from './listenSession.ts';
import { tsvLink, type TsvRow } from './tsvLink.ts';

/** The listening tests of a run folder scored, one per kind that has answers (generated first). */
export function listeningScores(runDir: string, reporter?: Reporter): ListeningScore[] {
  const answers = readListeningAnswers(runDir, reporter);
  return (['generated', 'retrieved'] as ListeningKind[]).filter((k) => answers.some((a) => a.kind === k)).map((k) => scoreListening(k, answers));
}

const p3 = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** "75% correct (15 of 20 answers; 95% interval 50.9%–91.3%; p = 0.041; chance 50%)". */
export function proportionText(s: ProportionScore): string {
  if (s.n === 0) return 'no answers';
  return `${pct(s.fraction)} correct (${s.correct} of ${s.n} answers; 95% interval ${pct(s.ci95[0])}–${pct(s.ci95[1])}; p = ${p3(s.p)}; chance 50%)`;
}

/** The rows of a score: overall, then per subject, then per listener. */
function rows(s: ListeningScore): [string, ListeningGroupScore][] {
  return [['all answers', s.overall], ...Object.entries(s.perSubject).map(([k, v]) => [`subject ${k}`, v] as [string, ListeningGroupScore]), ...Object.entries(s.perListener).map(([k, v]) => [`listener ${k}`, v] as [string, ListeningGroupScore])];
}

/** The agreement between listeners in words, with n and chance. */
export function agreementText(s: ListeningScore): string {
  const { fleissKappa: k, pairwise: w } = s.agreement;
  if (!k && !w) return `agreement between listeners: not measured (${s.nListeners < 2 ? 'one listener' : 'no shared trials'})`;
  const parts: string[] = [];
  if (k) parts.push(`Fleiss' kappa ${Number.isNaN(k.value) ? 'undefined (every answer alike)' : fmt(k.value)} over the ${k.nTrials} trials all ${k.nListeners} listeners answered (chance 0)`);
  if (w) parts.push(`pairwise agreement ${pct(w.value)} of ${w.nShared} shared answers in ${w.nPairs} pair(s) of listeners (chance from their own rates ${pct(w.chance)})`);
  return `agreement between listeners: ${parts.join('; ')}`;
}

/** The score as plain lines (the `listen --score` output). */
export function listeningLines(s: ListeningScore): string[] {
  const width = Math.max(...rows(s).map(([l]) => l.length));
  return [
    `listening test, ${s.kind} music: ${s.nAnswers} answers from ${s.nListeners} listener(s); unit: ${s.method.unit}; ${s.method.interval}; ${s.method.test}`,
    ...rows(s).flatMap(([label, g]) => [
      `  ${label.padEnd(width)}  ${proportionText(g)}`,
      `  ${''.padEnd(width)}    genre-matched foils: ${proportionText(g.genreMatched)}; genre-mismatched foils: ${proportionText(g.genreMismatched)}`,
    ]),
    `  ${agreementText(s)}`,
  ];
}

function cells(x: ProportionScore): string {
  if (x.n === 0) return '<td class="num">0</td><td class="num">–</td><td class="num">–</td><td class="num">–</td>';
  return `<td class="num">${x.n}</td><td class="num">${pct(x.fraction)}</td><td class="num">${pct(x.ci95[0])}–${pct(x.ci95[1])}</td><td class="num">${p3(x.p)}</td>`;
}

/** The report's listening section: per kind a table (overall, per subject, per listener; split by foil), agreement, and how each number is computed. */
export function listeningSection(scores: readonly ListeningScore[]): string {
  if (scores.length === 0) return '';
  const tables = scores.map((s) => {
    const body = rows(s).map(([label, g]) => `<tr><td>${esc(label)}</td>${cells(g)}<td class="num">${pct(g.genreMatched.fraction)} <span class="ref">(n ${g.genreMatched.n})</span></td><td class="num">${pct(g.genreMismatched.fraction)} <span class="ref">(n ${g.genreMismatched.n})</span></td></tr>`);
    const tsv: TsvRow[] = rows(s).map(([group, g]) => ({
      group, answers: g.n, correct: g.correct, fraction: g.fraction, ci95_low: g.ci95[0], ci95_high: g.ci95[1], p_two_sided: g.p, chance: 0.5,
      matched_n: g.genreMatched.n, matched_fraction: g.genreMatched.fraction, mismatched_n: g.genreMismatched.n, mismatched_fraction: g.genreMismatched.fraction,
    }));
    const columns = ['group', 'answers', 'correct', 'fraction', 'ci95_low', 'ci95_high', 'p_two_sided', 'chance', 'matched_n', 'matched_fraction', 'mismatched_n', 'mismatched_fraction'];
    return `<h3>${esc(s.kind)} music: ${s.nAnswers} answers from ${s.nListeners} listener(s)</h3>
<table class="listening" data-kind="${esc(s.kind)}"><thead><tr><th>answers of</th><th>n</th><th>correct (chance 50%)</th><th>95% interval</th><th>p</th><th>genre-matched foils</th><th>genre-mismatched foils</th></tr></thead><tbody>${body.join('')}</tbody></table>
<p class="table-foot">${tsvLink(`listening-${s.kind}`, columns, tsv)} ${esc(agreementText(s))}.</p>`;
  });
  const m = scores[0]!.method;
  return `<section id="listening"><h2>Listening test</h2>
<p class="muted">Two-alternative forced choice: a listener hears a test clip and two reconstructions, of that clip and of another test clip (the foil), and picks the one that resembles it more. Correct: the reconstruction of the clip heard. Unit: ${esc(m.unit)}, counted as independent. Interval: ${esc(m.interval)}; p: ${esc(m.test)}; agreement: ${esc(m.agreement)}.</p>
${tables.join('\n')}
</section>`;
}
