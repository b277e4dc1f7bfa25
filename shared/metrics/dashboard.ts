import { z } from 'zod';
import { Id, Task } from '../task';
import {
  FlagSchema,
  MetricsReportSchema,
  ReviewerRowSchema,
  ThresholdsSchema,
  type MetricsReport,
} from './report';
import { agreementWithCoRaters, podMedians } from './medians';

/**
 * What the quality dashboards read (docs/metrics.md, "Dashboards"). A lead or an admin gets the
 * report itself (a lead's always limited to their pod); a reviewer gets only their own figures
 * beside their pod's medians, never another reviewer's.
 */

export const METRICS_PATHS = {
  /** GET: the projects a dashboard can show */
  projects: '/v1/metrics/projects',
  /** GET ?pod=: one project's dashboard data (report or own view, by role) */
  dashboard: '/v1/metrics/projects/:projectId',
  /** GET (lead, admin): one overlap task's labels side by side, for the disagreement explorer */
  taskLabels: '/v1/metrics/projects/:projectId/tasks/:taskId',
} as const;

export const MetricsProjectsReply = z.object({
  projects: z.array(z.object({ id: Id, name: z.string() })),
});
export type MetricsProjectsReply = z.infer<typeof MetricsProjectsReply>;

const Median = z.number().nullable();

/** The pod's medians over its reviewers (each reviewer's own figure, then the median of those). */
export const PodMediansSchema = z.object({
  /** reviewers with any label in scope */
  reviewers: z.number().int().min(0),
  agreement: Median,
  goldAccuracy: Median,
  medianActiveMs: Median,
  escalationRate: Median,
  skipRate: Median,
  /** share of decided pairwise choices for the response shown first */
  pairwiseFirst: Median,
});
export type PodMedians = z.infer<typeof PodMediansSchema>;

/** A reviewer's own dashboard. */
export const SelfViewSchema = z.object({
  projectId: z.string(),
  projectName: z.string(),
  computedAt: z.string(),
  podId: z.string().nullable(),
  /** null before their first label in the project */
  me: ReviewerRowSchema.nullable(),
  /** their raw agreement with the co-raters of their overlap tasks (agreementWithCoRaters) */
  myAgreement: z.number().nullable(),
  pod: PodMediansSchema,
  /** their own weekly figures (report.byWeekByReviewer, their row) */
  weeks: z.object({
    weeks: z.array(z.string()),
    labels: z.array(z.number().int().min(0)),
    agreement: z.array(z.number().nullable()),
    goldAccuracy: z.array(z.number().nullable()),
  }),
  thresholds: ThresholdsSchema,
  flags: z.array(FlagSchema),
});
export type SelfView = z.infer<typeof SelfViewSchema>;

export const DashboardReply = z.discriminatedUnion('view', [
  z.object({ view: z.literal('team'), report: MetricsReportSchema }),
  z.object({ view: z.literal('self'), self: SelfViewSchema }),
]);
export type DashboardReply = z.infer<typeof DashboardReply>;

/** What the workstation shows: the reply, when it was fetched, and whether it is the last one kept. */
export const DashboardSnapshot = z.object({
  data: DashboardReply,
  fetchedAt: z.string(),
  /** shown from the copy kept on this computer: the server could not be reached */
  offline: z.boolean(),
  /** why the server could not be asked, in plain words (offline only) */
  reason: z.string().nullable(),
});
export type DashboardSnapshot = z.infer<typeof DashboardSnapshot>;

/** One label of a disagreed task as the explorer shows it: the judgement, never the rationale's author outside the pod. */
export const TaskLabelView = z.object({
  /** the reviewer's username; null for a reviewer of another pod (a lead sees their own pod's names) */
  reviewer: z.string().nullable(),
  podId: z.string().nullable(),
  kind: z.enum(['ranking', 'pairwise']),
  ranks: z.record(z.string(), z.number()).nullable(),
  pairwise: z
    .object({ preferredResponseId: z.string().nullable(), strength: z.string().nullable() })
    .nullable(),
  tags: z.array(z.object({ responseId: z.string(), tagId: z.string(), severity: z.string() })),
  receivedAt: z.string(),
});
export type TaskLabelView = z.infer<typeof TaskLabelView>;

export const TaskLabelsReply = z.object({
  /** the task as a reviewer sees it (no meta) */
  task: Task,
  labels: z.array(TaskLabelView),
});
export type TaskLabelsReply = z.infer<typeof TaskLabelsReply>;

export { agreementWithCoRaters, median, podMedians } from './medians';

/** A reviewer's own view of a report of their pod: their row, the pod's medians, nothing of others. */
export function selfView(report: MetricsReport, userId: string, podId: string | null): SelfView {
  const me = report.reviewers.find((r) => r.userId === userId) ?? null;
  const grid = report.byWeekByReviewer;
  const mine = grid.reviewers.find((r) => r.userId === userId);
  const zeros = grid.weeks.map(() => 0);
  const nulls = grid.weeks.map(() => null);
  return {
    projectId: report.projectId,
    projectName: report.projectName,
    computedAt: report.computedAt,
    podId,
    me,
    myAgreement: agreementWithCoRaters(mine),
    pod: podMedians(report, podId),
    weeks: {
      weeks: grid.weeks,
      labels: mine?.labels ?? zeros,
      agreement: mine?.agreement ?? nulls,
      goldAccuracy: mine?.goldAccuracy ?? nulls,
    },
    thresholds: report.pods.find((p) => p.podId === podId)?.thresholds ?? report.thresholds,
    flags: me?.flags ?? [],
  };
}
