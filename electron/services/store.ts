import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseKeyHex, keyCheck, keyUnavailable, readKeyCheck } from './database-key';
import { StoreOpenError } from './errors';
import { LATEST_VERSION, migrate, schemaVersion } from './migrations';
import { applyKey, encryptPlaintextFile, isNotADatabase, removeEncryptionLeftovers } from './store-cipher';

export const DB_FILE = 'workstation.db';
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const SIDE_FILES = ['-wal', '-shm'] as const;
/**
 * `<db>.open`: written when the app opens the database, removed when it closes it cleanly. Found at
 * start-up, it means the last run did not close the file (a crash, a power cut, a kill) or found it
 * damaged while running: only then does the full integrity check run before the window opens.
 */
export const OPEN_MARKER = '.open';

export interface Store {
  readonly db: Database.Database;
  readonly dbPath: string;
  /** prepared once per SQL text, then reused */
  stmt(sql: string): Database.Statement;
  /**
   * One IMMEDIATE transaction committed with `synchronous=FULL`: the WAL is fsynced
   * before this returns. For labels, skips, escalations and imports.
   */
  durable<T>(fn: () => T): T;
  /** One transaction with `synchronous=NORMAL`: survives a process crash, may lose the last commits on power loss. */
  light<T>(fn: () => T): T;
  close(): void;
  /**
   * SQLite reported damage while running: the next start runs the full integrity check (and
   * moves a damaged file aside) even if this run closes cleanly.
   */
  suspectDamage(): void;
  /** Start-up failed after the store opened: closes it; damage found by the start-up reads is reported like a damaged file. */
  abandon(error: unknown): Error;
  /** true when this start ran the full integrity check (the last run did not close cleanly) */
  readonly checkedAtStart: boolean;
}

export interface OpenStoreOptions {
  clock?: () => Date;
  /**
   * The database key (64 hex digits; electron/services/database-key.ts). Given: the file is
   * encrypted, and a plaintext one from before is encrypted first. Absent or null: the file is
   * plain (browser mode, a computer without a key store).
   */
  key?: string | null;
}

/**
 * Opens (creating if needed) `<dataDir>/workstation.db`, private to the user.
 * A damaged file is moved aside and reported; a file from a newer build is left untouched.
 * The full integrity check (`quick_check`, every page: 27-32 s for a 100,000-task queue on a cold
 * disk) runs only after a run that did not close the file cleanly (OPEN_MARKER); on a clean start
 * SQLite's own checks of every page it reads remain, and damage they find marks the file for the
 * full check at the next start (`suspectDamage`).
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  const clock = options.clock ?? (() => new Date());
  const key = options.key == null ? null : DatabaseKeyHex.parse(options.key);
  const dbPath = path.join(dataDir, DB_FILE);
  ensurePrivateDir(dataDir, dbPath);
  const marker = dbPath + OPEN_MARKER;
  const unclean = fs.existsSync(marker);
  const found = probeExisting({ dataDir, dbPath, clock, fullCheck: unclean, key });
  if (key && found === 'plain') encryptExisting(dbPath, key, clock);
  else removeEncryptionLeftovers(dbPath);
  createPrivateFile(dbPath);

  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath);
    if (key) applyKey(db, key);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    migrate(db);
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    db?.close();
    throw classifyOpenError(error, dbPath, clock);
  }
  for (const suffix of SIDE_FILES) chmodIfPresent(dbPath + suffix, 0o600);
  writeMarker(marker);
  // deleted rows are overwritten with zeros, not left in free space (account switch, retention, wipe)
  db.pragma('secure_delete = ON');
  return createStore(db, dbPath, unclean, clock);
}

function writeMarker(marker: string): void {
  try {
    fs.closeSync(fs.openSync(marker, 'w', 0o600));
  } catch (error) {
    throw permissionError(marker, error);
  }
}

/** SQLite found a damaged page or a file that is not a database */
export function isCorruption(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

function createStore(
  db: Database.Database,
  dbPath: string,
  checkedAtStart: boolean,
  clock: () => Date,
): Store {
  const marker = dbPath + OPEN_MARKER;
  let suspect = false;
  const statements = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const syncFull = db.prepare('PRAGMA synchronous = FULL');
  const syncNormal = db.prepare('PRAGMA synchronous = NORMAL');

  const durable = <T>(fn: () => T): T => {
    // nested call: the outer transaction decides how it commits
    if (db.inTransaction) return db.transaction(fn)();
    syncFull.run();
    try {
      return db.transaction(fn).immediate();
    } finally {
      syncNormal.run();
    }
  };
  const light = <T>(fn: () => T): T =>
    db.inTransaction ? db.transaction(fn)() : db.transaction(fn).immediate();

  return {
    db,
    dbPath,
    stmt,
    durable,
    light,
    checkedAtStart,
    close() {
      if (!db.open) return;
      try {
        db.pragma('optimize');
      } finally {
        db.close();
        // a clean close: the next start skips the full check (unless damage was seen meanwhile)
        if (!suspect) fs.rmSync(marker, { force: true });
      }
    },
    suspectDamage() {
      suspect = true;
    },
    abandon(error) {
      if (!isCorruption(error)) {
        this.close();
        return error instanceof Error ? error : new Error(String(error));
      }
      // no optimize: nothing more is written to a damaged file before it is moved aside
      if (db.open) db.close();
      fs.rmSync(marker, { force: true });
      return corruptError(dbPath, error instanceof Error ? error.message : String(error), clock);
    },
  };
}

function ensurePrivateDir(dataDir: string, dbPath: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw permissionError(dbPath, error);
  }
  try {
    fs.chmodSync(dataDir, 0o700);
  } catch {
    // not the owner of an existing folder: the file modes below still protect the data
  }
}

function createPrivateFile(dbPath: string): void {
  try {
    if (!fs.existsSync(dbPath)) fs.closeSync(fs.openSync(dbPath, 'a', 0o600));
    fs.chmodSync(dbPath, 0o600);
  } catch (error) {
    throw permissionError(dbPath, error);
  }
}

function chmodIfPresent(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch {
    // side file not created yet; SQLite gives it the database file's mode when it does
  }
}

/** The plaintext file from before encryption came, encrypted; a failure leaves it as it was. */
function encryptExisting(dbPath: string, key: string, clock: () => Date): void {
  try {
    encryptPlaintextFile(dbPath, key);
  } catch (error) {
    const classified = classifyOpenError(error, dbPath, clock);
    if (classified instanceof StoreOpenError) throw classified;
    throw new Error(
      `The database at ${dbPath} could not be encrypted (${classified.message}). ` +
        'It was left unencrypted and unchanged; the next start tries again.',
      { cause: error },
    );
  }
}

interface Probe {
  dataDir: string;
  dbPath: string;
  clock: () => Date;
  fullCheck: boolean;
  key: string | null;
}

/**
 * Looks at an existing file read-only before anything writes to it: a file from a
 * newer build must stay byte-for-byte untouched, a damaged one is moved aside, and an
 * encrypted one that this key does not open is left alone (a lost or wrong key is not damage).
 * Says what it found: no database yet, a plaintext one, or an encrypted one.
 */
function probeExisting({ dataDir, dbPath, clock, fullCheck, key }: Probe): 'none' | 'plain' | 'encrypted' {
  let size: number;
  try {
    size = fs.statSync(dbPath).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw permissionError(dbPath, error);
  }
  if (size === 0) return 'none'; // an empty file is a valid empty database

  let header: Buffer;
  try {
    header = readHeader(dbPath);
  } catch (error) {
    throw permissionError(dbPath, error);
  }
  // an encrypted file has no readable header: only the key (and the key file's check) can tell
  const plain = header.equals(SQLITE_HEADER);
  if (!plain && !key) {
    if (readKeyCheck(dataDir, dbPath) !== null) {
      throw keyUnavailable(
        dbPath,
        'this start has no key for it (browser mode, or a computer without a key store, cannot open it)',
      );
    }
    throw corruptError(dbPath, 'it is not a SQLite database', clock);
  }

  let verdict: { kind: 'ok' } | { kind: 'newer'; version: number } | { kind: 'corrupt'; detail: string };
  let probe: Database.Database | undefined;
  try {
    probe = new Database(dbPath, { readonly: true, fileMustExist: true });
    if (!plain) applyKey(probe, key!);
    const version = unlocked(probe, { dataDir, dbPath, clock, key: plain ? null : key });
    if (version > LATEST_VERSION) {
      verdict = { kind: 'newer', version };
    } else if (!fullCheck) {
      verdict = { kind: 'ok' };
    } else {
      const rows = probe.pragma('quick_check') as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      verdict = problems.length
        ? { kind: 'corrupt', detail: `integrity check failed: ${problems[0]}` }
        : { kind: 'ok' };
    }
  } catch (error) {
    probe?.close();
    throw classifyOpenError(error, dbPath, clock);
  }
  probe.close();

  if (verdict.kind === 'newer') {
    throw new StoreOpenError(
      'newer-version',
      dbPath,
      `The database at ${dbPath} was written by a newer version of RLHF Reviewer Workstation ` +
        `(schema ${verdict.version}; this version understands up to ${LATEST_VERSION}). ` +
        'Update the app to open it. The file was not changed.',
    );
  }
  if (verdict.kind === 'corrupt') throw corruptError(dbPath, verdict.detail, clock);
  return plain ? 'plain' : 'encrypted';
}

/**
 * The schema version: the first read, which for an encrypted file authenticates page 1 with the
 * key. If it fails, the key file decides: its check matches this key, so the key is the data
 * folder's own and the file is damaged (moved aside by the caller); otherwise the key is not this
 * file's (a key file from another profile, a test's wrong key) and nothing is touched.
 */
function unlocked(db: Database.Database, probe: Omit<Probe, 'fullCheck'>): number {
  try {
    return schemaVersion(db);
  } catch (error) {
    if (!probe.key || !isNotADatabase(error)) throw error;
    if (readKeyCheck(probe.dataDir, probe.dbPath) === keyCheck(probe.key)) {
      throw corruptError(
        probe.dbPath,
        "it cannot be decrypted with this data folder's key: its first page is damaged, or it was encrypted under a key that was lost",
        probe.clock,
      );
    }
    throw new StoreOpenError(
      'wrong-key',
      probe.dbPath,
      `The database at ${probe.dbPath} is encrypted, and the key this start has does not open it ` +
        '(the key belongs to another data folder or computer account, or the start of the file is damaged). ' +
        'Nothing was changed and nothing is lost. Start the workstation from the computer account that used it ' +
        'before, or ask IT; if a lead confirms the file is damaged, move it aside and start again.',
    );
  }
}

function readHeader(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(SQLITE_HEADER.length);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

function classifyOpenError(error: unknown, dbPath: string, clock: () => Date): Error {
  if (error instanceof StoreOpenError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const detail = error instanceof Error ? error.message : String(error);
  if (isCorruption(error)) return corruptError(dbPath, detail, clock);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreOpenError(
      'locked',
      dbPath,
      `The database at ${dbPath} is locked by another program (${detail}). ` +
        'Close other copies of the workstation and try again.',
    );
  }
  if (
    ['EACCES', 'EPERM', 'EROFS'].includes(code) ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_PERM') ||
    code.startsWith('SQLITE_READONLY')
  ) {
    return permissionError(dbPath, error);
  }
  return error instanceof Error ? error : new Error(detail);
}

function permissionError(dbPath: string, error: unknown): StoreOpenError {
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreOpenError(
    'permission',
    dbPath,
    `The database at ${dbPath} cannot be opened for reading and writing (${detail}). ` +
      'Check that the folder exists, belongs to your user account and is not read-only.',
  );
}

/** Moves the damaged file (and its -wal/-shm) aside, never deleting anything, and says where it went. */
function corruptError(dbPath: string, detail: string, clock: () => Date): StoreOpenError {
  // ISO 8601 with ':' replaced, because Windows file names cannot contain ':'
  const keptAt = `${dbPath}.corrupt-${clock().toISOString().replace(/:/g, '-')}`;
  let moved: string | null = null;
  try {
    fs.renameSync(dbPath, keptAt);
    moved = keptAt;
    for (const suffix of SIDE_FILES) {
      if (fs.existsSync(dbPath + suffix)) fs.renameSync(dbPath + suffix, keptAt + suffix);
    }
  } catch {
    // reported below: the file stays where it was
  }
  const where = moved
    ? `It was moved aside to ${moved} so that nothing is lost; the next start creates a new, empty database.`
    : `It could not be moved aside and was left at ${dbPath}.`;
  return new StoreOpenError(
    'corrupt',
    dbPath,
    `The database at ${dbPath} is damaged and could not be opened (${detail}). ${where} ` +
      'Do not delete that file: a lead can recover the submitted work from it.',
    moved,
  );
}
