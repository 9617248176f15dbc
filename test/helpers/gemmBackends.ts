import { getBackend, listBackends } from '../../src/linalg/index.ts';

/**
 * Every registered GEMM backend with the reason it cannot run here (false when it starts), for
 * suites that run once per backend: a backend whose binary cannot load is skipped, not failed.
 */
export async function gemmBackends(): Promise<{ name: string; skip: string | false }[]> {
  const out: { name: string; skip: string | false }[] = [];
  for (const name of listBackends()) {
    let skip: string | false = false;
    try {
      await getBackend(name);
    } catch (err) {
      skip = `backend '${name}' cannot start here: ${(err as Error).message.split('\n')[0]}`;
    }
    out.push({ name, skip });
  }
  return out;
}
