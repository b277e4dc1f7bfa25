import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { runCli } from '../../../../server/cli/run';

/** Where the CLI tests' databases live: a temp SQLite file, and PostgreSQL when it is reachable. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  /** a fresh, empty database target for one test (FILE or postgres:// URL) */
  fresh(): Promise<string>;
  /** drops what `fresh` created */
  cleanup(): Promise<void>;
}

const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async fresh() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-cli-'));
      dirs.push(dir);
      return path.join(dir, 'server.db');
    },
    async cleanup() {
      for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  const created: string[] = [];
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async fresh() {
      const name = `rw_cli_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      created.push(name);
      return PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    },
    async cleanup() {
      const names = created.splice(0);
      if (names.length === 0) return;
      await admin(async (c) => {
        for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

/**
 * SQLite always; PostgreSQL when reachable. Without it a local run says so loudly and skips
 * that suite; under CI=true an unreachable PostgreSQL is an error.
 */
export async function backends(): Promise<Backend[]> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return [sqliteBackend(), postgresBackend()];
  } catch (error) {
    await client.end().catch(() => undefined);
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required under CI=true (${PG_ADMIN_URL}): ${(error as Error).message}`, {
        cause: error,
      });
    }
    console.warn(
      `SKIPPED: PostgreSQL suite: server CLI tests (${PG_ADMIN_URL}: ${(error as Error).message})`,
    );
    return [sqliteBackend()];
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process against `db`, capturing its output. */
export function cli(db: string, ...args: string[]): Promise<CliRun> {
  return cliWithStdin(null, db, ...args);
}

/** `cli` with standard input: `input` piped in, a terminal (`'tty'`), or none (null). */
export async function cliWithStdin(
  input: string | 'tty' | null,
  db: string,
  ...args: string[]
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let stdin: (PassThrough & { isTTY?: boolean }) | undefined;
  if (input !== null) {
    stdin = new PassThrough();
    if (input === 'tty') stdin.isTTY = true;
    else stdin.end(input);
  }
  const code = await runCli([...args, '--db', db], { stdin, stdout, stderr, env: {} });
  return { code, stdout: out, stderr: err };
}

const fileDirs: string[] = [];

/** Removes the files `tempFile` wrote. */
export function removeTempFiles(): void {
  for (const dir of fileDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function tempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-cli-file-'));
  fileDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

export const jsonl = (...rows: unknown[]) =>
  rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

/** Task lines for CLI files: a 3-way ranking (texts "ID r1"...) and a chat pairwise (a: yes, b: no). */
export const rankingTask = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'ranking',
  prompt: `Prompt for ${id}`,
  responses: ['r1', 'r2', 'r3'].map((r) => ({ id: r, text: `${id} ${r}` })),
  ...extra,
});
export const pairwiseTask = (id: string) => ({
  id,
  kind: 'pairwise',
  prompt: [{ role: 'user', content: `Question ${id}?` }],
  responses: [
    { id: 'a', text: 'yes' },
    { id: 'b', text: 'no' },
  ],
});
