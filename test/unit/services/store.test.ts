import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE, StoreOpenError } from '../../../electron/services/index';
import { LATEST_VERSION, migrate, migrations } from '../../../electron/services/migrations';
import { OPEN_MARKER, openStore } from '../../../electron/services/store';
import { call, jsonl, open, rankingTask, tempDir } from './helpers';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

function expectOpenError(run: () => unknown): StoreOpenError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreOpenError);
    return error as StoreOpenError;
  }
  throw new Error('expected a StoreOpenError');
}

describe('store: creation, migrations and file modes', () => {
  it('creates the folder 0700 and the database 0600 (also -wal and -shm) with the latest schema', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const services = open({ dataDir });
    const dbPath = path.join(dataDir, DB_FILE);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(dbPath)).toBe(0o600);
    expect(mode(`${dbPath}-wal`)).toBe(0o600);
    expect(mode(`${dbPath}-shm`)).toBe(0o600);
    services.close();

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(['config_docs', 'drafts', 'labels', 'settings', 'tasks']));
    db.close();
  });

  it('tightens the modes of an existing folder and database file', () => {
    const dataDir = tempDir();
    fs.chmodSync(dataDir, 0o755);
    fs.writeFileSync(path.join(dataDir, DB_FILE), '');
    fs.chmodSync(path.join(dataDir, DB_FILE), 0o644);
    open({ dataDir });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, DB_FILE))).toBe(0o600);
  });

  it('migrates an empty file to the latest version, each step recorded in user_version', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, DB_FILE), '');
    const store = openStore(dataDir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    store.close();
    // opening again runs nothing and keeps the data
    const again = openStore(dataDir);
    expect(again.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    again.close();
  });

  it('runs each migration in its own transaction: a failing step leaves the previous version intact', () => {
    const db = new Database(path.join(tempDir(), 'steps.db'));
    const steps = [
      { version: 1, name: 'one', up: (d: Database.Database) => d.exec('CREATE TABLE one (x)') },
      {
        version: 2,
        name: 'two',
        up: (d: Database.Database) => {
          d.exec('CREATE TABLE two (x)');
          throw new Error('step two failed');
        },
      },
    ];
    expect(() => migrate(db, steps)).toThrow('step two failed');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(['one']);
    db.close();
  });

  it('keeps counts consistent through the state triggers', async () => {
    const services = open();
    await call(services, 'tasks.import', {
      text: jsonl(rankingTask('a'), rankingTask('b'), rankingTask('c')),
    });
    await call(services, 'draft.save', { taskId: 'a', work: {} });
    await call(services, 'task.skip', { taskId: 'b', reason: 'other' });
    services.close();
    const db = new Database(path.join(services.dataDir, DB_FILE), { readonly: true });
    const counted = db.prepare('SELECT state, count(*) AS n FROM tasks GROUP BY state ORDER BY state').all();
    const kept = db.prepare('SELECT state, n FROM task_counts WHERE n > 0 ORDER BY state').all();
    expect(kept).toEqual(counted);
    db.close();
  });
});

describe('store: damaged and newer databases', () => {
  it('a database from a newer version is refused and left byte-for-byte untouched', () => {
    const dataDir = tempDir();
    const dbPath = path.join(dataDir, DB_FILE);
    const db = new Database(dbPath);
    db.exec('CREATE TABLE future (x TEXT); INSERT INTO future VALUES (1)');
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    const before = fs.readFileSync(dbPath);

    const error = expectOpenError(() => open({ dataDir }));
    expect(error.kind).toBe('newer-version');
    expect(error.dbPath).toBe(dbPath);
    expect(error.keptAt).toBeNull();
    expect(error.message).toMatch(/newer version/);
    expect(error.message).toMatch(/Update the app/);
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual([DB_FILE]);
  });

  it('a file that is not a database is moved aside with its content and reported as corrupt', () => {
    const dataDir = tempDir();
    const dbPath = path.join(dataDir, DB_FILE);
    const garbage = Buffer.from(
      'this is not a database, but someone may still need these bytes\n'.repeat(200),
    );
    fs.writeFileSync(dbPath, garbage);
    fs.writeFileSync(`${dbPath}-wal`, 'wal bytes');

    const error = expectOpenError(() => open({ dataDir }));
    expect(error.kind).toBe('corrupt');
    expect(error.keptAt).toMatch(/workstation\.db\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(error.message).toContain(error.keptAt!);
    expect(error.message).toMatch(/damaged/);
    expect(error.message).toMatch(/lead can recover/);
    expect(fs.readFileSync(error.keptAt!).equals(garbage)).toBe(true);
    expect(fs.readFileSync(`${error.keptAt}-wal`, 'utf8')).toBe('wal bytes');
    expect(fs.existsSync(dbPath)).toBe(false);

    // the next start creates a fresh database and leaves the kept file alone
    const services = open({ dataDir });
    expect(fs.existsSync(dbPath)).toBe(true);
    expect(fs.readFileSync(error.keptAt!).equals(garbage)).toBe(true);
    services.close();
  });

  it('a database whose pages are damaged fails the integrity check and is moved aside', async () => {
    const dataDir = tempDir();
    const services = open({ dataDir });
    const many = Array.from({ length: 300 }, (_, i) => rankingTask(`t${i}`, 4));
    await call(services, 'tasks.import', { text: jsonl(...many) });
    services.close();

    const dbPath = path.join(dataDir, DB_FILE);
    const bytes = fs.readFileSync(dbPath);
    const pageSize = bytes.readUInt16BE(16);
    // scribble over every page after the first, keeping the valid header
    for (let offset = pageSize; offset < bytes.length; offset += pageSize)
      bytes.fill(0xa5, offset + 8, offset + 64);
    fs.writeFileSync(dbPath, bytes);

    const error = expectOpenError(() => open({ dataDir }));
    expect(error.kind).toBe('corrupt');
    expect(fs.readFileSync(error.keptAt!).equals(bytes)).toBe(true);
  });

  it('a clean start skips the full integrity check; damage met while running makes the next start check and move the file aside', async () => {
    const dataDir = tempDir();
    const services = open({ dataDir });
    const many = Array.from({ length: 300 }, (_, i) =>
      rankingTask(`t${i}`, 4, { prompt: `Prompt ${i} ${'deep text '.repeat(40)}` }),
    );
    await call(services, 'tasks.import', { text: jsonl(...many) });
    services.close();
    const dbPath = path.join(dataDir, DB_FILE);
    expect(fs.existsSync(dbPath + OPEN_MARKER)).toBe(false); // closed cleanly

    // damage only the page that holds task t250's text: nothing read at start-up lives there
    const bytes = fs.readFileSync(dbPath);
    const pageSize = bytes.readUInt16BE(16);
    const at = bytes.indexOf('Prompt 250 deep');
    expect(at).toBeGreaterThan(0);
    const page = Math.floor(at / pageSize) * pageSize;
    bytes.fill(0xa5, page, page + pageSize);
    fs.writeFileSync(dbPath, bytes);

    const started = open({ dataDir });
    expect(started.checkedAtStart).toBe(false); // no quick_check on the start-up path
    const reading = await started.dispatch('task.open', { taskId: 't250' });
    expect(reading.ok).toBe(false);
    started.close();
    expect(fs.existsSync(dbPath + OPEN_MARKER)).toBe(true); // kept: damage was seen

    const error = expectOpenError(() => open({ dataDir }));
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain('is damaged');
    expect(fs.readFileSync(error.keptAt!).equals(bytes)).toBe(true);
  });

  it('after a run that did not close the database (a crash) the full integrity check runs before anything opens', async () => {
    const dataDir = tempDir();
    const services = open({ dataDir });
    await call(services, 'tasks.import', {
      text: jsonl(...Array.from({ length: 300 }, (_, i) => rankingTask(`t${i}`, 4))),
    });
    const dbPath = path.join(dataDir, DB_FILE);
    expect(fs.existsSync(dbPath + OPEN_MARKER)).toBe(true); // open: the marker is there
    services.close();
    // a crash leaves the marker behind
    fs.writeFileSync(dbPath + OPEN_MARKER, '');
    const checked = open({ dataDir });
    expect(checked.checkedAtStart).toBe(true);
    checked.close();
    expect(fs.existsSync(dbPath + OPEN_MARKER)).toBe(false);
    const clean = open({ dataDir });
    expect(clean.checkedAtStart).toBe(false);
  });

  it('a data folder that cannot be created is a permission error', () => {
    const blocker = path.join(tempDir(), 'file');
    fs.writeFileSync(blocker, 'not a folder');
    const error = expectOpenError(() => open({ dataDir: path.join(blocker, 'data') }));
    expect(error.kind).toBe('permission');
    expect(error.message).toContain(blocker);
  });
});
