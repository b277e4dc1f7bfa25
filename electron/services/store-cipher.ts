import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseKeyHex, fsyncDir } from './database-key';

/**
 * Encryption of the local database file (SQLite3 Multiple Ciphers, in its SQLCipher 4 format:
 * AES-256-CBC per page with an HMAC-SHA512 that authenticates it; the standard `sqlcipher` tool
 * opens the file with `PRAGMA key = "x'…'"`). The key is a raw random 256-bit key, so no
 * passphrase derivation runs at open (SQLCipher's PBKDF2 would add ~0.8 s to every start here).
 */

/** the encrypted copy of a plaintext database while it is being written; never opened as the database */
export const ENCRYPTING_SUFFIX = '.encrypting';

/** Unlocks `db` with the key; must run before anything reads the file. */
export function applyKey(db: Database.Database, keyHex: string): void {
  // the key is interpolated into a PRAGMA: only 64 hex digits ever get there
  const key = DatabaseKeyHex.parse(keyHex);
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key}'"`);
}

/** SQLite's answer when page 1 does not decrypt: a wrong key, or a damaged first page */
export function isNotADatabase(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '') === 'SQLITE_NOTADB';
}

/** Removes what an encryption interrupted by a crash left behind (the plaintext file was not touched). */
export function removeEncryptionLeftovers(dbPath: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm'])
    fs.rmSync(dbPath + ENCRYPTING_SUFFIX + suffix, { force: true });
}

/**
 * Turns the plaintext database at `dbPath` into an encrypted one without a moment where a crash
 * loses anything: everything is checkpointed into the main file, which is copied; the copy is
 * encrypted (`PRAGMA rekey`, which needs a rollback journal, not WAL), compared with the original
 * table by table, fsynced and renamed over it. Until that rename the original is as it was; after
 * it, the encrypted file is complete. The old file's bytes are then overwritten (best effort: an
 * SSD may keep copies of the blocks; docs/security.md).
 */
export function encryptPlaintextFile(dbPath: string, keyHex: string): void {
  const temp = dbPath + ENCRYPTING_SUFFIX;
  removeEncryptionLeftovers(dbPath);

  const plain = new Database(dbPath, { fileMustExist: true });
  let before: Record<string, number>;
  try {
    // in WAL mode the latest pages may still be in the -wal: move them into the file being copied
    const [checkpoint] = plain.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (checkpoint && checkpoint.busy !== 0) throw busyError('another program is reading it');
    before = rowCounts(plain);
  } finally {
    plain.close();
  }
  // closing the last connection removes the -wal; one still there belongs to another connection
  if (fs.existsSync(`${dbPath}-wal`) && fs.statSync(`${dbPath}-wal`).size > 0)
    throw busyError('another program has it open');

  fs.copyFileSync(dbPath, temp, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(temp, 0o600);
  const copy = new Database(temp, { fileMustExist: true });
  try {
    const mode = copy.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new Error(`the copy stayed in journal mode ${String(mode)}`);
    copy.pragma(`cipher = 'sqlcipher'`);
    copy.pragma('legacy = 4');
    copy.pragma(`rekey = "x'${DatabaseKeyHex.parse(keyHex)}'"`);
    copy.pragma('journal_mode = WAL');
    const after = rowCounts(copy);
    for (const [table, n] of Object.entries(before)) {
      if (after[table] !== n)
        throw new Error(`table ${table} has ${after[table]} rows after encryption, not ${n}`);
    }
  } finally {
    copy.close();
  }
  fsyncFile(temp);

  // POSIX: the old inode stays open here after the rename, so its bytes can be overwritten.
  // Windows cannot rename over an open file: there the old file is only replaced.
  const oldFd = process.platform === 'win32' ? null : fs.openSync(dbPath, 'r+');
  try {
    fs.renameSync(temp, dbPath);
    fsyncDir(path.dirname(dbPath));
    if (oldFd !== null) overwrite(oldFd);
  } finally {
    if (oldFd !== null) fs.closeSync(oldFd);
  }
}

function rowCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = {
    user_version: db.pragma('user_version', { simple: true }) as number,
  };
  for (const table of tables)
    counts[table] = db
      .prepare(`SELECT count(*) FROM "${table.replace(/"/g, '""')}"`)
      .pluck()
      .get() as number;
  return counts;
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** zeros over the unlinked plaintext file; failures are ignored (the encrypted file is already in place) */
function overwrite(fd: number): void {
  try {
    const size = fs.fstatSync(fd).size;
    const zeros = Buffer.alloc(1 << 20);
    for (let at = 0; at < size; at += zeros.length)
      fs.writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    fs.fsyncSync(fd);
  } catch {
    // best effort
  }
}

function busyError(why: string): Error {
  return Object.assign(new Error(`the database could not be encrypted now: ${why}`), { code: 'SQLITE_BUSY' });
}
