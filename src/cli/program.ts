import { Command, InvalidArgumentError } from 'commander';

/** Parses a positive integer option or fails with the option's name. */
export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'.`);
    return n;
  };
}

/** Parses a TCP port (0 to 65535) or fails naming the option. */
function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be an integer from 0 to 65535, got '${value}'.`);
  return n;
}

/**
 * The whole command-line interface in one place: every command and flag is declared here;
 * each action lazily imports its command module and calls one typed function.
 */
export function buildProgram(): Command {
  const program = new Command('brain2music')
    .description('Reconstruct music from fMRI: decode, retrieve, generate, and map music in the brain.')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
    .exitOverride();

  // --- commands: each block declares one command (keep alphabetical) ---

  program
    .command('serve')
    .description('serve a run folder (report and files) read-only on 127.0.0.1')
    .argument('<RUN>', 'run folder')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0: any free port)', parsePort, 8000)
    .action(async (run: string, o: { port: number }) => {
      const { runServe } = await import('./commands/serve.ts');
      const { terminalUi } = await import('./ui.ts');
      await runServe({ run, port: o.port }, terminalUi());
    });

  return program;
}
