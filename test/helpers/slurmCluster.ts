// A one-node Slurm cluster on localhost for the cluster test: munged (shared with the machine),
// slurmctld and slurmd with their own configuration, ports, state and logs in a temporary
// folder, so nothing of the machine's own Slurm set-up (if any) is touched. Jobs find it through
// SLURM_CONF, which `start` sets for this process and its children (sbatch, squeue, the jobs).
// Accounting without slurmdbd: job completions go to a text file that `sacct --completion` reads.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

export interface SlurmCluster {
  dir: string;
  conf: string;
  /** The completed jobs as `sacct --completion` lists them: job id (`12_1` for array tasks), name, state. */
  completedJobs(): { id: string; name: string; state: string }[];
  stop(): void;
}

/** Why the cluster cannot be started here (then the test is skipped with it), or undefined. */
export function clusterUnavailable(): string | undefined {
  for (const bin of ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch']) {
    if (!existsSync(bin)) return `${bin} is missing: Debian's slurm-wlm and munge are not installed (npm run test:slurm installs them as root)`;
  }
  if (process.getuid?.() !== 0) return 'not root: slurmd must run as root to start jobs as the submitting user';
  return undefined;
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function mungeUp(): boolean {
  return spawnSync('/bin/sh', ['-c', 'munge -n | unmunge']).status === 0;
}

/** Starts munged unless one answers already (its key is the package's /etc/munge/munge.key). */
function ensureMunge(): void {
  if (mungeUp()) return;
  for (const d of ['/run/munge', '/var/log/munge', '/var/lib/munge']) mkdirSync(d, { recursive: true });
  if (!existsSync('/etc/munge/munge.key')) sh('/bin/sh', ['-c', 'dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null && chmod 400 /etc/munge/munge.key']);
  sh('/bin/sh', ['-c', 'chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge && chmod 755 /run/munge']);
  sh('/usr/sbin/runuser', ['-u', 'munge', '--', '/usr/sbin/munged']);
  for (let i = 0; i < 50 && !mungeUp(); i++) spawnSync('sleep', ['0.1']);
  if (!mungeUp()) throw new Error('munged did not start (see /var/log/munge/munged.log)');
}

/** Starts slurmctld and slurmd for a node with this machine's CPUs and memory; waits until the node is idle. */
export function startCluster(): SlurmCluster {
  ensureMunge();
  const dir = mkdtempSync(join(tmpdir(), 'b2m-slurm-'));
  for (const d of ['state', 'spool', 'log']) mkdirSync(join(dir, d));
  const node = hostname().split('.')[0]!;
  const memMb = Math.floor(totalmem() / 2 ** 20) - 1024;
  const port = 17000 + (process.pid % 1000) * 2;
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=b2mtest', `SlurmctldHost=${node}`, `SlurmctldPort=${port}`, `SlurmdPort=${port + 1}`,
    'SlurmUser=root', 'SlurmdUser=root', 'AuthType=auth/munge',
    `StateSaveLocation=${dir}/state`, `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`, `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/log/slurmctld.log`, `SlurmdLogFile=${dir}/log/slurmd.log`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none',
    'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core_Memory', 'DefMemPerCPU=3000',
    'SchedulerType=sched/backfill', 'SchedulerParameters=sched_interval=1', 'MinJobAge=3600',
    `JobCompType=jobcomp/filetxt`, `JobCompLoc=${dir}/jobcomp.txt`,
    'JobAcctGatherType=jobacct_gather/none', 'AccountingStorageType=accounting_storage/none',
    'MpiDefault=none', 'ReturnToService=2',
    // twice the machine's cores (config_overrides: slurmd takes the configuration's word), so
    // that on a 2-core machine the two subjects of a stage run side by side even while another
    // stage's array holds a core: the test checks that subjects run as parallel array tasks
    'SlurmdParameters=config_overrides',
    `NodeName=${node} CPUs=${2 * cpus().length} RealMemory=${memMb} State=UNKNOWN`,
    `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n'));
  process.env.SLURM_CONF = conf;
  sh('/usr/sbin/slurmctld', ['-f', conf]);
  sh('/usr/sbin/slurmd', ['-f', conf]);
  let state = '';
  for (let i = 0; i < 100; i++) {
    state = spawnSync('sinfo', ['--noheader', '--format=%T'], { encoding: 'utf8' }).stdout.trim();
    if (state === 'idle') break;
    spawnSync('sleep', ['0.2']);
  }
  if (state !== 'idle') throw new Error(`the test cluster's node is '${state}', not idle; see ${dir}/log`);
  const pid = (f: string) => Number(readFileSync(join(dir, f), 'utf8'));
  return {
    dir,
    conf,
    completedJobs() {
      // sacct --completion lists array tasks by their raw job ids; the completion file it reads
      // also names each one's array job and task, which sacct does not print
      const arrayId = new Map<string, string>();
      for (const line of readFileSync(join(dir, 'jobcomp.txt'), 'utf8').split('\n')) {
        const m = /^JobId=(\d+) .* ArrayJobId=(\d+) ArrayTaskId=(\d+)/.exec(line);
        if (m) arrayId.set(m[1]!, `${m[2]}_${m[3]}`);
      }
      const out = sh('sacct', ['--completion', '--noheader', '--parsable2', '--format=JobID,JobName,State']);
      return out.split('\n').filter(Boolean).map((l) => {
        const [raw, name, state] = l.split('|') as [string, string, string];
        return { id: arrayId.get(raw) ?? raw, name, state };
      });
    },
    stop() {
      for (const f of ['slurmd.pid', 'slurmctld.pid']) {
        try {
          process.kill(pid(f), 'SIGTERM');
        } catch {
          // already gone
        }
      }
      spawnSync('sleep', ['1']);
      rmSync(dir, { recursive: true, force: true });
      delete process.env.SLURM_CONF;
    },
  };
}
