// metrics.project1M: every metric of a project with 1,000,000 labels (10% of tasks rated by 3
// reviewers, 5% gold, 50 reviewers in 7 pods) on SQLite and PostgreSQL; computeMetrics timed
// alone in a child process whose peak RSS is read (the larger of the two runs). QA re-ratings are
// not seeded.
//
// Options (read here, so `npm run bench -- --only=metrics ...` passes them through):
//   --metrics-labels=N  seed N labels instead of 1,000,000 (e.g. 100000 to profile quickly)
//   --keep-metrics-db   seed once and keep the database for the next run: a SQLite file under
//                       the temp folder and a PostgreSQL database, both named by N; a later run
//                       with the flag reuses them (seeding 1M takes minutes). The kept database
//                       is migrated by the code of the run that opens it (new migrations, with
//                       their backfills, run before the timed computation). Drop them by hand
//                       (the path and name are logged).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../server/db/connect';
import { PG_ADMIN_URL, freshTarget } from './fresh-db';
import type { Target } from './fresh-db';
import { computeMetricsInChild } from './metrics-child';
import { BENCH_PROJECT, seedGold, seedPostgres, seedSqlite } from './metrics-seed';

export async function benchMetrics(opts: {
  postgres: boolean;
  labels?: number;
  keep?: boolean;
  log?: (line: string) => void;
}): Promise<Record<string, number>> {
  const flag = process.argv.find((a) => a.startsWith('--metrics-labels='))?.slice('--metrics-labels='.length);
  const labels = opts.labels ?? (flag !== undefined ? Number(flag) : 1_000_000);
  if (!Number.isInteger(labels) || labels < 1) throw new Error(`--metrics-labels: not a count: ${flag}`);
  const keep = opts.keep ?? process.argv.includes('--keep-metrics-db');
  const log = opts.log ?? (() => undefined);
  const results: Record<string, number> = {};
  let peakKb = 0;
  for (const dialect of opts.postgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
    const target = keep ? await keptTarget(dialect, labels) : await freshTarget(dialect, 'metrics');
    try {
      const server = await openDatabase(target.url); // migrates (a kept database too)
      const seeded = await server.db
        .selectFrom('labels')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', BENCH_PROJECT)
        .executeTakeFirstOrThrow();
      await server.close();
      if (Number(seeded.n) === labels) log(`  ${dialect}: kept database ${target.url} (${labels} labels)`);
      else {
        if (Number(seeded.n) !== 0) throw new Error(`${target.url} holds ${seeded.n} labels, not ${labels}`);
        const seedStart = performance.now();
        const counts =
          dialect === 'sqlite' ? seedSqlite(target.url, labels) : await seedPostgres(target.url, labels);
        log(
          `  ${dialect}: seeded ${counts.labels} labels, ${counts.tasks} tasks, ${counts.events} events in ${Math.round((performance.now() - seedStart) / 1000)} s${keep ? ` (kept: ${target.url})` : ''}`,
        );
      }
      const withGold = await openDatabase(target.url);
      const gold = await seedGold(withGold.db).finally(() => withGold.close());
      if (gold > 0) log(`  ${dialect}: ${gold} gold answers (5% of tasks)`);
      const run = await computeMetricsInChild(target.url, BENCH_PROJECT);
      log(
        `  ${dialect}: ${run.ms.toFixed(0)} ms (Node CPU ${run.cpuMs.toFixed(0)} ms), ${Math.round(run.maxRssKb / 1024)} MB peak, load ${os.loadavg()[0]!.toFixed(1)}: ${run.report.trim()}`,
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

/** The kept database for `labels` labels (created empty when missing); drop() keeps it. */
async function keptTarget(dialect: 'sqlite' | 'postgres', labels: number): Promise<Target> {
  const keepIt = async () => undefined;
  if (dialect === 'sqlite') {
    const dir = path.join(os.tmpdir(), `rw-metrics-kept-${labels}`);
    fs.mkdirSync(dir, { recursive: true });
    return { dialect, url: path.join(dir, 'server.db'), drop: keepIt };
  }
  const name = `rw_metrics_kept_${labels}`;
  const admin = new pg.Client(PG_ADMIN_URL);
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { dialect, url: url.toString(), drop: keepIt };
}
