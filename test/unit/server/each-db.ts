import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import { openDatabase, type ServerDb } from '../../../server/db/connect';

/**
 * Runs a suite against SQLite (a temp file) and PostgreSQL (a fresh database per test).
 * PostgreSQL: PG_ADMIN_URL or postgres://postgres@127.0.0.1:5432/postgres. Locally without it the
 * PostgreSQL suite is skipped with one loud line; under CI=true it must run, so it fails instead.
 */
export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CI = process.env.CI === 'true';

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgProblem = await probePostgres();
if (pgProblem && !CI) console.warn(`SKIPPED: PostgreSQL suite: ${PG_ADMIN_URL} unreachable (${pgProblem})`);

export type DbTarget = { dialect: 'sqlite' | 'postgres'; target: string; drop(): Promise<void> };

/** A fresh, empty database: a temp SQLite file or a new PostgreSQL database. */
export async function freshTarget(dialect: 'sqlite' | 'postgres'): Promise<DbTarget> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-server-test-'));
    fs.copyFileSync(await migratedSqliteTemplate(), path.join(dir, 'server.db'));
    return {
      dialect,
      target: path.join(dir, 'server.db'),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (pgProblem) throw new Error(`PostgreSQL is required under CI=true: ${pgProblem}`);
  const name = `rw_test_${randomBytes(6).toString('hex')}`;
  const template = await migratedTemplate();
  const admin = new pg.Client(PG_ADMIN_URL);
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`);
        break;
      } catch (error) {
        // 55006: the template's last connection is still closing (just after its migrations)
        if ((error as { code?: string }).code !== '55006' || attempt === 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    target: url.toString(),
    drop: async () => {
      const c = new pg.Client(PG_ADMIN_URL);
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const urlOf = (name: string) => {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

let templateName: Promise<string> | null = null;
let sqliteTemplate: Promise<string> | null = null;

/** The SQLite side of the same idea: one migrated file per test file, copied (closed, no WAL left). */
function migratedSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-server-template-'));
    const file = path.join(dir, 'server.db');
    const db = await openDatabase(file);
    try {
      await db.db.deleteFrom('server_meta').where('key', '=', 'epoch').execute();
    } finally {
      await db.close();
    }
    return file;
  })();
  return sqliteTemplate;
}

/**
 * A PostgreSQL database with every migration applied, made once per test file and copied for each
 * test (`create database … template`): a copy takes tens of milliseconds where running the
 * migrations takes hundreds. Its server epoch is removed, so each copy gets its own at first open.
 * Dropped when the file's tests are done.
 */
function migratedTemplate(): Promise<string> {
  templateName ??= (async () => {
    const name = `rw_tpl_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client(PG_ADMIN_URL);
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const db = await openDatabase(urlOf(name));
    try {
      await db.db.deleteFrom('server_meta').where('key', '=', 'epoch').execute();
    } finally {
      await db.close();
    }
    return name;
  })();
  return templateName;
}

afterAll(async () => {
  if (sqliteTemplate) {
    const file = await sqliteTemplate.catch(() => null);
    sqliteTemplate = null;
    if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  if (!templateName) return;
  const name = await templateName.catch(() => null);
  templateName = null;
  if (!name) return;
  const admin = new pg.Client(PG_ADMIN_URL);
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

export const DIALECTS = ['sqlite', 'postgres'] as const;

/** `describe` once per dialect; skipped (loudly, above) for PostgreSQL only when it is unreachable locally. */
export function describeEachDb(name: string, fn: (dialect: 'sqlite' | 'postgres') => void): void {
  for (const dialect of DIALECTS) {
    const run = dialect === 'postgres' && pgProblem && !CI ? describe.skip : describe;
    run(`${name} [${dialect}]`, () => fn(dialect));
  }
}

/** Inside describeEachDb: a fresh opened database per test, closed and dropped after it. */
export function useFreshDb(dialect: 'sqlite' | 'postgres'): () => ServerDb & { target: string } {
  let current: (ServerDb & { target: string }) | null = null;
  let target: DbTarget | null = null;
  beforeEach(async () => {
    target = await freshTarget(dialect);
    current = { ...(await openDatabase(target.target)), target: target.target };
  });
  afterEach(async () => {
    await current?.close();
    await target?.drop();
    current = null;
  });
  return () => {
    if (!current) throw new Error('no database: call inside a test');
    return current;
  };
}
