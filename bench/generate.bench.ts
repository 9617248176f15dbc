// Generation benchmark on a demo run: the builtin generator from decoded embeddings with and
// without re-ranking by the subject's encoding model (the same draws: without = each clip's first
// candidate), from the true embeddings (oracle), with chance, and the closest any generated clip
// comes to a library clip. Usage: npm run bench:generate -- [RUN] [--rerank N]
// (RUN defaults to runs/demo; it is made with `brain2music demo` first when missing).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runDemo } from '../src/cli/commands/demo.ts';
import { runGenerate } from '../src/cli/commands/generate.ts';
import { silentUi, terminalUi } from '../src/cli/ui.ts';

const args = process.argv.slice(2);
const rerankAt = args.indexOf('--rerank');
const rerank = rerankAt >= 0 ? Number(args[rerankAt + 1]) : 10;
const run = resolve(args.find((a, i) => !a.startsWith('--') && i !== rerankAt + 1) ?? 'runs/demo');

if (!existsSync(resolve(run, 'run.json'))) {
  console.log(`no run at ${run}: running the demo first`);
  await runDemo({ out: run }, silentUi);
}
const t0 = performance.now();
const res = await runGenerate({ run, subject: 'all', rerank, samples: 1, seed: 1 }, { ...terminalUi(), info: () => {} });
const seconds = (performance.now() - t0) / 1000;

const f = (x: number) => x.toFixed(3);
console.log(`\ngeneration on ${run}, builtin generator, ${rerank} candidates re-ranked per clip (${seconds.toFixed(0)} s)`);
console.log('subject   | identification: re-ranked / first draw / oracle (chance 0.5) | genre agreement: re-ranked / first draw / oracle (chance) | max cosine, max xcorr to library');
for (const [s, m] of Object.entries(res)) {
  const w = m.withoutRerank!;
  console.log(
    `${s}   | ${f(m.decoded.identification.value)} / ${f(w.identification.value)} / ${f(m.oracle.identification.value)}` +
      `                          | ${f(m.decoded.genreAgreement.value)} / ${f(w.genreAgreement.value)} / ${f(m.oracle.genreAgreement.value)} (${f(m.decoded.genreAgreement.chance)})` +
      `                  | ${f(m.novelty.maxCosine)}, ${f(m.novelty.maxCrossCorrelation)}`,
  );
}
