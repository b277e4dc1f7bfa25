import type { MetricsReport } from '../../../../shared/metrics/report';
import { pct } from '../../logic/metricsFormat';

/** The overlap tasks with the lowest agreement, lowest first: where guidelines or training need work. */
export function Items({ report }: { report: MetricsReport }) {
  if (!report.disagreedItems.length)
    return (
      <p className="muted">No overlap tasks yet: agreement needs tasks rated by two or more reviewers.</p>
    );
  return (
    <table className="data-table" data-testid="metrics-items">
      <caption>Overlap tasks with the lowest agreement</caption>
      <thead>
        <tr>
          <th scope="col">Task</th>
          <th scope="col">Kind</th>
          <th scope="col">Agreement</th>
          <th scope="col">Labels</th>
          <th scope="col">Reviewers</th>
        </tr>
      </thead>
      <tbody>
        {report.disagreedItems.map((item) => (
          <tr key={item.taskId}>
            <th scope="row">{item.taskId}</th>
            <td>{item.kind}</td>
            <td>{pct(item.agreement)}</td>
            <td>{item.labels}</td>
            <td>{item.usernames.join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
