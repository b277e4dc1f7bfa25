import type { Kysely } from 'kysely';
import type { Thresholds } from '../../shared/metrics/report';
import { DEFAULT_THRESHOLDS } from '../../shared/metrics/thresholds';
import type { Database, MetricThresholdsTable } from '../db/schema';

/** The project-wide row's pod_id ('' rather than null: one primary key on both databases). */
export const PROJECT_WIDE = '';

export type ThresholdValues = Omit<Thresholds, 'source'>;

const fromRow = (row: MetricThresholdsTable, source: 'pod' | 'project'): Thresholds => ({
  minAgreement: row.min_agreement,
  maxGoldError: row.max_gold_error,
  maxPositionBias: row.max_position_bias,
  windowDays: row.window_days,
  minN: row.min_n,
  source,
});

/** A project's bars: the project's row (else the defaults), and each pod's row where one is set. */
export interface ProjectThresholds {
  project: Thresholds;
  /** the pod's row, else the project's */
  of(podId: string | null): Thresholds;
}

export async function loadThresholds(db: Kysely<Database>, projectId: string): Promise<ProjectThresholds> {
  const rows = await db
    .selectFrom('metric_thresholds')
    .selectAll()
    .where('project_id', '=', projectId)
    .execute();
  const projectRow = rows.find((r) => r.pod_id === PROJECT_WIDE);
  const project = projectRow ? fromRow(projectRow, 'project') : DEFAULT_THRESHOLDS;
  const pods = new Map(
    rows.filter((r) => r.pod_id !== PROJECT_WIDE).map((r) => [r.pod_id, fromRow(r, 'pod')]),
  );
  return { project, of: (podId) => (podId !== null ? pods.get(podId) : undefined) ?? project };
}

/** Sets a project's (or one pod's) bars; the values not given keep what applied before. */
export async function saveThresholds(
  db: Kysely<Database>,
  projectId: string,
  podId: string | null,
  values: Partial<ThresholdValues>,
  now: Date,
): Promise<Thresholds> {
  const current = (await loadThresholds(db, projectId)).of(podId);
  const row: MetricThresholdsTable = {
    project_id: projectId,
    pod_id: podId ?? PROJECT_WIDE,
    min_agreement: values.minAgreement ?? current.minAgreement,
    max_gold_error: values.maxGoldError ?? current.maxGoldError,
    max_position_bias: values.maxPositionBias ?? current.maxPositionBias,
    window_days: values.windowDays ?? current.windowDays,
    min_n: values.minN ?? current.minN,
    updated_at: now.toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('metric_thresholds')
      .where('project_id', '=', projectId)
      .where('pod_id', '=', row.pod_id)
      .execute();
    await trx.insertInto('metric_thresholds').values(row).execute();
  });
  return fromRow(row, podId === null ? 'project' : 'pod');
}
