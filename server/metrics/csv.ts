import type { Figures, Flag, MetricsReport } from '../../shared/metrics/report';

const COLUMNS = [
  'row',
  'id',
  'name',
  'pod',
  'labels',
  'tasks',
  'overlap_tasks',
  'agreement_percent',
  'agreement_alpha',
  'alpha_ci_low',
  'alpha_ci_high',
  'agreement_items',
  'kendall_w',
  'gold_accuracy',
  'pairwise_first_share',
  'pairwise_decided',
  'median_active_ms',
  'p90_active_ms',
  'escalation_rate',
  'skip_rate',
  'flags',
] as const;

/** RFC 4180: quote a field holding a comma, a quote or a line break. */
const field = (value: string | number | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

function figureCells(f: Figures): (string | number | null)[] {
  const alpha = f.agreement.alpha;
  return [
    f.labels,
    f.tasks,
    f.overlapTasks,
    f.agreement.pairwisePercent.value,
    alpha.value,
    alpha.ci95?.[0] ?? null,
    alpha.ci95?.[1] ?? null,
    alpha.n.items,
    f.agreement.kendallW.value,
    f.gold?.share ?? null,
    f.positionBias.pairwiseFirst.share,
    f.positionBias.pairwiseFirst.total,
    f.activeTime.medianMs,
    f.activeTime.p90Ms,
    f.escalation.share,
    f.skip.share,
  ];
}

const flagCell = (flags: Flag[]) => flags.map((f) => `${f.metric}:${f.actions.join('+')}`).join(' ');

/** `metrics --format csv`: the scope, then one row per pod and per reviewer with the main figures. */
export function metricsCsv(report: MetricsReport): string {
  const rows: (string | number | null)[][] = [
    ['scope', report.projectId, report.projectName, report.scope.pod, ...figureCells(report.overall), ''],
    ...report.pods.map((p) => [
      'pod',
      p.podId,
      p.name,
      p.podId,
      ...figureCells(p.figures),
      flagCell(p.flags),
    ]),
    ...report.reviewers.map((r) => [
      'reviewer',
      r.userId,
      r.username,
      r.podId,
      ...figureCells(r.figures),
      flagCell(r.flags),
    ]),
  ];
  return [COLUMNS.join(','), ...rows.map((row) => row.map(field).join(','))].join('\r\n') + '\r\n';
}
