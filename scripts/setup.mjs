// Installs what the project needs on a fresh machine, and nothing when it is already there:
// npm packages (npm ci), and for tests Debian's chromium (browser tests) and python3-nibabel /
// python3-sklearn / python3-pil (cross-checks against the Python neuroimaging stack).
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

function run(cmd) {
  console.error(`setup: ${cmd}`);
  execSync(cmd, { stdio: ['ignore', 'inherit', 'inherit'] });
}

export function ensureNodeModules() {
  const stamp = 'node_modules/.package-lock.json';
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync('package-lock.json').mtimeMs) return;
  run('npm ci --no-audit --no-fund');
}

const DEBIAN_FOR_TESTS = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'python3-nibabel', present: () => spawnSync('/usr/bin/python3', ['-c', 'import nibabel']).status === 0 },
  { pkg: 'python3-sklearn', present: () => spawnSync('/usr/bin/python3', ['-c', 'import sklearn']).status === 0 },
  { pkg: 'python3-pil', present: () => spawnSync('/usr/bin/python3', ['-c', 'import PIL']).status === 0 },
  { pkg: 'sox', present: () => existsSync('/usr/bin/sox') },
  { pkg: 'libsox-fmt-all', present: () => spawnSync('/usr/bin/sox', ['-n', '-t', 'mp3', '/dev/null', 'trim', '0', '0.01']).status === 0 },
];

export function ensureTestSystemPackages() {
  ensureDebian(DEBIAN_FOR_TESTS, 'the tests that need them');
}

// The Slurm cluster test (npm run test:slurm) starts a one-node cluster: slurmctld, slurmd, munged.
const DEBIAN_FOR_CLUSTER = [
  { pkg: 'slurm-wlm', present: () => existsSync('/usr/sbin/slurmctld') && existsSync('/usr/sbin/slurmd') },
  { pkg: 'munge', present: () => existsSync('/usr/sbin/munged') },
];

function ensureDebian(packages, what) {
  const missing = packages.filter((d) => !d.present()).map((d) => d.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`setup: not root, cannot install ${missing.join(', ')}; ${what} will be skipped with a reason.`);
    return;
  }
  try {
    run('apt-get update -qq');
    run(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`);
  } catch {
    console.error(`setup: could not install ${missing.join(', ')}; ${what} will be skipped with a reason.`);
  }
}

export function ensureClusterPackages() {
  ensureDebian(DEBIAN_FOR_CLUSTER, 'the cluster test');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureNodeModules();
  if (process.argv.includes('--tests')) ensureTestSystemPackages();
  if (process.argv.includes('--cluster')) ensureClusterPackages();
}
