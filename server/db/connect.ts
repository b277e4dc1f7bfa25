import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Dialect } from './dialect';
import { ensureLeaseKey } from '../sync/lease-proof';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export type { Dialect } from './dialect';

export type ServerDb = {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
};

export const DEFAULT_DB_PATH = './server-data/server.db';

const isPostgresUrl = (target: string) => /^postgres(ql)?:\/\//i.test(target);

/** pg returns int8 (bigint, count(*)) as strings; our keys stay far below 2^53, so parse them as numbers. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function openSqlite(file: string): { db: Kysely<Database>; sqlite: SQLite.Database } {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // create the file owner-only before SQLite opens it (labels are confidential)
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), sqlite: database };
}

function openPostgres(url: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 20, types: pgTypes });
  // An idle client the database drops (restart, failover, admin terminate) emits 'error' on the
  // pool; unhandled, that would crash the server. The pool replaces the client on next use.
  pool.on('error', (err) =>
    console.warn(`postgres: idle connection lost (${err.message}); reconnecting on next use`),
  );
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export type OpenOptions = {
  /**
   * SQLite: how long one statement waits for another connection's lock (default 5000 ms). The
   * server passes a few ms: better-sqlite3 waits synchronously, so a long wait would stall every
   * request; its writes wait for the lock asynchronously instead (WriteQueue). The CLI keeps 5 s.
   */
  sqliteBusyTimeoutMs?: number;
};

/** Opens (and creates) the server database, runs migrations, makes sure a server epoch exists. */
export async function openDatabase(
  target: string = DEFAULT_DB_PATH,
  options: OpenOptions = {},
): Promise<ServerDb> {
  const dialect: Dialect = isPostgresUrl(target) ? 'postgres' : 'sqlite';
  const sqlite = dialect === 'sqlite' ? openSqlite(target) : null;
  const db = sqlite ? sqlite.db : openPostgres(target);
  try {
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`database migration ${failed} failed: ${String((error as Error).message ?? error)}`);
    }
    await ensureEpoch(db);
    await ensureLeaseKey(db);
    if (sqlite && options.sqliteBusyTimeoutMs !== undefined)
      sqlite.sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.sqliteBusyTimeoutMs))}`);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, dialect, close: () => db.destroy() };
}

async function ensureEpoch(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('server_meta')
    .values({ key: 'epoch', value: randomUUID() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function getEpoch(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('server_meta')
    .select('value')
    .where('key', '=', 'epoch')
    .executeTakeFirst();
  if (!row) throw new Error('server epoch missing');
  return row.value;
}

/**
 * Gives the server a new epoch: every workstation drops its server-derived state at its next pull
 * and re-syncs from cursor 0 (unsent local work is untouched). Run after restoring a backup.
 */
export async function rotateEpoch(db: Kysely<Database>): Promise<string> {
  const epoch = randomUUID();
  await db.updateTable('server_meta').set({ value: epoch }).where('key', '=', 'epoch').execute();
  return epoch;
}

/**
 * Marks a restored database (after `restore`, or `pg_restore` then `restore --mark-only`): a new
 * epoch, so every workstation re-syncs from the start at its next pull, and server_meta
 * `restored_at` (now) and `restored_from` (the backup's name; removed when not given, so it never
 * names an older restore's file). One transaction. Returns the new epoch.
 */
export async function markRestored(
  db: Kysely<Database>,
  from: string | null,
  at: Date = new Date(),
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await ensureEpoch(trx);
    const epoch = await rotateEpoch(trx);
    const set = async (key: string, value: string) =>
      trx
        .insertInto('server_meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    await set('restored_at', at.toISOString());
    if (from === null) await trx.deleteFrom('server_meta').where('key', '=', 'restored_from').execute();
    else await set('restored_from', from);
    return epoch;
  });
}
