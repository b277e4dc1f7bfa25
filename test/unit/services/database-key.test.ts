import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeStorageSecretPort } from '../../../electron/main/ports';
import {
  DB_FILE,
  KEY_FILE,
  StoreOpenError,
  fileSecretPort,
  resolveDatabaseKey,
} from '../../../electron/services/index';
import { fakeKeyring } from './cipher-helpers';
import { tempDir } from './helpers';

const resolve = (dataDir: string, keyring: ReturnType<typeof fakeKeyring> | null) =>
  resolveDatabaseKey(
    dataDir,
    path.join(dataDir, DB_FILE),
    keyring ? safeStorageSecretPort(keyring, 'linux') : null,
  );

async function expectKeyUnavailable(run: Promise<unknown>): Promise<StoreOpenError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreOpenError);
  expect((error as StoreOpenError).kind).toBe('key-unavailable');
  return error as StoreOpenError;
}

describe('the database key, wrapped by the OS key store (safeStorage)', () => {
  it('is generated once: 256 random bits, stored only wrapped in a 0600 key file, the same key at every start', async () => {
    const dataDir = tempDir();
    const keyring = fakeKeyring();
    const first = await resolve(dataDir, keyring);
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dataDir, KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = fs.readFileSync(file, 'utf8');
    expect(stored).not.toContain(first.key!);
    expect(JSON.parse(stored)).toMatchObject({ format: 1, cipher: 'sqlcipher-4' });
    expect(fs.readdirSync(dataDir)).toEqual([KEY_FILE]); // no temp file left

    const second = await resolve(dataDir, keyring);
    expect(second).toEqual({ key: first.key, created: false });
    expect(fs.readFileSync(file, 'utf8')).toBe(stored);
    // another data folder gets its own key
    expect((await resolve(tempDir(), keyring)).key).not.toBe(first.key);
  });

  it('no OS key store (Linux basic_text, no safeStorage, browser mode): no key, no key file', async () => {
    const dataDir = tempDir();
    const basic = fakeKeyring('basic_text');
    expect(await resolve(dataDir, basic)).toEqual({ key: null, created: false });
    expect(basic.calls).toBe(0);
    expect(await resolve(dataDir, null)).toEqual({ key: null, created: false });
    // browser mode's port stores text as it is: it never wraps a key
    expect(await resolveDatabaseKey(dataDir, path.join(dataDir, DB_FILE), fileSecretPort)).toEqual({
      key: null,
      created: false,
    });
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('a key store that cannot give the key back (locked, gone, another key) stops the start and changes nothing', async () => {
    const dataDir = tempDir();
    const keyring = fakeKeyring();
    await resolve(dataDir, keyring);
    const file = path.join(dataDir, KEY_FILE);
    const stored = fs.readFileSync(file);

    keyring.locked = true;
    const locked = await expectKeyUnavailable(resolve(dataDir, keyring));
    expect(locked.message).toMatch(/key store is not available now/);
    expect(locked.message).toMatch(/Nothing was changed and nothing is lost/);
    keyring.locked = false;

    // the keyring went away: basic_text now, or no safeStorage at all
    await expectKeyUnavailable(resolve(dataDir, fakeKeyring('basic_text')));
    await expectKeyUnavailable(resolve(dataDir, null));

    // decryption fails (another OS account's key)
    const failing = fakeKeyring();
    failing.decryptStringAsync = async () => {
      throw new Error('Error while decrypting the ciphertext provided');
    };
    expect((await expectKeyUnavailable(resolve(dataDir, failing))).message).toMatch(
      /could not unwrap the key/,
    );

    // it decrypts, but to another key than the one whose check is stored
    const other = fakeKeyring();
    other.decryptStringAsync = async () => ({ result: 'ab'.repeat(32), shouldReEncrypt: false });
    expect((await expectKeyUnavailable(resolve(dataDir, other))).message).toMatch(/different key/);

    expect(fs.readFileSync(file).equals(stored)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual([KEY_FILE]);
  });

  it('a damaged key file is reported with its name, never replaced by a new key', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, KEY_FILE);
    fs.writeFileSync(file, '{"format":1,"cipher":"sqlcipher-4"}');
    const error = await expectKeyUnavailable(resolve(dataDir, fakeKeyring()));
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not a workstation key file \(wrapped\)/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"format":1,"cipher":"sqlcipher-4"}');
  });
});
