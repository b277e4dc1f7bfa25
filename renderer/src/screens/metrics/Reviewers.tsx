import { useMemo } from 'react';
import { agreementWithCoRaters, podMedians } from '../../../../shared/metrics/medians';
import type { MetricsReport, ReviewerRow } from '../../../../shared/metrics/report';
import { WeekChart, type WeekSeries } from '../../charts/WeekChart';
import { biasWords, duration, pct } from '../../logic/metricsFormat';
import { useMetrics } from '../../state/metricsStore';
import { CoachingForm } from '../lead/CoachingForm';

const share = (v: number | null) => pct(v, 1);

/** Every reviewer's agreement with co-raters by week: one line each (the pod chart of the issue). */
function AgreementByReviewer({ report }: { report: MetricsReport }) {
  const grid = report.byWeekByReviewer;
  const series = useMemo<WeekSeries[]>(
    () => grid.reviewers.map((r) => ({ label: r.username, values: r.agreement, format: share })),
    [grid],
  );
  return (
    <WeekChart
      title="Agreement with co-raters by week, per reviewer"
      weeks={grid.weeks}
      series={series}
      yShare
    />
  );
}

/** One reviewer against the pod: their figures beside the pod's medians, bias, the tags they differ on. */
function DrillDown({ report, row }: { report: MetricsReport; row: ReviewerRow }) {
  const grid = report.byWeekByReviewer.reviewers.find((r) => r.userId === row.userId);
  const pod = podMedians(report, row.podId);
  const tags = [...row.tags].filter((t) => t.agreement !== null).sort((a, b) => a.agreement! - b.agreement!);
  const bias = row.figures.positionBias;
  const lines: [string, string, string][] = [
    ['Agreement with co-raters', pct(agreementWithCoRaters(grid)), pct(pod.agreement)],
    ['Gold accuracy', pct(row.figures.gold?.share ?? null), pct(pod.goldAccuracy)],
    ['Time per task (median)', duration(row.figures.activeTime.medianMs), duration(pod.medianActiveMs)],
    ['Escalated', pct(row.figures.escalation.share, 1), pct(pod.escalationRate, 1)],
    ['Skipped', pct(row.figures.skip.share, 1), pct(pod.skipRate, 1)],
    ['First-shown chosen (pairwise)', pct(bias.pairwiseFirst.share), pct(pod.pairwiseFirst)],
  ];
  return (
    <section className="m-section" aria-labelledby="m-drill" data-testid="reviewer-drilldown">
      <h3 id="m-drill">{row.username} against the pod</h3>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">{row.username}</th>
            <th scope="col">Pod median ({pod.reviewers})</th>
          </tr>
        </thead>
        <tbody>
          {lines.map(([name, mine, theirs]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{mine}</td>
              <td>{theirs}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Position bias: {biasWords(bias.pairwiseFirst.share)}
        {bias.meanRankByPosition.length > 0 &&
          `; mean rank by shown position ${bias.meanRankByPosition.map((r) => r.toFixed(2)).join(', ')} (no bias: ${bias.expectedMeanRankByPosition.map((r) => r.toFixed(2)).join(', ')})`}
        .
      </p>
      {row.flags.length > 0 && (
        <p>
          Flagged: {row.flags.map((f) => f.message).join(' ')} Suggested:{' '}
          {[...new Set(row.flags.flatMap((f) => f.actions))].join(', ')}.
        </p>
      )}
      <CoachingForm userId={row.userId} podId={row.podId} name={row.username} />
      <h4>Tags they disagree on most</h4>
      {tags.length === 0 ? (
        <p className="muted">No tag comparisons yet.</p>
      ) : (
        <ul className="m-tags">
          {tags.slice(0, 5).map((t) => (
            <li key={t.tagId}>
              {t.tagId}: {pct(t.agreement)} agree ({t.n} comparisons)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The reviewers of the scope: one row each, Enter on a name opens the drill-down. */
export function Reviewers({ report }: { report: MetricsReport }) {
  const selected = useMetrics((s) => s.reviewerId);
  const grid = new Map(report.byWeekByReviewer.reviewers.map((r) => [r.userId, r]));
  const row = report.reviewers.find((r) => r.userId === selected) ?? null;
  return (
    <div className="m-reviewers" data-testid="metrics-reviewers">
      <AgreementByReviewer report={report} />
      <table className="data-table m-reviewer-table">
        <caption className="sr-only">Reviewers&apos; figures</caption>
        <thead>
          <tr>
            <th scope="col">Reviewer</th>
            <th scope="col">Labels</th>
            <th scope="col">Agreement</th>
            <th scope="col">Gold</th>
            <th scope="col">Median time</th>
            <th scope="col">Escalated</th>
            <th scope="col">Skipped</th>
            <th scope="col">Flags</th>
          </tr>
        </thead>
        <tbody>
          {report.reviewers.map((r) => (
            <tr key={r.userId} aria-current={r.userId === selected ? 'true' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="linklike"
                  aria-expanded={r.userId === selected}
                  onClick={() => useMetrics.setState({ reviewerId: r.userId === selected ? null : r.userId })}
                >
                  {r.username}
                </button>
              </th>
              <td>{r.figures.labels}</td>
              <td>{pct(agreementWithCoRaters(grid.get(r.userId)))}</td>
              <td>{pct(r.figures.gold?.share ?? null)}</td>
              <td>{duration(r.figures.activeTime.medianMs)}</td>
              <td>{pct(r.figures.escalation.share, 1)}</td>
              <td>{pct(r.figures.skip.share, 1)}</td>
              <td>{r.flags.length ? r.flags.map((f) => f.metric).join(', ') : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {row && <DrillDown report={report} row={row} />}
    </div>
  );
}
