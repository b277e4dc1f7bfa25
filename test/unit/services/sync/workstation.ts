import path from 'node:path';
import Database from 'better-sqlite3';
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

export async function signIn(ws: Workstation, url: string) {
  return call(ws, 'auth.signIn', { serverUrl: url, ...REVIEWER });
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
