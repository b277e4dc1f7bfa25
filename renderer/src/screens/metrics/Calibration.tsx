import type { MetricsReport } from '../../../../shared/metrics/report';
import { pct } from '../../logic/metricsFormat';

/** Revealed calibration rounds of the scope: how well each pod agreed with itself. */
export function Calibration({ report }: { report: MetricsReport }) {
  if (!report.calibration.length) return <p className="muted">No calibration round has been revealed yet.</p>;
  return (
    <table className="data-table" data-testid="metrics-calibration">
      <caption>Calibration rounds, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Round</th>
          <th scope="col">Pod</th>
          <th scope="col">Revealed</th>
          <th scope="col">Answered</th>
          <th scope="col">Mean agreement</th>
        </tr>
      </thead>
      <tbody>
        {[...report.calibration]
          .sort((a, b) => b.revealedAt.localeCompare(a.revealedAt))
          .map((round) => (
            <tr key={round.roundId}>
              <th scope="row">{round.title}</th>
              <td>{round.podId}</td>
              <td>{round.revealedAt.slice(0, 10)}</td>
              <td>
                {round.answered} of {round.members}
              </td>
              <td>
                <span className="meter" aria-hidden="true">
                  <span style={{ width: `${Math.round((round.meanAgreement ?? 0) * 100)}%` }} />
                </span>
                {pct(round.meanAgreement)}
              </td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
