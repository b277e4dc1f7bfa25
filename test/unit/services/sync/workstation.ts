import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { DB_FILE, fileSecretPort } from '../../../../electron/services/index';
import type { ServicesOptions } from '../../../../electron/services/index';
import type { TaskBundle } from '../../../../shared/queue';
import { call, open, rankingWork } from '../helpers';
import { REVIEWER } from './real-server';

/** A workstation on a temp data dir, no background loop (tests run cycles), token in the 0600 db. */
export function openWorkstation(options: Partial<ServicesOptions> = {}) {
  return open({
    clock: () => new Date(),
    secret: fileSecretPort,
    backgroundSync: false,
    env: {},
    ...options,
  });
}

export type Workstation = ReturnType<typeof openWorkstation>;

export async function signIn(
  ws: Workstation,
  url: string,
  who: { username: string; password: string } = REVIEWER,
) {
  return call(ws, 'auth.signIn', { serverUrl: url, ...who });
}

/** Submits up to `n` open tasks (skipping the first `skip` of the queue); returns their ids. */
export async function labelSome(ws: Workstation, n: number, skip = 0): Promise<string[]> {
  const items = (await call(ws, 'queue.list', { state: 'pending', limit: 500 })).slice(skip, skip + n);
  const done: string[] = [];
  for (const item of items) {
    const bundle = await call(ws, 'task.open', { taskId: item.taskId });
    const outcome = await call(ws, 'label.submit', {
      taskId: item.taskId,
      work: rankingWork(bundle.presentedOrder),
    });
    if (!outcome.ok) throw new Error(`submit of ${item.taskId} refused: ${JSON.stringify(outcome.checks)}`);
    done.push(item.taskId);
  }
  return done;
}

/** Submits every open task with a complete ranking; returns the task ids in order. */
export async function labelAll(ws: Workstation): Promise<string[]> {
  const done: string[] = [];
  let bundle: TaskBundle | null = await call(ws, 'task.next');
  while (bundle) {
    const outcome = await call(ws, 'label.submit', {
      taskId: bundle.task.id,
      work: rankingWork(bundle.presentedOrder),
    });
    if (!outcome.ok)
      throw new Error(`submit of ${bundle.task.id} refused: ${JSON.stringify(outcome.checks)}`);
    done.push(bundle.task.id);
    bundle = outcome.next;
  }
  return done;
}

/** Reads the workstation's database file through a second connection (what is really committed). */
export function query<T>(ws: { dataDir: string }, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(ws.dataDir, DB_FILE), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export interface OutboxRowView {
  seq: number;
  mutation_id: number | null;
  type: string;
  task_id: string;
  state: string;
  reason: string | null;
  message: string | null;
}

export const outboxRows = (ws: { dataDir: string }) =>
  query<OutboxRowView>(
    ws,
    'SELECT seq, mutation_id, type, task_id, state, reason, message FROM outbox ORDER BY seq',
  );

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sync-child.ts');

/**
 * Runs a workstation host in a child process that syncs its data dir in a loop, and SIGKILLs it
 * `afterMs` after it is ready (or fails if it ends on its own).
 */
export function runAndKill(dataDir: string, resourcesDir: string, afterMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, resourcesDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('child ready') && !timer) timer = setTimeout(() => proc.kill('SIGKILL'), afterMs);
    };
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('error', reject);
    proc.once('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed:\n${output}`));
      else resolve(output);
    });
  });
}
