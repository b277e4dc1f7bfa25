import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../../server/app';
import { addUser, createProject, importTasks } from '../../../../server/db/admin';
import { runCli } from '../../../../server/cli/run';
import { openDatabase } from '../../../../server/db/connect';
import { SERVER_SQLITE_BUSY_MS } from '../../../../server/db/write-queue';
import { backends, cli } from './helpers';

const repo = path.resolve(import.meta.dirname, '../../../..');
const all = await backends();
const dirs: string[] = [];
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
});
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-backup-'));
  dirs.push(dir);
  return dir;
}

/** A server database with a project of `tasks` tasks (long prompts: a file of some size), one user. */
async function seed(file: string, tasks = 20): Promise<{ userId: string; epoch: string }> {
  const server = await openDatabase(file);
  try {
    await createProject(server.db, { id: 'p' });
    const userId = await addUser(server.db, {
      username: 'rita',
      role: 'reviewer',
      password: 'long-enough-1',
    });
    const long = 'lorem ipsum dolor sit amet '.repeat(150);
    await importTasks(
      server.db,
      'p',
      Array.from({ length: tasks }, (_, i) => ({
        id: `t${i + 1}`,
        kind: 'pairwise' as const,
        prompt: `Prompt ${i + 1}: ${long}`,
        responses: [
          { id: 'a', text: `A ${long}` },
          { id: 'b', text: `B ${long}` },
        ],
      })),
    );
    const epoch = (
      await server.db
        .selectFrom('server_meta')
        .select('value')
        .where('key', '=', 'epoch')
        .executeTakeFirstOrThrow()
    ).value;
    return { userId, epoch };
  } finally {
    await server.close();
  }
}

/** reads a SQLite file with a connection of its own */
function read<T>(file: string, fn: (db: SQLite.Database) => T): T {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}
const count = (file: string, table: string) =>
  read(file, (db) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
const meta = (file: string) =>
  read(file, (db) =>
    Object.fromEntries(
      (db.prepare('select key, value from server_meta').all() as { key: string; value: string }[]).map(
        (r) => [r.key, r.value],
      ),
    ),
  );
/** an SQLite database of some other application */
function foreignDatabase(file: string): void {
  const db = new SQLite(file);
  db.exec('create table notes (text)');
  db.close();
}
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
/** what is in the directory besides the given files: temp files left behind, stale logs */
const others = (dir: string, ...expected: string[]) =>
  fs.readdirSync(dir).filter((f) => !expected.includes(f));

/**
 * Another process writing labels in a loop, one transaction each (as the server would), until its
 * standard input closes; it then prints how many it wrote and how many writes failed.
 */
function startWriter(file: string, userId: string) {
  const script = `
    const SQLite = require(${JSON.stringify(createRequire(path.join(repo, 'package.json')).resolve('better-sqlite3'))});
    const db = new SQLite(process.argv[1]);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare(\`insert into labels (id, task_id, project_id, user_id, device_id, body,
      revision, lease_token, flagged, created_at, received_at, updated_at)
      values (?, 't1', 'p', ?, 'device-w', ?, 1, 1, null, ?, ?, ?)\`);
    const body = JSON.stringify({ rationale: 'x'.repeat(2000) });
    let written = 0, errors = 0, stop = false;
    process.stdin.on('end', () => (stop = true));
    process.stdin.resume();
    (async () => {
      while (!stop) {
        for (let i = 0; i < 20; i++) {
          const at = new Date().toISOString();
          try {
            insert.run('w-' + written, process.argv[2], body, at, at, at);
            written++;
          } catch (e) {
            errors++;
            process.stderr.write(String(e.message) + '\\n');
          }
        }
        if (written === 20) process.stdout.write('ready\\n');
        await new Promise((resolve) => setImmediate(resolve));
      }
      db.close();
      process.stdout.write(JSON.stringify({ written, errors }) + '\\n');
    })();
  `;
  const child = spawn(process.execPath, ['-e', script, file, userId], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before it was ready: ${err}`)));
  });
  const stop = () =>
    new Promise<{ written: number; errors: number; stderr: string }>((resolve) => {
      child.on('close', () => resolve({ ...JSON.parse(out.trim().split('\n').at(-1)!), stderr: err }));
      child.stdin.end();
    });
  return { ready, stop, kill: () => child.kill() };
}

describe('server CLI: backup (SQLite)', () => {
  it('copies a running database while another process writes labels in a loop: consistent, complete, 0600', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'server.db');
    const out = path.join(dir, 'backup.db');
    const { userId, epoch } = await seed(db, 1500); // ~25 MB: the copy takes a while
    const writer = startWriter(db, userId);
    let result;
    try {
      await writer.ready;
      const before = count(db, 'labels');
      const run = await cli(db, 'backup', '--out', out);
      const after = count(db, 'labels');
      result = { run, before, after, ...(await writer.stop()) };
    } finally {
      writer.kill();
    }
    expect(result.run).toMatchObject({ code: 0, stderr: '' });
    expect(result.run.stdout).toMatch(/^backed up .*server\.db to .*backup\.db \(\d+ bytes\)\n$/);
    expect({ errors: result.errors, stderr: result.stderr }).toEqual({ errors: 0, stderr: '' });
    expect(result.after).toBeGreaterThan(result.before); // the writer went on during the copy

    expect(read(out, (copy) => copy.pragma('integrity_check', { simple: true }))).toBe('ok');
    // a snapshot: every label committed before the backup began, none the writer had not yet written
    const copied = count(out, 'labels');
    expect(copied).toBeGreaterThanOrEqual(result.before);
    expect(copied).toBeLessThanOrEqual(result.written);
    expect(count(out, 'tasks')).toBe(1500);
    expect(meta(out).epoch).toBe(epoch);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(others(dir, 'server.db', 'server.db-wal', 'server.db-shm', 'backup.db')).toEqual([]);
    // the copy is a server database a restore accepts
    expect((await cli(path.join(dir, 'restored.db'), 'restore', out)).code).toBe(0);
  });

  it('refuses to overwrite without --force, replaces with it; names a missing or foreign source', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'server.db');
    const out = path.join(dir, 'backup.db');
    await seed(db);
    fs.writeFileSync(out, 'an older backup');
    const refused = await cli(db, 'backup', '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: --out: .*backup\.db exists; pass --force to replace it$/m);
    expect(fs.readFileSync(out, 'utf8')).toBe('an older backup');

    expect((await cli(db, 'backup', '--out', out, '--force')).code).toBe(0);
    expect(read(out, (copy) => copy.pragma('integrity_check', { simple: true }))).toBe('ok');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);

    const missing = await cli(path.join(dir, 'nope.db'), 'backup', '--out', path.join(dir, 'x.db'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no database at .*nope\.db$/m);
    expect(fs.existsSync(path.join(dir, 'nope.db'))).toBe(false); // not created by looking

    const foreign = path.join(dir, 'foreign.db');
    foreignDatabase(foreign);
    const notOurs = await cli(foreign, 'backup', '--out', path.join(dir, 'y.db'));
    expect(notOurs.code).toBe(1);
    expect(notOurs.stderr).toMatch(/is not a server database: .*no server_meta table/);
    expect(others(dir, 'server.db', 'backup.db', 'foreign.db')).toEqual([]);
    expect((await cli(db, 'backup')).stderr).toMatch(/--out is required/);
  });

  it('points a PostgreSQL database at pg_dump', async () => {
    const run = await cli('postgres://rw@127.0.0.1:1/none', 'backup', '--out', path.join(tempDir(), 'b'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/for PostgreSQL use pg_dump -Fc \(see docs\/operations\.md\)/);
  });
});

describe('server CLI: restore (SQLite)', () => {
  /** server.db seeded, backup.db taken, then a user added to server.db that the backup lacks */
  async function setUp() {
    const dir = tempDir();
    const db = path.join(dir, 'server.db');
    const backup = path.join(dir, 'backup.db');
    const { epoch } = await seed(db);
    expect((await cli(db, 'backup', '--out', backup)).code).toBe(0);
    expect((await cli(db, 'user', 'add', 'late', '--role', 'reviewer')).code).toBe(0);
    return { dir, db, backup, epoch };
  }

  it('refuses while a running server holds the database; works once it is stopped and marks the restore', async () => {
    const { dir, db, backup, epoch } = await setUp();
    const server = await openDatabase(db, { sqliteBusyTimeoutMs: SERVER_SQLITE_BUSY_MS });
    const app = await buildServer({ db: server });
    await app.listen({ port: 0, host: '127.0.0.1' });
    let stopped = false;
    try {
      const { port } = app.server.address() as { port: number };
      const health = async () =>
        ((await (await fetch(`http://127.0.0.1:${port}/v1/health`)).json()) as { epoch: string }).epoch;
      expect(await health()).toBe(epoch); // serving, idle: no transaction open
      const before = sha(db);

      const refused = await cli(db, 'restore', backup);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^error: .*server\.db is in use \(a running server, or an import\): stop the server, then restore; .*server\.db is untouched$/m,
      );
      expect(sha(db)).toBe(before);
      expect(await health()).toBe(epoch);
      expect(count(db, 'users')).toBe(2);

      await app.close();
      await server.close();
      stopped = true;
      const started = new Date().toISOString();
      const restored = await cli(db, 'restore', backup);
      expect(restored).toMatchObject({ code: 0, stderr: '' });
      expect(restored.stdout).toMatch(/^restored .*server\.db from .*backup\.db; new server epoch [\w-]+ /);
      const marks = meta(db);
      expect(marks.epoch).not.toBe(epoch);
      expect(restored.stdout).toContain(marks.epoch);
      expect(marks.restored_from).toBe('backup.db');
      expect(marks.restored_at! >= started && marks.restored_at! <= new Date().toISOString()).toBe(true);
      expect(count(db, 'users')).toBe(1); // the backup's content: the later user is gone
      expect(fs.statSync(db).mode & 0o777).toBe(0o600);
      expect(others(dir, 'server.db', 'backup.db')).toEqual([]);
    } finally {
      if (!stopped) {
        await app.close();
        await server.close();
      }
    }
  });

  it('refuses a target SQLite cannot read; once it is moved aside, removes the stale -wal and -shm it left', async () => {
    const { dir, db, backup } = await setUp();
    // a crash leaves a log of committed writes not yet in the file; later the file is found corrupt
    const crashed = new SQLite(db);
    crashed.pragma('wal_autocheckpoint = 0');
    const add = crashed.prepare(
      "insert into users (id, username, display_name, role, pod_id, password_hash, created_at) values (?, ?, ?, 'reviewer', null, 'x', '')",
    );
    for (let i = 0; i < 200; i++) add.run(`ghost-${i}`, `ghost${i}`, 'ghost '.repeat(50));
    const wal = fs.readFileSync(`${db}-wal`);
    const shm = fs.readFileSync(`${db}-shm`);
    crashed.close(); // (closing checkpointed the log: the copies stand for what a crash leaves)
    const garbage = 'garbage '.repeat(1000);
    fs.writeFileSync(db, garbage);

    // whether a server has an unreadable file open cannot be told: not replaced
    const refused = await cli(db, 'restore', backup);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error: .*server\.db is not a database SQLite can read \(file is not a database\): move it aside \(keep it to investigate\), then restore$/m,
    );
    expect(fs.readFileSync(db, 'utf8')).toBe(garbage);

    // the operator moves the file aside, but not the log the crash left beside it: replayed, its
    // frames would rewrite pages of the restored file
    fs.renameSync(db, `${db}.broken`);
    fs.writeFileSync(`${db}-wal`, wal);
    fs.writeFileSync(`${db}-shm`, shm);
    const restored = await cli(db, 'restore', backup);
    expect(restored).toMatchObject({ code: 0, stderr: '' });
    expect(restored.stdout).toContain('; removed stale server.db-wal, server.db-shm;');
    expect(read(db, (r) => r.pragma('integrity_check', { simple: true }))).toBe('ok');
    expect(count(db, 'users')).toBe(1);
    expect(others(dir, 'server.db', 'server.db.broken', 'backup.db')).toEqual([]);
  });

  it('refuses a FILE that is not a server database, with a clear message, and leaves TARGET untouched', async () => {
    const { dir, db, backup } = await setUp();
    const before = sha(db);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a database at all\n'.repeat(100));
    const foreign = path.join(dir, 'foreign.db');
    foreignDatabase(foreign);
    const cases: [string[], number, RegExp][] = [
      [
        [text],
        1,
        /^error: .*notes\.txt is not a backup of this server: it is not an SQLite database \(file is not a database\); .*server\.db is untouched$/m,
      ],
      [
        [foreign],
        1,
        /^error: .*foreign\.db is not a backup of this server: it is an SQLite database, but not this server's \(no server_meta table\)/m,
      ],
      [[path.join(dir, 'missing.db')], 1, /^error: no file .*missing\.db$/m],
      [[db], 1, /server\.db is the database itself/],
      [[], 2, /^error: missing FILE$/m],
      [[backup, 'extra'], 2, /unexpected argument "extra"/],
    ];
    for (const [args, code, message] of cases) {
      const run = await cli(db, 'restore', ...args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
    }
    // a live database copied with its log is not a backup
    fs.writeFileSync(`${backup}-wal`, 'frames');
    expect((await cli(db, 'restore', backup)).stderr).toMatch(
      /has a write-ahead log next to it \(backup\.db-wal\)/,
    );

    expect(sha(db)).toBe(before);
    expect(count(db, 'users')).toBe(2);
    expect(others(dir, 'server.db', 'backup.db', 'backup.db-wal', 'notes.txt', 'foreign.db')).toEqual([]);
    // --db is required: a restore names the database it replaces
    const noDb = await runWithoutDb(['restore', backup]);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/^error: --db is required$/m);
  });

  it('points a PostgreSQL target at pg_restore and --mark-only', async () => {
    const run = await cli('postgres://rw:secret@127.0.0.1:1/none', 'restore', path.join(tempDir(), 'b.dump'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/pg_restore --clean --if-exists, then restore --mark-only --db URL/);
  });
});

/** the CLI without the --db the helper adds */
async function runWithoutDb(args: string[]) {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(args, { stdout: new PassThrough(), stderr, env: {} });
  return { code, stderr: err };
}

describe.each(all)('server CLI on $name: restore --mark-only', (backend) => {
  afterEach(() => backend.cleanup());

  it('rotates the epoch and records restored_at and restored_from (removed when no name is given)', async () => {
    const db = await backend.fresh();
    expect((await cli(db, 'user', 'add', 'rita', '--role', 'reviewer')).code).toBe(0);
    const marks = async () => {
      const server = await openDatabase(db);
      try {
        const rows = await server.db.selectFrom('server_meta').selectAll().execute();
        return Object.fromEntries(rows.map((r) => [r.key, r.value]));
      } finally {
        await server.close();
      }
    };
    const first = await marks();
    const named = await cli(db, 'restore', '--mark-only', 'nightly.dump');
    expect(named).toMatchObject({ code: 0, stderr: '' });
    const second = await marks();
    expect(second.epoch).not.toBe(first.epoch);
    expect(named.stdout).toBe(
      `marked ${backend.name === 'sqlite' ? db : db.replace(/:[^:@/]*@/, ':***@')} as restored from nightly.dump; new server epoch ${second.epoch}\n`,
    );
    expect(second.restored_from).toBe('nightly.dump');
    expect(Date.parse(second.restored_at!)).toBeGreaterThan(Date.now() - 60_000);

    expect((await cli(db, 'restore', '--mark-only')).code).toBe(0);
    const third = await marks();
    expect(third.epoch).not.toBe(second.epoch);
    expect(third.restored_from).toBeUndefined(); // it would name the earlier restore's file
    expect(third.restored_at! >= second.restored_at!).toBe(true);
    expect((await cli(db, 'restore', '--mark-only', 'a', 'b')).stderr).toMatch(/unexpected argument "b"/);
  });
});

describe.each(all.filter((b) => b.name === 'postgres'))(
  'server CLI on $name: PostgreSQL restore',
  (backend) => {
    afterEach(() => backend.cleanup());

    it('after pg_dump -Fc and pg_restore --clean --if-exists (docs/operations.md), --mark-only completes the restore', async () => {
      const url = await backend.fresh();
      expect((await cli(url, 'user', 'add', 'rita', '--role', 'reviewer')).code).toBe(0);
      const dump = path.join(tempDir(), 'server-2026-01-05.dump');
      const run = promisify(execFile);
      await run('pg_dump', ['-Fc', '-f', dump, '-d', url]);
      expect((await cli(url, 'user', 'add', 'late', '--role', 'reviewer')).code).toBe(0);
      const server = await openDatabase(url);
      const epochBefore = (
        await server.db
          .selectFrom('server_meta')
          .select('value')
          .where('key', '=', 'epoch')
          .executeTakeFirstOrThrow()
      ).value;
      await server.close();

      await run('pg_restore', ['--clean', '--if-exists', '-d', url, dump]);
      const marked = await cli(url, 'restore', '--mark-only', path.basename(dump));
      expect(marked).toMatchObject({ code: 0, stderr: '' });

      const after = await openDatabase(url);
      try {
        const users = await after.db.selectFrom('users').select('username').execute();
        expect(users.map((u) => u.username)).toEqual(['rita']);
        const rows = await after.db.selectFrom('server_meta').selectAll().execute();
        const m = Object.fromEntries(rows.map((r) => [r.key, r.value]));
        expect(m.epoch).not.toBe(epochBefore);
        expect(m.restored_from).toBe('server-2026-01-05.dump');
      } finally {
        await after.close();
      }
    });
  },
);
