import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect';
import type { Database } from './schema';

type Table = keyof Database;

export type PlannerStatsOptions = {
  /** rows added since the last ANALYZE before a table is analysed again */
  minRows?: number;
  /** ... and at least this share of the rows it had then (default 0.25) */
  share?: number;
  /** wait before analysing, so the writes that triggered it have committed */
  delayMs?: number;
  warn?: (message: string) => void;
};

/**
 * PostgreSQL plans by table statistics, which autovacuum refreshes a minute later at best. A pod
 * taking its batches at the start of a shift adds tens of thousands of leases in seconds; until the
 * next ANALYZE the planner believes the old row counts and scanned the whole leases table on every
 * push (measured: half the push throughput). So the server re-analyses the tables it bulk-writes
 * itself, in the background, one table at a time. SQLite plans without such statistics: a no-op there.
 */
export class PlannerStats {
  private readonly pending = new Map<Table, number>();
  /** rows per table at its last ANALYZE (0 until known) */
  private readonly baseline = new Map<Table, number>();
  private readonly due = new Set<Table>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly options: PlannerStatsOptions = {},
  ) {}

  /**
   * A write about to commit changed what the planner estimates for `table`: `rows` rows inserted,
   * or (tasks) leased out of the open set that the partial index tasks_open covers. Plain edits do
   * not count: an ANALYZE of the labels table costs ~50 ms of database time.
   */
  changed(table: Table, rows: number): void {
    if (this.dialect !== 'postgres' || rows <= 0 || this.closed) return;
    const pending = (this.pending.get(table) ?? 0) + rows;
    this.pending.set(table, pending);
    const threshold = Math.max(
      this.options.minRows ?? 1000,
      (this.options.share ?? 0.25) * (this.baseline.get(table) ?? 0),
    );
    if (pending < threshold) return;
    this.due.add(table);
    this.schedule();
  }

  /** resolves once no ANALYZE is running or scheduled (tests, shutdown) */
  async settled(): Promise<void> {
    while (this.timer || this.running) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, this.options.delayMs ?? 200));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.timer || this.running) return; // the run in progress picks `due` up when it ends
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.run().finally(() => {
        this.running = null;
        if (this.due.size && !this.closed) this.schedule();
      });
    }, this.options.delayMs ?? 200);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    while (this.due.size && !this.closed) {
      const table = this.due.values().next().value as Table;
      this.due.delete(table);
      this.pending.set(table, 0);
      try {
        // a 3,000-row sample (instead of 30,000) is plenty to fix row counts after a burst and costs a
        // tenth: ~25 ms instead of ~260 ms for the labels table; autovacuum's own ANALYZE refines it later
        await this.db.transaction().execute(async (trx) => {
          await sql`set local default_statistics_target = 10`.execute(trx);
          await sql`analyze ${sql.table(table)}`.execute(trx);
        });
        const row = await sql<{
          n: number;
        }>`select reltuples::bigint as n from pg_class where relname = ${table}`.execute(this.db);
        this.baseline.set(table, Number(row.rows[0]?.n ?? 0));
      } catch (err) {
        // statistics are an optimisation: a failed ANALYZE (shutdown, lock timeout) is only worth a line
        this.options.warn?.(`analyze ${table} failed: ${(err as Error).message}`);
      }
    }
  }
}
