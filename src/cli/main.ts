import { CommanderError } from 'commander';
import { Brain2MusicError, EXIT_CODES } from '../errors.ts';
import { buildProgram } from './program.ts';

// The only place that exits the process: commands throw, this maps errors to exit codes.
const debug = process.argv.includes('--debug');
try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander already printed its message; --help and --version exit 0, a usage error is bad input
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_CODES.BAD_INPUT;
  } else if (err instanceof Brain2MusicError) {
    process.stderr.write(`error: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    process.exitCode = EXIT_CODES[err.code];
  } else {
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`internal error: ${e.message}\n`);
    process.stderr.write(debug && e.stack ? e.stack + '\n' : 'This is a bug in brain2music; rerun with --debug and report the output.\n');
    process.exitCode = EXIT_CODES.INTERNAL;
  }
}
