import { Command, InvalidArgumentError } from 'commander';

/** Parses a positive integer option or fails with the option's name. */
export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'.`);
    return n;
  };
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

  return program;
}
