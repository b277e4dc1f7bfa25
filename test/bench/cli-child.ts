// Runs one operator-CLI command in a child process, the way `npm run server:cli` runs it, and
// measures it alone: wall time from spawn to exit (tsx start-up included) and the child's peak RSS.
// As a script (the child): runs the CLI with its arguments, then prints `maxRssKb=N` on stderr.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(self), '../..');

export type ChildRun = { ms: number; maxRssKb: number; stderr: string };

export function runCliInChild(args: string[]): Promise<ChildRun> {
  const tsx = pathToFileURL(createRequire(path.join(repo, 'package.json')).resolve('tsx')).href;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', tsx, self, ...args], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const rss = /^maxRssKb=(\d+)$/m.exec(stderr);
      if (code !== 0 || !rss) reject(new Error(`${args[0]} child failed (exit ${code}):\n${stderr}`));
      else resolve({ ms, maxRssKb: Number(rss[1]), stderr });
    }),
  );
}

if (process.argv[1] === self) {
  const { runCli } = await import('../../server/cli/run');
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: {},
  });
  process.stderr.write(`maxRssKb=${process.resourceUsage().maxRSS}\n`);
  process.exit(code);
}
