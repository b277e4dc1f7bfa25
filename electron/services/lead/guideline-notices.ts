import { changedSections } from '../../../shared/guideline-diff';
import type { Guideline } from '../../../shared/guideline';
import type { GuidelineNotice } from '../../../shared/guideline-draft';
import type { Store } from '../store';

type Row = {
  guideline_id: string;
  title: string;
  version: string;
  from_version: string | null;
  changes: string;
  base_doc: string | null;
  received_at: string;
  read_at: string | null;
};

function prepare({ stmt }: Store) {
  return {
    stored: stmt(`SELECT body FROM config_docs WHERE kind = 'guideline' AND id = ?`),
    one: stmt('SELECT * FROM guideline_notices WHERE guideline_id = ?'),
    put: stmt(
      `INSERT INTO guideline_notices
         (guideline_id, title, version, from_version, changes, base_doc, received_at, read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (guideline_id) DO UPDATE SET title = excluded.title, version = excluded.version,
         from_version = excluded.from_version, changes = excluded.changes, base_doc = excluded.base_doc,
         received_at = excluded.received_at, read_at = NULL`,
    ),
    list: stmt(
      'SELECT * FROM guideline_notices ORDER BY read_at IS NOT NULL, received_at DESC, guideline_id',
    ),
    markRead: stmt(
      'UPDATE guideline_notices SET read_at = coalesce(read_at, ?) WHERE guideline_id = ? AND version = ?',
    ),
    dropAll: stmt('DELETE FROM guideline_notices'),
  };
}

const noticeOf = (row: Row): GuidelineNotice => ({
  guidelineId: row.guideline_id,
  title: row.title,
  version: row.version,
  fromVersion: row.from_version,
  changes: JSON.parse(row.changes) as GuidelineNotice['changes'],
  receivedAt: row.received_at,
  readAt: row.read_at,
});

/**
 * "Guidelines updated" notices (docs/lead-workspace.md, "Guideline loop"): written by the pull, in
 * its transaction, before the new version replaces the stored one. One per guideline: a version
 * arriving while the previous notice is unread merges into it, measured from the version the
 * reviewer last read; once read, the next version starts a new notice.
 */
export class GuidelineNotices {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(store: Store) {
    this.sql = prepare(store);
  }

  /** Call before storing `next`: compares it with the stored version and records what changed. */
  record(next: Guideline, now: string): void {
    const stored = this.sql.stored.get(next.id) as { body: string } | undefined;
    const current = stored ? (JSON.parse(stored.body) as Guideline) : null;
    if (current && current.version === next.version) return; // a re-delivered copy
    const pending = this.sql.one.get(next.id) as Row | undefined;
    // an unread notice: measure from what the reviewer last read, not from the unread version
    const base: Guideline | null =
      pending && pending.read_at === null
        ? pending.base_doc === null
          ? null
          : (JSON.parse(pending.base_doc) as Guideline)
        : current;
    const changes = changedSections(
      { markdown: base?.markdown ?? '', examples: base?.examples ?? [] },
      { markdown: next.markdown, examples: next.examples },
    );
    if (base && changes.length === 0 && pending?.read_at === null) {
      // back to what the reviewer last read: nothing left to tell
      this.sql.markRead.run(now, next.id, pending.version);
      return;
    }
    this.sql.put.run(
      next.id,
      next.title,
      next.version,
      base?.version ?? null,
      JSON.stringify(changes),
      base ? JSON.stringify(base) : null,
      now,
    );
  }

  /** unread first, then newest */
  list(): GuidelineNotice[] {
    return (this.sql.list.all() as Row[]).map(noticeOf);
  }

  /** false when no notice of that guideline and version is here (a newer one replaced it) */
  markRead(guidelineId: string, version: string, now: string): boolean {
    return this.sql.markRead.run(now, guidelineId, version).changes > 0;
  }

  /** another account signed in: its notices go */
  dropAll(): void {
    this.sql.dropAll.run();
  }
}
