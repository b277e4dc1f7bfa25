import { useEffect, useState } from 'react';
import type { QueueItem } from '../../../../shared/queue';
import { ESCALATION_REASON_LABELS, SKIP_REASON_LABELS } from '../../../../shared/reasons';
import type { TaskState } from '../../../../shared/task';
import { api } from '../../api';
import { openTask } from '../../state/actions';
import { useSession } from '../../state/sessionStore';

const PAGE = 100;

/** The summary count that tells when a state's list changed (e.g. a sync brought new tasks). */
const COUNT_KEY = {
  pending: 'pending',
  draft: 'drafts',
  submitted: 'submitted',
  escalated: 'escalated',
  skipped: 'skipped',
} as const satisfies Record<TaskState, string>;

const ACTION: Record<TaskState, string> = {
  pending: 'Open',
  draft: 'Resume',
  submitted: 'Edit',
  escalated: 'Reopen',
  skipped: 'Reopen',
};

function reasonLabel(item: QueueItem): string | null {
  if (!item.reason) return null;
  const labels: Record<string, string> = { ...SKIP_REASON_LABELS, ...ESCALATION_REASON_LABELS };
  return labels[item.reason] ?? item.reason;
}

const formatTime = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
};

/** One page of tasks in a state; a row opens the task (submitted = edit, skipped/escalated = reopen). */
export function QueueList({ state }: { state: TaskState }) {
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (offset: number) => {
    try {
      const page = await api.queue.list({ state, limit: PAGE, offset });
      setItems((prev) => (offset === 0 ? page : [...(prev ?? []), ...page]));
      setMore(page.length === PAGE);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    }
  };

  const count = useSession((s) => s.summary?.[COUNT_KEY[state]] ?? null);
  useEffect(() => {
    void load(0);
    // the list is keyed by state; reload when its count moves (sync, import, submit)
  }, [count]);

  if (error) return <p className="text-block">Could not load the list: {error}</p>;
  if (items === null) return <p className="muted">Loading…</p>;
  if (items.length === 0) return <p className="muted">No tasks here.</p>;
  return (
    <>
      <ul className="queue-list">
        {items.map((item) => (
          <li key={item.taskId}>
            <button type="button" className="queue-row" onClick={() => void openTask(item.taskId)}>
              <span className="row-action">{ACTION[item.state]}</span>
              <span className="row-kind">{item.kind === 'ranking' ? 'Ranking' : 'Pairwise'}</span>
              <span className="row-preview">{item.promptPreview || item.taskId}</span>
              {reasonLabel(item) && <span className="row-reason">{reasonLabel(item)}</span>}
              <span className="row-time">{formatTime(item.updatedAt)}</span>
            </button>
          </li>
        ))}
      </ul>
      {more && (
        <button type="button" className="btn" onClick={() => void load(items.length)}>
          Show more
        </button>
      )}
    </>
  );
}
