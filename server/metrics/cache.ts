import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { MetricsReport } from '../../shared/metrics/report';
import type { Database } from '../db/schema';
import type { MetricsOptions } from './compute';

/** How long a report is served without recomputing, whatever its stamp: flags' windows end "now". */
export const REPORT_TTL_MS = 3 * 60_000;
/** Reports kept (projects x pods x scopes a busy dashboard asks for); the oldest goes first. */
const MAX_REPORTS = 64;

interface Entry {
  stamp: string;
  at: number;
  report: Promise<MetricsReport>;
}

/**
 * The dashboards' reports (docs/metrics.md, "Dashboards"): computeMetrics reads every label of the
 * project, so a report is kept per (project, pod, reviewer, since, until) and served again while
 * the stamp of its inputs is unchanged and it is younger than REPORT_TTL_MS. Concurrent requests
 * for one report share one computation. The CLI always computes afresh.
 */
export class MetricsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs = REPORT_TTL_MS) {}

  async get(
    db: Kysely<Database>,
    options: MetricsOptions,
    now: Date,
    compute: () => Promise<MetricsReport>,
  ): Promise<MetricsReport> {
    const key = JSON.stringify([
      options.projectId,
      options.pod ?? null,
      options.reviewer ?? null,
      options.since ?? null,
      options.until ?? null,
    ]);
    const stamp = await inputsStamp(db, options.projectId);
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp && now.getTime() - hit.at < this.ttlMs && now.getTime() >= hit.at)
      return hit.report;
    const report = compute();
    this.entries.delete(key);
    this.entries.set(key, { stamp, at: now.getTime(), report });
    // a failed computation is not kept
    report.catch(() => this.entries.get(key)?.report === report && this.entries.delete(key));
    while (this.entries.size > MAX_REPORTS) this.entries.delete(this.entries.keys().next().value!);
    return report;
  }
}

/**
 * A cheap fingerprint of what a project's report is computed from: its labels (count and the sum
 * of revisions, read from the index: a new label or an edit changes it), skips and escalations,
 * gold answers, thresholds, revealed calibration rounds, and how many users, pod members and pods
 * there are. One query, on indexes or small tables. What it misses (a withdrawn task: counting them
 * scans the tasks' bodies; a reviewer moved from one pod to another; a window that moved with the
 * clock) lasts at most REPORT_TTL_MS.
 */
export async function inputsStamp(db: Kysely<Database>, projectId: string): Promise<string> {
  const row = await sql<Record<string, unknown>>`
    select
      (select count(*) from label_facts where project_id = ${projectId}) as labels,
      (select coalesce(sum(revision), 0) from label_facts where project_id = ${projectId}) as revisions,
      (select count(*) from task_events where project_id = ${projectId}) as events,
      (select count(*) from gold_answers where project_id = ${projectId}) as gold,
      (select max(updated_at) from gold_answers where project_id = ${projectId}) as gold_at,
      (select max(updated_at) from metric_thresholds where project_id = ${projectId}) as thresholds,
      (select count(*) from metric_thresholds where project_id = ${projectId}) as bars,
      (select count(*) from calibration_rounds where revealed_at is not null) as revealed,
      (select count(*) from users) as users,
      (select count(*) from users where pod_id is not null) as members,
      (select count(*) from pods) as pods
  `.execute(db);
  return JSON.stringify(Object.values(row.rows[0] ?? {}).map((v) => (v === null ? null : String(v))));
}
