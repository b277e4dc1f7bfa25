import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../../server/app';
import { addUser, createProject, importTasks } from '../../../../server/db/admin';
import { type ServerDb, openDatabase } from '../../../../server/db/connect';
import type { Task } from '../../../../shared/task';
import { type DbTarget, freshTarget } from '../../server/each-db';

export const REVIEWER = { username: 'rita', password: 'correct horse battery' };
export const REVIEWER2 = { username: 'rob', password: 'battery staple horse' };

export interface RealServer {
  url: string;
  port: number;
  /** the SQLite file or the postgres:// URL */
  dbFile: string;
  dialect: 'sqlite' | 'postgres';
  db: ServerDb;
  /** a consistent copy of the running server's database (SQLite online backup; pg_dump) */
  backup(): Promise<string>;
  /**
   * What an operator does after losing a disk: stop the server, put the backup in place (nothing
   * else: no epoch rotation, no marking), start it again.
   */
  restoreFrom(backup: string): Promise<void>;
  /** stops HTTP and closes the database (the file stays for restart) */
  stop(): Promise<void>;
  /** starts again on the same port and database file */
  restart(): Promise<void>;
  /** label rows on the server: id, task, revision */
  labels(): Promise<{ id: string; task_id: string; revision: number; body: string }[]>;
  remove(): void;
}

export const serverTask = (id: string, kind: 'ranking' | 'pairwise' = 'ranking'): Task =>
  kind === 'ranking'
    ? {
        id,
        kind,
        prompt: `Server prompt ${id}`,
        responses: [
          { id: 'a', text: 'Answer A' },
          { id: 'b', text: 'Answer B' },
          { id: 'c', text: 'Answer C' },
        ],
      }
    : {
        id,
        kind,
        prompt: `Server prompt ${id}`,
        responses: [
          { id: 'left', text: 'Left' },
          { id: 'right', text: 'Right' },
        ],
      };

/**
 * The real central server (server/app.ts) on port 0 over a temp SQLite file, with a project,
 * a reviewer and `tasks` tasks seeded through server/db/admin.ts.
 */
export async function startRealServer(
  options: {
    tasks?: number;
    batchSize?: number;
    dialect?: 'sqlite' | 'postgres';
    clock?: () => Date;
    leaseHours?: number;
  } = {},
): Promise<RealServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-sync-server-'));
  const dialect = options.dialect ?? 'sqlite';
  const pgTarget: DbTarget | null = dialect === 'postgres' ? await freshTarget('postgres') : null;
  const dbFile = pgTarget ? pgTarget.target : path.join(dir, 'server.db');
  let db = await openDatabase(dbFile);
  await createProject(db.db, {
    id: 'p1',
    batchSize: options.batchSize ?? 50,
    ...(options.leaseHours ? { leaseHours: options.leaseHours } : {}),
  });
  await addUser(db.db, { ...REVIEWER, role: 'reviewer' });
  await addUser(db.db, { ...REVIEWER2, role: 'reviewer' });
  const n = options.tasks ?? 20;
  await importTasks(
    db.db,
    'p1',
    Array.from({ length: n }, (_, i) => serverTask(`t${String(i + 1).padStart(4, '0')}`)),
  );
  let app: FastifyInstance | null = null;
  let port = 0;
  const listen = async () => {
    app = await buildServer({
      db,
      loginRateLimit: { max: 1000, windowMs: 60_000 },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await app.listen({ host: '127.0.0.1', port });
    port = (app.server.address() as { port: number }).port;
  };
  await listen();
  const server: RealServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dbFile,
    dialect,
    get db() {
      return db;
    },
    async backup() {
      const file = path.join(dir, `backup-${fs.readdirSync(dir).length}.${pgTarget ? 'dump' : 'db'}`);
      if (pgTarget) execFileSync('pg_dump', ['-Fc', '-f', file, '-d', dbFile]);
      else {
        const source = new Database(dbFile, { readonly: true });
        try {
          await source.backup(file);
        } finally {
          source.close();
        }
      }
      return file;
    },
    async restoreFrom(backup: string) {
      await server.stop();
      if (pgTarget)
        execFileSync('pg_restore', ['--clean', '--if-exists', '--single-transaction', '-d', dbFile, backup]);
      else {
        for (const suffix of ['-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
        fs.copyFileSync(backup, dbFile);
      }
      await server.restart();
    },
    async stop() {
      if (!app) return;
      await app.close();
      app = null;
      await db.close();
    },
    async restart() {
      db = await openDatabase(dbFile);
      await listen();
    },
    labels: () =>
      db.db.selectFrom('labels').select(['id', 'task_id', 'revision', 'body']).orderBy('task_id').execute(),
    remove: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      void pgTarget?.drop();
    },
  };
  return server;
}
