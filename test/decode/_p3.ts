import { fitVoxelDecoder } from '../../src/decode/index.ts';
import { normalStream } from './synthetic.ts';
const g = normalStream(3);
const n = 1920, T = Number(process.argv[2] ?? 128);
const groups = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 4));
const Y = Float32Array.from({ length: n * T }, () => g());
for (const p of [60, 140, 400, 1500]) {
  const X = Float32Array.from({ length: n * p }, () => g());
  for (const mode of ['inner', 'nested'] as const) {
    const t0 = performance.now();
    await fitVoxelDecoder(X, p, Y, T, groups, { cvScore: mode });
    console.log(`p=${p} T=${T} ${mode}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
}
