// metrics.project1M: every metric of a project with 1,000,000 labels (10% of tasks rated by 3
// reviewers, 50 reviewers in 7 pods) on SQLite and PostgreSQL; computeMetrics timed alone in a
// child process whose peak RSS is read (the larger of the two runs). Gold is not seeded yet; QA
// re-ratings neither.
import { openDatabase } from '../../server/db/connect';
import { freshTarget } from './fresh-db';
import { computeMetricsInChild } from './metrics-child';
import { BENCH_PROJECT, seedPostgres, seedSqlite } from './metrics-seed';

export async function benchMetrics(opts: {
  postgres: boolean;
  labels?: number;
  log?: (line: string) => void;
}): Promise<Record<string, number>> {
  const labels = opts.labels ?? 1_000_000;
  const log = opts.log ?? (() => undefined);
  const results: Record<string, number> = {};
  let peakKb = 0;
  for (const dialect of opts.postgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
    const target = await freshTarget(dialect, 'metrics');
    try {
      const server = await openDatabase(target.url);
      await server.close();
      const seedStart = performance.now();
      const counts =
        dialect === 'sqlite' ? seedSqlite(target.url, labels) : await seedPostgres(target.url, labels);
      log(
        `  ${dialect}: seeded ${counts.labels} labels, ${counts.tasks} tasks, ${counts.events} events in ${Math.round((performance.now() - seedStart) / 1000)} s`,
      );
      const run = await computeMetricsInChild(target.url, BENCH_PROJECT);
      log(
        `  ${dialect}: ${run.ms.toFixed(0)} ms (Node CPU ${run.cpuMs.toFixed(0)} ms), ${Math.round(run.maxRssKb / 1024)} MB peak: ${run.report.trim()}`,
      );
      results[`metrics.project1M.${dialect}.ms`] = run.ms;
      peakKb = Math.max(peakKb, run.maxRssKb);
    } finally {
      await target.drop();
    }
  }
  results['metrics.project1M.peakRssMb'] = peakKb / 1024;
  return results;
}
