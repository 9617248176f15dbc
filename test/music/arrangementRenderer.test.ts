import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SRC = join(import.meta.dirname, '..', '..', 'src');

test('createArrangementRenderer(2) renders the bits of renderArrangement, and a renderer left open (an idle worker among them) lets the process exit', () => {
  // in a child process: a worker pool that kept a port referenced would hold it open until the timeout
  const script = `
    import { createArrangementRenderer, renderArrangement, sampleArrangement } from ${JSON.stringify(join(SRC, 'music', 'index.ts'))};
    import { createRng } from ${JSON.stringify(join(SRC, 'linalg', 'index.ts'))};
    const song = sampleArrangement('jazz', createRng(8), { durationSec: 5 });
    const pooled = await createArrangementRenderer(2).render(song);
    const here = await renderArrangement(song);
    console.log(JSON.stringify([pooled.length, pooled.every((x, i) => x === here[i])]));
  `;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(res.status, 0, `the child exited on its own (signal ${res.signal}): ${res.stderr}`);
  assert.deepEqual(JSON.parse(res.stdout.trim()), [5 * 22050, true]);
});
