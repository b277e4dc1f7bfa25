import type { PodMedians } from './dashboard';
import type { MetricsReport, ReviewerRow } from './report';

// A pod's medians and a reviewer's agreement with co-raters: plain TypeScript without zod, so
// the dashboards in the renderer use the same figures the services compute (issue 12: no zod
// in the renderer bundle; the reply schemas are in dashboard.ts).

/** The median of the numbers given (nulls left out); null when there are none. */
export function median(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (!known.length) return null;
  const mid = known.length >> 1;
  return known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
}

type GridRow = MetricsReport['byWeekByReviewer']['reviewers'][number];

/**
 * A reviewer's raw agreement with the co-raters of their overlap tasks over the whole scope: the
 * weekly shares weighted by their comparisons (the grid keeps both). Null without comparisons.
 */
export function agreementWithCoRaters(row: GridRow | undefined): number | null {
  if (!row) return null;
  let agreed = 0;
  let n = 0;
  row.agreement.forEach((share, week) => {
    const comparisons = row.agreementN[week] ?? 0;
    if (share === null || comparisons === 0) return;
    agreed += share * comparisons;
    n += comparisons;
  });
  return n ? agreed / n : null;
}

const reviewerFigures = (row: ReviewerRow, grid: GridRow | undefined) => ({
  agreement: agreementWithCoRaters(grid),
  goldAccuracy: row.figures.gold?.share ?? null,
  medianActiveMs: row.figures.activeTime.medianMs,
  escalationRate: row.figures.escalation.share,
  skipRate: row.figures.skip.share,
  pairwiseFirst: row.figures.positionBias.pairwiseFirst.share,
});

/** The pod's medians over the reviewers of a report (pod-scoped or not: `podId` picks them). */
export function podMedians(report: MetricsReport, podId: string | null): PodMedians {
  const grid = new Map(report.byWeekByReviewer.reviewers.map((r) => [r.userId, r]));
  const rows = report.reviewers
    .filter((r) => r.podId === podId && r.figures.labels > 0)
    .map((r) => reviewerFigures(r, grid.get(r.userId)));
  const of = (key: keyof ReturnType<typeof reviewerFigures>) => median(rows.map((r) => r[key]));
  return {
    reviewers: rows.length,
    agreement: of('agreement'),
    goldAccuracy: of('goldAccuracy'),
    medianActiveMs: of('medianActiveMs'),
    escalationRate: of('escalationRate'),
    skipRate: of('skipRate'),
    pairwiseFirst: of('pairwiseFirst'),
  };
}
