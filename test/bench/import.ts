// Server import benchmark: a 100,000-task JSONL file imported by the CLI's own code into a fresh
// SQLite server database, in a child process so that its peak RSS is measured alone. Meanwhile a
// second connection, like the running server's, tries to take the write lock every few ms without
// waiting: the longest stretch it could not is how long the import kept the server's writes out.
// Prints nothing; the caller formats the numbers.
// Standalone: `npx tsx test/bench/import.ts [--tasks=N]` prints one JSON object (to check that
// peak RSS stays flat as the file grows).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../server/db/connect';
import { createProject } from '../../server/db/admin';
import type { Task } from '../../shared/task';
import { runCliInChild } from './cli-child';

const TASKS = 100_000;
const PROMPT_CHARS = 300;
const RESPONSE_CHARS = 500;
const LOCK_PROBE_MS = 5;

const self = fileURLToPath(import.meta.url);

export async function benchImport(): Promise<{
  'server.import100k.ms': number;
  'server.import100k.peakRssMb': number;
  'server.import100k.writeLockMs': number;
}> {
  const { ms, peakRssMb, lockedMs } = await measureImport(TASKS);
  return {
    'server.import100k.ms': ms,
    'server.import100k.peakRssMb': peakRssMb,
    'server.import100k.writeLockMs': Math.max(0, ...lockedMs),
  };
}

/** Writes `count` tasks to a file, imports it in a child process and checks every task arrived. */
async function measureImport(
  count: number,
): Promise<{ ms: number; peakRssMb: number; fileMb: number; lockedMs: number[] }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-bench-'));
  try {
    const file = path.join(root, 'tasks.jsonl');
    writeTasks(file, count);
    const dbFile = path.join(root, 'server.db');
    const server = await openDatabase(dbFile);
    await createProject(server.db, { id: 'bench' });
    await server.close();

    const probe = probeWriteLock(dbFile);
    const { ms, maxRssKb, stderr } = await importInChild(file, dbFile).finally(() => probe.stop());
    const check = await openDatabase(dbFile);
    try {
      const row = await check.db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(row.n) !== count) throw new Error(`imported ${row.n} tasks, expected ${count}\n${stderr}`);
    } finally {
      await check.close();
    }
    const fileMb = fs.statSync(file).size / 2 ** 20;
    return { ms, peakRssMb: maxRssKb / 1024, fileMb, lockedMs: probe.stretches };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Every LOCK_PROBE_MS, takes and releases the write lock on a connection that does not wait
 * (busy_timeout 0), as the server's writes would if they did not wait. `stretches`: how long each
 * run of refusals of over 50 ms lasted (the import's brief writes in between are left out).
 */
function probeWriteLock(dbFile: string): { stretches: number[]; stop(): void } {
  const db = new SQLite(dbFile);
  db.pragma('busy_timeout = 0');
  const stretches: number[] = [];
  let lockedSince: number | null = null;
  const end = (now: number) => {
    if (lockedSince !== null && now - lockedSince > 50) stretches.push(Math.round(now - lockedSince));
    lockedSince = null;
  };
  const timer = setInterval(() => {
    const now = performance.now();
    try {
      db.exec('begin immediate; rollback');
      end(now);
    } catch (error) {
      if (!/database is locked/.test((error as Error).message)) throw error;
      lockedSince ??= now;
    }
  }, LOCK_PROBE_MS);
  return {
    stretches,
    stop() {
      clearInterval(timer);
      end(performance.now());
      db.close();
    },
  };
}

function writeTasks(file: string, count: number): void {
  const words = ['reward', 'model', 'answer', 'careful', 'source', 'because', 'the', 'user', 'asked'];
  const text = (n: number, seed: number) => {
    let s = '';
    for (let i = 0; s.length < n; i++) s += words[(seed + i * 7) % words.length] + ' ';
    return s.slice(0, n);
  };
  const fd = fs.openSync(file, 'w');
  try {
    let batch = '';
    for (let i = 0; i < count; i++) {
      const task: Task = {
        id: `task-${i}`,
        kind: 'pairwise',
        prompt: text(PROMPT_CHARS, i),
        responses: [
          { id: 'a', text: text(RESPONSE_CHARS, i + 1) },
          { id: 'b', text: text(RESPONSE_CHARS, i + 2) },
        ],
      };
      batch += JSON.stringify(task) + '\n';
      if (batch.length > 1 << 20) {
        fs.writeSync(fd, batch);
        batch = '';
      }
    }
    fs.writeSync(fd, batch);
  } finally {
    fs.closeSync(fd);
  }
}

const importInChild = (file: string, dbFile: string) =>
  runCliInChild(['import', file, '--project', 'bench', '--db', dbFile]);

if (process.argv[1] === self) {
  const tasks = Number(process.argv.find((a) => a.startsWith('--tasks='))?.slice('--tasks='.length) ?? TASKS);
  console.log(JSON.stringify({ tasks, ...(await measureImport(tasks)) }));
}
