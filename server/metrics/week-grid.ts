import type { MetricsReport } from '../../shared/metrics/report';

/** One reviewer's week: labels, agreement with co-raters, gold answers. */
export interface WeekCell {
  labels: number;
  agreeing: number;
  compared: number;
  goldCorrect: number;
  goldAnswered: number;
}

/** The pod chart's weeks x reviewers grid, filled cell by cell during the pass. */
export class WeekGrid {
  private readonly cells = new Map<string, Map<string, WeekCell>>();

  cell(userId: string, week: string): WeekCell {
    let weeks = this.cells.get(userId);
    if (!weeks) this.cells.set(userId, (weeks = new Map()));
    let cell = weeks.get(week);
    if (!cell)
      weeks.set(week, (cell = { labels: 0, agreeing: 0, compared: 0, goldCorrect: 0, goldAnswered: 0 }));
    return cell;
  }

  /** Columns aligned with `weeks`, one row per reviewer listed. */
  rows(
    weeks: string[],
    reviewers: readonly { userId: string; username: string; podId: string | null }[],
  ): MetricsReport['byWeekByReviewer'] {
    return {
      weeks,
      reviewers: reviewers.map(({ userId, username, podId }) => {
        const mine = this.cells.get(userId);
        const cells = weeks.map((w) => mine?.get(w));
        return {
          userId,
          username,
          podId,
          labels: cells.map((c) => c?.labels ?? 0),
          agreement: cells.map((c) => (c && c.compared ? c.agreeing / c.compared : null)),
          agreementN: cells.map((c) => c?.compared ?? 0),
          goldAccuracy: cells.map((c) => (c && c.goldAnswered ? c.goldCorrect / c.goldAnswered : null)),
        };
      }),
    };
  }
}
