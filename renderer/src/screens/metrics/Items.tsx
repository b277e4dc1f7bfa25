import { useState } from 'react';
import type { PreferenceStrength } from '../../../../shared/label';
import type { TaskLabelsReply } from '../../../../shared/metrics/dashboard';
import type { MetricsReport } from '../../../../shared/metrics/report';
import { pct } from '../../logic/metricsFormat';
import { judgementWords } from '../../logic/rulingWords';
import { api } from '../../api';
import { useMetrics } from '../../state/metricsStore';
import { messageOf } from '../../state/transition';

type Item = MetricsReport['disagreedItems'][number];

/** The labels of one task side by side: each judgement in the order the task lists its responses. */
function LabelsSideBySide({ reply }: { reply: TaskLabelsReply }) {
  const order = reply.task.responses.map((r) => r.id);
  return (
    <div className="m-item-labels" data-testid="item-labels">
      <ol className="m-item-responses">
        {reply.task.responses.map((r, i) => (
          <li key={r.id}>
            <b>Response {String.fromCharCode(65 + i)}:</b> {r.text.slice(0, 160)}
            {r.text.length > 160 ? '…' : ''}
          </li>
        ))}
      </ol>
      <table className="data-table">
        <caption className="sr-only">Labels side by side</caption>
        <thead>
          <tr>
            <th scope="col">Reviewer</th>
            <th scope="col">Judgement</th>
            <th scope="col">Failure tags</th>
          </tr>
        </thead>
        <tbody>
          {reply.labels.map((label, i) => (
            <tr key={i}>
              <th scope="row">{label.reviewer ?? 'a reviewer of another pod'}</th>
              <td>
                {judgementWords(
                  {
                    kind: label.kind,
                    ranks: label.ranks,
                    pairwise: label.pairwise && {
                      preferredResponseId: label.pairwise.preferredResponseId,
                      choice: 'tie',
                      strength: label.pairwise.strength as PreferenceStrength | null,
                    },
                  },
                  order,
                )}
              </td>
              <td>
                {label.tags.length
                  ? label.tags
                      .map(
                        (t) =>
                          `${t.tagId} on ${String.fromCharCode(65 + order.indexOf(t.responseId))} (${t.severity})`,
                      )
                      .join(', ')
                  : '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ItemRow({ item, projectId }: { item: Item; projectId: string }) {
  const podId = useMetrics((s) => s.podId);
  const [open, setOpen] = useState(false);
  const [labels, setLabels] = useState<TaskLabelsReply | null>(null);
  const [status, setStatus] = useState('');
  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    if (labels) return;
    try {
      setLabels(await api.metrics.taskLabels({ projectId, taskId: item.taskId }));
    } catch (cause) {
      setStatus(messageOf(cause));
    }
  };
  const toCalibration = async () => {
    setStatus('Sending to calibration…');
    try {
      const round = await api.metrics.toCalibration({ projectId, taskId: item.taskId, podId });
      setStatus(`Sent: "${round.title}", due ${round.dueAt.slice(0, 10)}.`);
    } catch (cause) {
      setStatus(messageOf(cause));
    }
  };
  return (
    <li className="m-item" data-testid={`item-${item.taskId}`}>
      <div
        className="m-item-row"
        onKeyDown={(e) => {
          // K on the row: one key to put the task before the pod
          if (e.key === 'k' && !e.ctrlKey && !e.metaKey && !e.altKey) {
            e.preventDefault();
            void toCalibration();
          }
        }}
      >
        <button type="button" className="disclosure" aria-expanded={open} onClick={() => void toggle()}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {item.taskId}
        </button>
        <span>{item.kind}</span>
        <span>{pct(item.agreement)} agree</span>
        <span>
          {item.labels} labels: {item.usernames.join(', ')}
        </span>
        <button
          type="button"
          className="btn btn-small"
          aria-keyshortcuts="K"
          onClick={() => void toCalibration()}
        >
          To calibration <kbd>K</kbd>
        </button>
      </div>
      <p className="m-item-status" role="status">
        {status}
      </p>
      {open && labels && <LabelsSideBySide reply={labels} />}
    </li>
  );
}

/**
 * The overlap tasks with the lowest agreement, lowest first: open one to see its labels side by
 * side; K sends it to the pod's next calibration round for the discussion.
 */
export function Items({ report }: { report: MetricsReport }) {
  if (!report.disagreedItems.length)
    return (
      <p className="muted">No overlap tasks yet: agreement needs tasks rated by two or more reviewers.</p>
    );
  return (
    <section aria-labelledby="m-items" data-testid="metrics-items">
      <h2 id="m-items" className="m-subhead">
        Overlap tasks with the lowest agreement
      </h2>
      <ul className="m-items">
        {report.disagreedItems.map((item) => (
          <ItemRow key={item.taskId} item={item} projectId={report.projectId} />
        ))}
      </ul>
    </section>
  );
}
