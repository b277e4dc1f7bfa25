import type { ReviewerAction, Ruling } from '../../../shared/lead';
import type { Notice } from '../../../shared/lead-workstation';
import type { Store } from '../store';

type Row = {
  kind: 'ruling' | 'coaching';
  id: string;
  body: string;
  received_at: string;
  read_at: string | null;
  ack_state: 'pending' | 'sent' | null;
};

function prepare({ stmt }: Store) {
  return {
    putRuling: stmt(
      `INSERT INTO notices (kind, id, task_id, body, received_at) VALUES ('ruling', ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body`,
    ),
    // the server's acknowledgement (from any of the user's computers) marks it read here too
    putCoaching: stmt(
      `INSERT INTO notices (kind, id, task_id, body, received_at, read_at, ack_state)
       VALUES ('coaching', ?, NULL, ?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE 'sent' END)
       ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body,
         read_at = coalesce(notices.read_at, excluded.read_at),
         ack_state = CASE WHEN excluded.ack_state = 'sent' THEN 'sent' ELSE notices.ack_state END`,
    ),
    // a task the lead sent back returns to the queue (a draft, if the reviewer had one)
    reopenTask: stmt(
      `UPDATE tasks SET state = CASE WHEN EXISTS (SELECT 1 FROM drafts d WHERE d.task_id = tasks.id)
                                     THEN 'draft' ELSE 'pending' END,
                        reason = NULL, note = NULL, updated_at = ?
       WHERE id = ? AND state = 'escalated'`,
    ),
    list: stmt(
      `SELECT kind, id, body, received_at, read_at, ack_state FROM notices
       ORDER BY read_at IS NOT NULL, received_at DESC, kind, id LIMIT ?`,
    ),
    one: stmt(
      'SELECT kind, id, body, received_at, read_at, ack_state FROM notices WHERE kind = ? AND id = ?',
    ),
    markRead: stmt(
      `UPDATE notices SET read_at = coalesce(read_at, ?),
         ack_state = CASE WHEN kind = 'coaching' AND ack_state IS NULL THEN 'pending' ELSE ack_state END
       WHERE kind = ? AND id = ?`,
    ),
    pendingAcks: stmt(`SELECT id FROM notices WHERE kind = 'coaching' AND ack_state = 'pending'`),
    ackSent: stmt(`UPDATE notices SET ack_state = 'sent' WHERE kind = 'coaching' AND id = ?`),
    dropAll: stmt('DELETE FROM notices'),
  };
}

const noticeOf = (row: Row): Notice =>
  row.kind === 'ruling'
    ? {
        kind: 'ruling',
        ruling: JSON.parse(row.body) as Ruling,
        receivedAt: row.received_at,
        readAt: row.read_at,
      }
    : {
        kind: 'coaching',
        action: JSON.parse(row.body) as ReviewerAction,
        receivedAt: row.received_at,
        readAt: row.read_at,
      };

/**
 * Rulings on the user's escalations and leads' actions on the user, as the pull feed brought them
 * (docs/lead-workspace.md, "On the workstation"). Written inside the pull's transaction; the
 * changes were validated when the pull response was parsed.
 */
export class NoticesStore {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(store: Store) {
    this.sql = prepare(store);
  }

  putRuling(ruling: Ruling, now: string): void {
    this.sql.putRuling.run(ruling.escalationId, ruling.taskId, JSON.stringify(ruling), now);
    if (ruling.decision === 'return') this.sql.reopenTask.run(now, ruling.taskId);
  }

  putAction(action: ReviewerAction, now: string): void {
    this.sql.putCoaching.run(
      action.id,
      JSON.stringify(action),
      now,
      action.acknowledgedAt,
      action.acknowledgedAt,
    );
  }

  /** unread first, then newest first */
  list(limit = 200): Notice[] {
    return (this.sql.list.all(limit) as Row[]).map(noticeOf);
  }

  get(kind: Notice['kind'], id: string): Notice | null {
    const row = this.sql.one.get(kind, id) as Row | undefined;
    return row ? noticeOf(row) : null;
  }

  /** marks it read; a coaching note also waits to be acknowledged to the server */
  markRead(kind: Notice['kind'], id: string, now: string): boolean {
    return this.sql.markRead.run(now, kind, id).changes > 0;
  }

  pendingAcknowledgements(): string[] {
    return (this.sql.pendingAcks.all() as { id: string }[]).map((r) => r.id);
  }

  acknowledgementSent(id: string): void {
    this.sql.ackSent.run(id);
  }

  /** another account signed in: its notices go */
  dropAll(): void {
    this.sql.dropAll.run();
  }
}
