import type { ServerDb } from './db/connect';
import type { ServerRole } from './db/schema';
import type { PlannerStats } from './db/planner-stats';
import type { WriteQueue } from './db/write-queue';
import type { FastifyBaseLogger } from 'fastify';
import type { LeaseProofs } from './sync/lease-proof';

/** What every route handler gets: the database and the injected clock (tests move time). */
export type AppContext = {
  sdb: ServerDb;
  clock: () => Date;
  sessionTtlMs: number;
  /** sync writes go through here (group commit on SQLite) */
  writes: WriteQueue;
  /** bulk writes report here, so PostgreSQL's planner statistics keep up with them */
  stats: PlannerStats;
  /** signs the leases it gives and checks the proofs re-sent after a restore */
  leaseProofs: LeaseProofs;
  /** the server's log (warnings an operator should see, e.g. a device reporting a restore) */
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>;
};

/** The signed-in caller, attached to the request by the auth guard. */
export type Caller = {
  userId: string;
  username: string;
  displayName: string;
  role: ServerRole;
  podId: string | null;
  deviceId: string;
  tokenHash: string;
};
