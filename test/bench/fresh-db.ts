// A fresh server database for one bench run: a SQLite file in a temp folder, or a new PostgreSQL
// database (dropped, with force, when the run ends).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type Target = { dialect: 'sqlite' | 'postgres'; url: string; drop(): Promise<void> };

export async function freshTarget(dialect: 'sqlite' | 'postgres', prefix: string): Promise<Target> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rw-${prefix}-bench-`));
    return {
      dialect,
      url: path.join(dir, 'server.db'),
      drop: async () => fs.rmSync(dir, { recursive: true }),
    };
  }
  const name = `rw_${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client(PG_ADMIN_URL);
    await c.connect();
    await c.query(q);
    await c.end();
  };
  await admin(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { dialect, url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
