// Reading an encrypted workstation database from the outside, for tests: the pages decrypted
// with node:crypto alone (SQLCipher 4's page format with a raw key), and the rows through a keyed
// connection.
import Database from 'better-sqlite3-multiple-ciphers';
import { createDecipheriv } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DB_FILE } from '../../../electron/services/index';
import { applyKey } from '../../../electron/services/store-cipher';

const PAGE = 4096;
/** per page: a 16-byte IV, then a 64-byte HMAC-SHA512 (SQLCipher 4) */
const RESERVED = 80;
const SALT = 16;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

function decryptPage(page: Buffer, key: Buffer, first: boolean): Buffer {
  const iv = page.subarray(PAGE - RESERVED, PAGE - RESERVED + 16);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const body = Buffer.concat([
    decipher.update(page.subarray(first ? SALT : 0, PAGE - RESERVED)),
    decipher.final(),
  ]);
  // page 1 keeps the salt where SQLite's header was: put the header back, as SQLCipher does in memory
  return first ? Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), body]) : body;
}

/**
 * Every page of the database file and every frame of its WAL, decrypted with `keyHex` by the
 * SQLCipher 4 page format, free pages included: what someone holding the key could read.
 */
export function decryptedBytes(dataDir: string, keyHex: string): Buffer {
  const key = Buffer.from(keyHex, 'hex');
  const dbPath = path.join(dataDir, DB_FILE);
  const pages: Buffer[] = [];
  const db = fs.readFileSync(dbPath);
  for (let at = 0; at + PAGE <= db.length; at += PAGE)
    pages.push(decryptPage(db.subarray(at, at + PAGE), key, at === 0));
  if (fs.existsSync(`${dbPath}-wal`)) {
    const wal = fs.readFileSync(`${dbPath}-wal`);
    for (let at = WAL_HEADER; at + FRAME_HEADER + PAGE <= wal.length; at += FRAME_HEADER + PAGE) {
      const pageNo = wal.readUInt32BE(at);
      pages.push(decryptPage(wal.subarray(at + FRAME_HEADER, at + FRAME_HEADER + PAGE), key, pageNo === 1));
    }
  }
  return Buffer.concat(pages);
}

/** the database file and its WAL as they lie on disk */
export function rawBytes(dataDir: string): Buffer {
  const dbPath = path.join(dataDir, DB_FILE);
  return Buffer.concat(
    ['', '-wal'].filter((s) => fs.existsSync(dbPath + s)).map((s) => fs.readFileSync(dbPath + s)),
  );
}

export function countIn(bytes: Buffer, text: string): number {
  let n = 0;
  for (let at = bytes.indexOf(text); at !== -1; at = bytes.indexOf(text, at + 1)) n++;
  return n;
}

/** Every row of every table, in a stable order, through a connection with the key (or none: plaintext). */
export function dumpTables(dataDir: string, keyHex: string | null): Record<string, unknown[]> {
  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    if (keyHex) applyKey(db, keyHex);
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    const dump: Record<string, unknown[]> = { user_version: [db.pragma('user_version', { simple: true })] };
    // sorted here: a VACUUM (which the encryption runs) may store rows in another order
    for (const table of tables)
      dump[table] = db
        .prepare(`SELECT * FROM "${table}"`)
        .all()
        .map((row) => JSON.stringify(row))
        .sort();
    return dump;
  } finally {
    db.close();
  }
}

/**
 * safeStorage's asynchronous API as a keyring that can be locked (Linux before login, a keyring
 * daemon that is not running): while locked, encryption is unavailable and decryption throws.
 */
export function fakeKeyring(backend: 'gnome_libsecret' | 'basic_text' = 'gnome_libsecret') {
  const keyring = {
    locked: false,
    calls: 0,
    isAsyncEncryptionAvailable: async () => !keyring.locked,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (text: string) => {
      keyring.calls += 1;
      if (keyring.locked) throw new Error('Error while encrypting the text provided');
      return Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0xa7));
    },
    decryptStringAsync: async (data: Buffer) => {
      keyring.calls += 1;
      if (keyring.locked) throw new Error('Error while decrypting the ciphertext provided');
      return { result: Buffer.from(data.map((b) => b ^ 0xa7)).toString('utf8'), shouldReEncrypt: false };
    },
  };
  return keyring;
}
