import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../electron/services/index';
import { migrate, migrations } from '../../../electron/services/migrations';
import { importTasks, setWellbeing } from '../../../server/db/admin';
import type { TaskBundle } from '../../../shared/queue';
import { localDayStart, type WellbeingPatch } from '../../../shared/wellbeing';
import { call, rankingWork, tempDir } from './helpers';
import { type RealServer, serverTask, startRealServer } from './sync/real-server';
import { openWorkstation, query, signIn, type Workstation } from './sync/workstation';

/**
 * Exposure caps and the break reminder on the workstation (docs/wellbeing.md): real local database
 * files, the caps brought by a real sync from the real server, then counted offline.
 */
const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const server = servers.pop()!;
    await server.stop();
    server.remove();
  }
});

const sensitive = (id: string) => ({ ...serverTask(id), sensitive: true });
// sensitive and ordinary tasks alternate in the queue (import order)
const TASKS = [
  sensitive('s1'),
  serverTask('r1'),
  sensitive('s2'),
  serverTask('r2'),
  sensitive('s3'),
  serverTask('r3'),
];
const MINUTE = 60_000;

async function setup(settings: WellbeingPatch) {
  const srv = await startRealServer({ tasks: 0 });
  servers.push(srv);
  await importTasks(srv.db.db, 'p1', TASKS);
  await setWellbeing(srv.db.db, 'p1', settings);
  let now = Date.now();
  const clock = {
    at: (ms: number) => (now = ms),
    later: (ms: number) => (now += ms),
    now: () => now,
  };
  const dataDir = path.join(tempDir(), 'data');
  const ws = openWorkstation({ dataDir, clock: () => new Date(now) });
  await signIn(ws, srv.url);
  expect(await call(ws, 'sync.now')).toMatchObject({ state: 'online', lastError: null });
  return { srv, ws, clock, dataDir };
}

/** labels whatever task.next serves until `n` are done or the queue has nothing; the ids in order */
async function labelNext(ws: Workstation, n = Infinity): Promise<string[]> {
  const done: string[] = [];
  let bundle: TaskBundle | null = await call(ws, 'task.next');
  while (bundle && done.length < n) {
    const outcome = await call(ws, 'label.submit', {
      taskId: bundle.task.id,
      work: rankingWork(bundle.presentedOrder),
    });
    if (!outcome.ok) throw new Error(`submit refused: ${JSON.stringify(outcome.checks)}`);
    done.push(bundle.task.id);
    bundle = outcome.next;
  }
  return done;
}

describe('exposure caps on the workstation', () => {
  it('a daily cap from sync, counted offline: sensitive tasks pass over, others go on, tomorrow they come back', async () => {
    const { srv, ws, clock, dataDir } = await setup({ perDay: 2 });
    expect(query(ws, `SELECT value FROM settings WHERE key = 'sync.wellbeing'`)).toEqual([
      { value: JSON.stringify([{ projectId: 'p1', perDay: 2, perSession: null, breakAfterMinutes: null }]) },
    ]);
    // offline from here on: the server is gone
    await srv.stop();
    expect((await call(ws, 'wellbeing.status')).capNotice).toBeNull();

    expect(await labelNext(ws)).toEqual(['s1', 'r1', 's2', 'r2', 'r3']);
    const daily =
      "You have reviewed 2 sensitive tasks today, your project's daily limit. Sensitive tasks come back tomorrow.";
    expect((await call(ws, 'wellbeing.status')).capNotice).toBe(daily);
    expect(await call(ws, 'task.next')).toBeNull();
    expect(await call(ws, 'task.peekNext')).toBeNull();
    // the queue list still shows it, but opening it is refused in the same words
    await expect(call(ws, 'task.open', { taskId: 's3' })).rejects.toThrow(/daily limit/);
    // a submitted sensitive label stays editable (it is not a new exposure)
    expect((await call(ws, 'task.open', { taskId: 's1' })).state).toBe('submitted');

    // the count is in the database file: a restart of the app keeps it
    ws.close();
    const again = openWorkstation({ dataDir, clock: () => new Date(clock.now()) });
    expect((await call(again, 'wellbeing.status')).capNotice).toBe(daily);
    expect(await call(again, 'task.next')).toBeNull();

    // one minute past the reviewer's local midnight: a new day
    const today = localDayStart(new Date(clock.now()));
    clock.at(new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1, 0, 1).getTime());
    expect((await call(again, 'wellbeing.status')).capNotice).toBeNull();
    expect((await call(again, 'task.peekNext'))?.task.id).toBe('s3');
    expect((await call(again, 'task.next'))?.task.id).toBe('s3');
  });

  it('a session cap holds until the next sign-in; a change of the caps arrives with the next sync', async () => {
    const { srv, ws, clock } = await setup({ perSession: 1 });
    expect(await labelNext(ws)).toEqual(['s1', 'r1', 'r2', 'r3']);
    expect((await call(ws, 'wellbeing.status')).capNotice).toMatch(
      /^You have reviewed 1 sensitive task since you signed in, your project's limit for one session\./,
    );
    // a new sign-in is a new session
    clock.later(MINUTE);
    await call(ws, 'auth.signOut');
    await signIn(ws, srv.url);
    expect((await call(ws, 'wellbeing.status')).capNotice).toBeNull();
    expect(await labelNext(ws, 1)).toEqual(['s2']);
    expect(await call(ws, 'task.next')).toBeNull();

    // the administrator lifts the session cap and sets a daily one of 3: the next sync brings it
    await setWellbeing(srv.db.db, 'p1', { perSession: null, perDay: 3 });
    await call(ws, 'sync.now');
    expect((await call(ws, 'wellbeing.status')).capNotice).toBeNull();
    expect(await labelNext(ws)).toEqual(['s3']);
    expect((await call(ws, 'wellbeing.status')).capNotice).toMatch(/reviewed 3 sensitive tasks today/);
  });
});

describe('the break reminder', () => {
  it('comes after the stretch of continuous sensitive work, goes when dismissed, and a real break resets it', async () => {
    const { srv, ws, clock } = await setup({ breakAfterMinutes: 10 });
    await srv.stop();
    const first = await call(ws, 'task.next');
    expect(first?.task.id).toBe('s1');
    const start = clock.now();
    const status = (workingOn?: string) =>
      call(ws, 'wellbeing.status', workingOn === undefined ? {} : { workingOn });
    expect((await status('s1')).breakReminder).toEqual({
      due: false,
      dueAt: new Date(start + 10 * MINUTE).toISOString(),
      minutes: 0,
    });
    // the screen's heartbeat while the reviewer reads: pauses under 5 minutes keep the stretch going
    for (let i = 0; i < 2; i++) {
      clock.later(4 * MINUTE);
      expect((await status('s1')).breakReminder.due).toBe(false);
    }
    clock.later(2 * MINUTE);
    expect((await status('s1')).breakReminder).toMatchObject({ due: true, minutes: 10 });

    // dismissed: the next one after another full stretch
    const dismissed = await call(ws, 'wellbeing.dismissBreak');
    expect(dismissed.breakReminder).toEqual({
      due: false,
      dueAt: new Date(clock.now() + 10 * MINUTE).toISOString(),
      minutes: 0,
    });

    // ordinary work is not sensitive work: it does not continue the stretch
    await call(ws, 'label.submit', { taskId: 's1', work: rankingWork(first!.presentedOrder) });
    clock.later(4 * MINUTE);
    expect((await status('r1')).breakReminder.dueAt).not.toBeNull();
    clock.later(2 * MINUTE);
    // six minutes since the last sensitive work: a real break, no reminder pending
    expect((await status('r1')).breakReminder).toEqual({ due: false, dueAt: null, minutes: 0 });
    // back at sensitive work: a new stretch starts now
    expect((await status('s2')).breakReminder.dueAt).toBe(new Date(clock.now() + 10 * MINUTE).toISOString());
  });
});

describe('local migration 11', () => {
  it('marks the sensitive tasks a version-10 database already holds', () => {
    const file = path.join(tempDir(), DB_FILE);
    const db = new Database(file);
    try {
      migrate(db, migrations.slice(0, 10));
      const insert = db.prepare(
        `INSERT INTO tasks (id, kind, body, prompt_preview, state, updated_at, imported_at)
         VALUES (?, 'ranking', ?, '', 'pending', '', '')`,
      );
      insert.run('s', JSON.stringify(sensitive('s')));
      insert.run('r', JSON.stringify(serverTask('r')));
      insert.run('f', JSON.stringify({ ...serverTask('f'), sensitive: false }));
      migrate(db);
      expect(db.prepare('SELECT id, sensitive FROM tasks ORDER BY id').all()).toEqual([
        { id: 'f', sensitive: 0 },
        { id: 'r', sensitive: 0 },
        { id: 's', sensitive: 1 },
      ]);
    } finally {
      db.close();
    }
  });
});
