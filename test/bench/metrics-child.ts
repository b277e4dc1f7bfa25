// Runs computeMetrics on one project in a child process, so its peak RSS is its own: prints
// `ms=N` (computeMetrics alone, database open excluded), `cpuMs=N` (this process's CPU time in
// that span: on a loaded machine the wall time says more about the neighbours) and `maxRssKb=N`
// on stderr.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(self), '../..');

export type MetricsRun = { ms: number; cpuMs: number; maxRssKb: number; report: string };

export function computeMetricsInChild(target: string, projectId: string): Promise<MetricsRun> {
  const tsx = pathToFileURL(createRequire(path.join(repo, 'package.json')).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, self, target, projectId], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const ms = /^ms=([\d.]+)$/m.exec(stderr);
      const rss = /^maxRssKb=(\d+)$/m.exec(stderr);
      const cpu = /^cpuMs=([\d.]+)$/m.exec(stderr);
      if (code !== 0 || !ms || !rss || !cpu)
        reject(new Error(`metrics child failed (exit ${code}):\n${stderr}`));
      else resolve({ ms: Number(ms[1]), cpuMs: Number(cpu[1]), maxRssKb: Number(rss[1]), report: stdout });
    }),
  );
}

if (process.argv[1] === self) {
  const { openDatabase } = await import('../../server/db/connect');
  const { computeMetrics } = await import('../../server/metrics/compute');
  const [target, projectId] = process.argv.slice(2) as [string, string];
  const server = await openDatabase(target);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const report = await computeMetrics(server.db, { projectId, now: new Date('2026-01-05T00:00:00.000Z') });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  await server.close();
  const summary = {
    labels: report.overall.labels,
    overlapTasks: report.overall.overlapTasks,
    alpha: report.overall.agreement.alpha.value,
    percent: report.overall.agreement.pairwisePercent.value,
    kendallW: report.overall.agreement.kendallW.value,
    pods: report.pods.length,
    reviewers: report.reviewers.length,
    weeks: report.weeks.length,
    flags: report.flags.length,
    bytes: JSON.stringify(report).length,
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stderr.write(
    `ms=${ms.toFixed(1)}\ncpuMs=${cpuMs.toFixed(0)}\nmaxRssKb=${process.resourceUsage().maxRSS}\n`,
  );
  process.exit(0);
}
