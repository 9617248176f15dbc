// The builtin embedding as a user runs it on GTZAN: the whole `brain2music embed --bids` process
// on 540 15-s excerpts cut from 30-s Sun .au tracks in GTZAN's layout (genres/<genre>/<id>.au,
// 16-bit PCM at 22,050 Hz), once with `--threads 1` (the baseline, measured in the same run) and
// once with every core; prints the real-time factor (excerpt seconds / wall seconds) of each, the
// ratio, and whether both wrote the same bytes.
// Usage: npm run bench:embed:gtzan [-- DIR] (DIR: work folder, default /tmp/b2m-embed-gtzan; the
// simulated paper-preset stimuli are rendered there once, 1 subject, 2,000 voxels, no library).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { readAudio } from '../src/io/index.ts';
import { auBytes } from '../test/helpers/auFile.ts';

const dir = process.argv[2] ?? '/tmp/b2m-embed-gtzan';
const sim = join(dir, 'sim');
const gtzan = join(dir, 'gtzan');
const cli = (args: string[]) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/brain2music.js', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`brain2music ${args.join(' ')} failed:\n${r.stderr}`);
  return (performance.now() - t0) / 1000;
};

if (!existsSync(join(sim, 'stimuli', 'params.json'))) {
  console.log(`rendering the paper preset's stimuli into ${sim} …`);
  cli(['simulate', '--out', sim, '--preset', 'paper', '--subjects', '1', '--voxels', '2000', '--library', '0']);
}

const ids = readdirSync(join(sim, 'stimuli')).filter((f) => f.endsWith('.wav')).map((f) => f.slice(0, -4)).sort();
if (!existsSync(join(gtzan, 'genres'))) {
  for (const id of ids) {
    const a = await readAudio(join(sim, 'stimuli', `${id}.wav`));
    // a 30-s track as GTZAN ships them: the 15-s excerpt the events name (0–15 s), then more music
    const track = new Float32Array(2 * a.samples.length);
    track.set(a.samples, 0);
    track.set(a.samples, a.samples.length);
    const genreDir = join(gtzan, 'genres', id.split('.')[0]!);
    mkdirSync(genreDir, { recursive: true });
    writeFileSync(join(genreDir, `${id}.au`), auBytes(track, a.sampleRate));
  }
}
const seconds = ids.length * 15;
const run = (threads: string[], out: string) => {
  rmSync(join(dir, `${out}.npy`), { force: true });
  rmSync(join(dir, `${out}.json`), { force: true });
  return cli([...threads, 'embed', '--bids', sim, '--audio', gtzan, '--model', 'builtin', '--out', join(dir, `${out}.npy`)]);
};
const load0 = loadavg()[0]!;
const one = run(['--threads', '1'], 'one');
const all = run([], 'all');
const same = Buffer.compare(readFileSync(join(dir, 'one.npy')), readFileSync(join(dir, 'all.npy'))) === 0;
console.log(`brain2music embed --model builtin, ${ids.length} excerpts of 15 s from 30-s .au tracks (GTZAN layout), whole process, ${availableParallelism()} cores (load average before: ${load0.toFixed(2)})`);
console.log(`--threads 1: ${one.toFixed(1)} s wall, ${(seconds / one).toFixed(0)}× real time (baseline)`);
console.log(`all cores:   ${all.toFixed(1)} s wall, ${(seconds / all).toFixed(0)}× real time; ${(one / all).toFixed(2)}× the baseline; same bytes: ${same}`);
