import { sql, type Kysely, type Transaction } from 'kysely';
import { HttpError } from '../errors';
import type { Dialect } from './dialect';
import type { Database } from './schema';

export type WriteJob<T> = (trx: Transaction<Database>) => Promise<T>;

/** the server's SQLite busy_timeout: how long one statement may stall the event loop on a lock */
export const SERVER_SQLITE_BUSY_MS = 20;

export type WriteQueueOptions = {
  /** jobs written together at most (SQLite) */
  maxGroup?: number;
  /** SQLite: how long a group waits for another process's write lock before its jobs fail with 503 */
  lockWaitMs?: number;
};

const isSqliteBusy = (error: unknown) => /^SQLITE_BUSY/.test(String((error as { code?: unknown }).code));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs write transactions. PostgreSQL: one transaction per job (the database handles concurrency;
 * a job it aborts as a deadlock victim runs again).
 * SQLite has one writer and pays an fsync per commit, so jobs that arrive together are group-committed:
 * each runs in its own savepoint (a failing job rolls back only itself), all share one COMMIT, and no
 * job's promise resolves before that COMMIT is durable. Semantically the same as running them one by one.
 */
export class WriteQueue {
  private queue: { job: WriteJob<unknown>; resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  private running = false;

  private readonly maxGroup: number;
  private readonly lockWaitMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    options: WriteQueueOptions = {},
  ) {
    this.maxGroup = options.maxGroup ?? 64;
    this.lockWaitMs = options.lockWaitMs ?? 30_000;
  }

  run<T>(job: WriteJob<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.runPostgres(job);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        // better-sqlite3 is synchronous: without yielding to I/O first, a group would always be one job
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * A transaction that already holds SQLite's write lock. Another process (the operator CLI importing
   * a file) may hold it for seconds; better-sqlite3 would wait synchronously and stall every request,
   * so the server's busy timeout is a few ms and the wait happens here, between attempts, with the
   * event loop free: reads (pull, sign-in checks) go on meanwhile, writes resume when the lock frees.
   */
  private async lockedTransaction() {
    const deadline = Date.now() + this.lockWaitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      const trx = await this.db.startTransaction().execute();
      try {
        // a write that changes nothing takes the lock now, before any job reads
        await sql`delete from server_meta where 1 = 0`.execute(trx);
        return trx;
      } catch (error) {
        await trx
          .rollback()
          .execute()
          .catch(() => undefined);
        if (!isSqliteBusy(error)) throw error;
        if (Date.now() >= deadline)
          throw new HttpError(
            503,
            'database-busy',
            'the database is busy with another writer (an import?): try again shortly',
          );
        await sleep(pause);
      }
    }
  }

  /**
   * Two writers that touch the same task rows in different orders can deadlock; PostgreSQL then
   * aborts one of them. Nothing of an aborted transaction is stored, so it is simply run again.
   */
  private async runPostgres<T>(job: WriteJob<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(job);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (attempt >= 5 || (code !== '40P01' && code !== '40001')) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, this.maxGroup);
        const settled: { ok: boolean; value: unknown }[] = [];
        try {
          const trx = await this.lockedTransaction();
          try {
            for (const [i, item] of group.entries()) {
              const sp = await trx.savepoint(`job${i}`).execute();
              try {
                settled.push({ ok: true, value: await item.job(sp) });
                await sp.releaseSavepoint(`job${i}`).execute();
              } catch (err) {
                settled.push({ ok: false, value: err });
                await sp.rollbackToSavepoint(`job${i}`).execute();
              }
            }
            await trx.commit().execute();
          } catch (err) {
            await trx
              .rollback()
              .execute()
              .catch(() => undefined);
            throw err;
          }
          group.forEach((item, i) => (settled[i]!.ok ? item.resolve : item.reject)(settled[i]!.value));
        } catch (err) {
          // the shared commit failed: nothing of the group is stored, every job hears so
          for (const item of group) item.reject(err);
        }
        // let requests that arrived during the commit's fsync join the next group
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }
}
