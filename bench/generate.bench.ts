// Generation benchmark on a demo run: the builtin generator from decoded embeddings with and
// without re-ranking by the subject's encoding model (the same draws: without = each clip's first
// candidate), from the true embeddings (oracle), with chance, and the closest any generated clip
// comes to a library clip. Usage: npm run bench:generate -- [RUN] [--rerank N] [--guidance K]
// (RUN defaults to runs/demo; it is made with `brain2music demo` first when missing; K, the draws
// per candidate kept by embedding guidance, defaults to the run's configuration).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runDemo } from '../src/cli/commands/demo.ts';
import { runGenerate } from '../src/cli/commands/generate.ts';
import { silentUi, terminalUi } from '../src/cli/ui.ts';

const args = process.argv.slice(2);
const rerankAt = args.indexOf('--rerank');
const rerank = rerankAt >= 0 ? Number(args[rerankAt + 1]) : 10;
const guidanceAt = args.indexOf('--guidance');
const guidance = guidanceAt >= 0 ? Number(args[guidanceAt + 1]) : undefined;
// a flag's value is not the run folder (only when the flag is given: index 0 is a run folder)
const isValue = (i: number) => (rerankAt >= 0 && i === rerankAt + 1) || (guidanceAt >= 0 && i === guidanceAt + 1);
const run = resolve(args.find((a, i) => !a.startsWith('--') && !isValue(i)) ?? 'runs/demo');

if (!existsSync(resolve(run, 'run.json'))) {
  console.log(`no run at ${run}: running the demo first`);
  await runDemo({ out: run }, silentUi);
}
const t0 = performance.now();
const res = await runGenerate({ run, subject: 'all', rerank, guidance, samples: 1, seed: 1 }, { ...terminalUi(), info: () => {} });
const seconds = (performance.now() - t0) / 1000;

const f = (x: number) => x.toFixed(3);
const settings = Object.values(res)[0]!.settings;
console.log(`\ngeneration on ${run}, builtin generator, temperature ${settings.temperature}, ${settings.guidance} draws per candidate (embedding guidance), ${rerank} candidates re-ranked per clip (${seconds.toFixed(0)} s)`);
console.log('subject   | identification: re-ranked / first draw / oracle (chance 0.5) | genre agreement: re-ranked / first draw / oracle (chance) | max cosine, max xcorr to library');
for (const [s, m] of Object.entries(res)) {
  const w = m.withoutRerank!;
  console.log(
    `${s}   | ${f(m.decoded.identification.value)} / ${f(w.identification.value)} / ${f(m.oracle.identification.value)}` +
      `                          | ${f(m.decoded.genreAgreement.value)} / ${f(w.genreAgreement.value)} / ${f(m.oracle.genreAgreement.value)} (${f(m.decoded.genreAgreement.chance)})` +
      `                  | ${f(m.novelty.maxCosine)}, ${f(m.novelty.maxCrossCorrelation)}`,
  );
}
