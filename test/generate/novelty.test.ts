import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noveltyCheck } from '../../src/generate/index.ts';
import { inMemoryLibrary } from '../../src/library/index.ts';
import { createRng } from '../../src/linalg/index.ts';

test('noveltyCheck(audio, …) flags a shifted, quieter copy of a library clip and passes new audio', async () => {
  const rng = createRng(8);
  const clips = Array.from({ length: 4 }, () => Float32Array.from({ length: 2000 }, () => rng.normal()));
  const vectors = Float32Array.from({ length: 4 * 3 }, () => rng.normal());
  const library = inMemoryLibrary({ ids: ['l0', 'l1', 'l2', 'l3'], vectors, dim: 3 });
  const load = async (id: string) => clips[Number(id.slice(1))]!;

  const copy = new Float32Array(2500);
  for (let i = 0; i < 2000; i++) copy[i + 300] = 0.5 * clips[2]![i]!;
  const copied = await noveltyCheck(copy, vectors.slice(6, 9), library, load, 2);
  assert.equal(copied.nearest[0]!.id, 'l2');
  assert.ok(Math.abs(copied.maxCosine - 1) < 1e-6);
  assert.ok(copied.maxCrossCorrelation > 0.99);

  const fresh = Float32Array.from({ length: 2000 }, () => rng.normal());
  const novel = await noveltyCheck(fresh, Float32Array.from([0.3, -1, 0.2]), library, load, 4);
  assert.equal(novel.nearest.length, 4);
  assert.ok(novel.maxCrossCorrelation < 0.2, `new noise stays far from every clip (${novel.maxCrossCorrelation})`);
});
