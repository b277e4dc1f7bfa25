// `npm run server:cli -- <command>`: the server operator's CLI (see `--help`, docs/exports.md).
import { runCli } from './run';

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
} catch (error) {
  // unexpected (database unreachable, disk full, …): the message, not a stack, for the operator
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
