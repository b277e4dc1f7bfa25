import type { Store } from '../store';

/**
 * The last dashboard data the server sent, per account and view (local migration 8): what the
 * dashboards show offline, labeled with the time it was fetched. Server-derived: never edited here.
 */
export class MetricSnapshots {
  private readonly sql;

  constructor(store: Store) {
    this.sql = {
      get: store.stmt('SELECT body, fetched_at FROM metric_snapshots WHERE owner_id = ? AND key = ?'),
      put: store.stmt(
        `INSERT INTO metric_snapshots (owner_id, key, body, fetched_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (owner_id, key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
      ),
    };
  }

  get(owner: string, key: string): { body: unknown; fetchedAt: string } | null {
    const row = this.sql.get.get(owner, key) as { body: string; fetched_at: string } | undefined;
    return row ? { body: JSON.parse(row.body) as unknown, fetchedAt: row.fetched_at } : null;
  }

  put(owner: string, key: string, body: unknown, fetchedAt: string): void {
    this.sql.put.run(owner, key, JSON.stringify(body), fetchedAt);
  }
}
