import type { QaTask } from '../../../shared/qa-workstation';
import type { TaskKind, TaskState } from '../../../shared/task';
import type { Store } from '../store';

type Row = {
  task_id: string;
  project_id: string;
  leased_at: string;
  kind: TaskKind;
  state: TaskState;
  prompt_preview: string;
  label_id: string | null;
  synced_at: string | null;
};

function prepare({ stmt }: Store) {
  return {
    mark: stmt(
      `INSERT INTO qa_tasks (task_id, owner_id, project_id, leased_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (task_id) DO UPDATE SET owner_id = excluded.owner_id, project_id = excluded.project_id`,
    ),
    // tasks the pull has not brought yet are left out: they arrive with the next sync. CROSS JOIN:
    // from the few QA rows to their tasks, never the other way round
    list: stmt(
      `SELECT q.task_id, q.project_id, q.leased_at, t.kind, t.state, t.prompt_preview,
              l.id AS label_id, l.synced_at
       FROM qa_tasks q CROSS JOIN tasks t ON t.id = q.task_id LEFT JOIN labels l ON l.task_id = q.task_id
       WHERE q.owner_id = ? ORDER BY t.state = 'submitted', q.leased_at, q.task_id`,
    ),
    one: stmt(
      `SELECT q.task_id, q.project_id, q.leased_at, t.kind, t.state, t.prompt_preview,
              l.id AS label_id, l.synced_at
       FROM qa_tasks q CROSS JOIN tasks t ON t.id = q.task_id LEFT JOIN labels l ON l.task_id = q.task_id
       WHERE q.owner_id = ? AND q.task_id = ?`,
    ),
    missing: stmt(
      'SELECT count(*) AS n FROM qa_tasks q WHERE q.owner_id = ? AND q.task_id NOT IN (SELECT id FROM tasks)',
    ),
    dropAll: stmt('DELETE FROM qa_tasks'),
    lastOutbox: stmt(
      'SELECT state, message FROM outbox WHERE task_id = ? AND type = ? ORDER BY seq DESC LIMIT 1',
    ),
  };
}

const toTask = (r: Row): QaTask => ({
  taskId: r.task_id,
  projectId: r.project_id,
  kind: r.kind,
  promptPreview: r.prompt_preview,
  leasedAt: r.leased_at,
  state: r.state === 'submitted' ? 'submitted' : 'open',
  labelId: r.label_id,
  sent: r.label_id !== null && r.synced_at !== null,
});

/** The local marker of QA tasks (local migration 9): which leased tasks are QA work, and whose. */
export class QaStore {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(private readonly store: Store) {
    this.sql = prepare(store);
  }

  /** marks tasks as QA work of `owner` (inside the caller's transaction) */
  mark(owner: string, tasks: readonly { taskId: string; projectId: string }[], now: string): void {
    for (const t of tasks) this.sql.mark.run(t.taskId, owner, t.projectId, now);
  }

  list(owner: string): QaTask[] {
    return (this.sql.list.all(owner) as Row[]).map(toTask);
  }

  one(owner: string, taskId: string): QaTask | null {
    const row = this.sql.one.get(owner, taskId) as Row | undefined;
    return row ? toTask(row) : null;
  }

  /** marked tasks whose assignment has not arrived yet */
  missing(owner: string): number {
    return (this.sql.missing.get(owner) as { n: number }).n;
  }

  /** another account signed in (inside its transaction) */
  dropAll(): void {
    this.sql.dropAll.run();
  }

  /** the re-rating's last outbox row: quarantined ones say why the server refused it */
  lastSubmit(taskId: string): { state: string; message: string | null } | null {
    return (
      (this.sql.lastOutbox.get(taskId, 'label.submit') as
        { state: string; message: string | null } | undefined) ?? null
    );
  }
}
