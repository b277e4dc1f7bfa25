import type { Transaction } from 'kysely';
import type { PushRequest, PushResponse } from '../../shared/sync';
import type { Caller } from '../context';
import type { Dialect } from '../db/dialect';
import type { Database } from '../db/schema';
import type { WriteQueue } from '../db/write-queue';
import type { PendingPush, PushResult } from './push';

type Waiting = PendingPush & { resolve(response: PushResponse): void; reject(error: unknown): void };

/** applies a group of pushes in one transaction, one result per push (push.ts applyPushes) */
export type ApplyGroup = (trx: Transaction<Database>, pushes: PendingPush[]) => Promise<PushResult[]>;

export type PushGroupOptions = {
  /** pushes applied together at most */
  maxGroup?: number;
  /** groups being written at once (PostgreSQL takes several; SQLite has one writer) */
  maxInFlight?: number;
  /** told the size of each group before it is written; throwing fails the group (tests) */
  onGroup?: (size: number) => void;
};

/**
 * Pushes that arrive while earlier ones are being written wait, and are then applied together in
 * one transaction with shared statements (applyPushes): under load a push costs a share of a few
 * statements instead of a dozen round trips, and a lone push still starts at once. If a group
 * fails as a whole (a database error), each of its pushes is tried again alone, so one bad push
 * fails only itself. Nothing is stored for a group that fails, so a retry is always safe.
 * Owned by the sync routes; it knows nothing of what a push does (calls go route -> groups -> apply).
 */
export class PushGroups {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private readonly maxGroup: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly writes: WriteQueue,
    dialect: Dialect,
    private readonly apply: ApplyGroup,
    private readonly options: PushGroupOptions = {},
  ) {
    // measured with 50 reviewers pushing 25 labels back to back (docs/benchmarks.md): PostgreSQL does
    // best with several small groups at once (one big group leaves its other cores idle and makes the
    // pushes behind it wait: p99 300 ms with 64 x 4, 200 ms with 8 x 4); SQLite has one writer and
    // one fsync per commit, so it takes everything that is waiting
    this.maxGroup = options.maxGroup ?? (dialect === 'postgres' ? 8 : 64);
    this.maxInFlight = options.maxInFlight ?? (dialect === 'postgres' ? 4 : 1);
  }

  submit(caller: Caller, req: PushRequest): Promise<PushResponse> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ caller, req, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length) {
      const group = this.waiting.splice(0, this.maxGroup);
      this.inFlight += 1;
      void this.run(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(group: Waiting[]): Promise<void> {
    let results;
    try {
      this.options.onGroup?.(group.length);
      results = await this.writes.run((trx) => this.apply(trx, group));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const push of group) await this.run([push]);
      return;
    }
    group.forEach((push, i) => {
      const result = results[i]!;
      if (result.ok) push.resolve(result.response);
      else push.reject(result.error);
    });
  }
}
