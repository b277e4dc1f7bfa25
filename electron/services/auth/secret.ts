/**
 * Keeps the session token secret at rest, and wraps the local database's key (database-key.ts,
 * which uses only an `os` port: browser mode's `file` port would store the key in the clear).
 * Electron's main process implements it with safeStorage's asynchronous API (Keychain, DPAPI,
 * libsecret/kwallet); services never import Electron.
 */
export interface SecretPort {
  /** 'os': encrypted with an OS key; 'file': stored as is, protected only by the database file's 0600 mode */
  readonly kind: 'os' | 'file';
  /**
   * false when the OS offers no real protection (Linux without a keyring, where Chromium's
   * `basic_text` store uses a key built into the program): the token is then kept in memory only
   */
  isAvailable(): Promise<boolean>;
  encrypt(text: string): Promise<Buffer>;
  /** `stale`: the OS rotated its key; the text should be encrypted again and stored */
  decrypt(data: Buffer): Promise<{ text: string; stale: boolean }>;
}

/**
 * Browser mode has no OS keychain. The token is kept in the session table of the workstation
 * database, a 0600 file in a 0700 folder: readable by this OS user only, but NOT encrypted.
 * Chosen over memory-only so that a restart of the browser-mode host keeps the cached session
 * that offline work relies on; the sign-in form says that the token is not OS-encrypted.
 */
export const fileSecretPort: SecretPort = {
  kind: 'file',
  isAvailable: async () => true,
  encrypt: async (text) => Buffer.from(text, 'utf8'),
  decrypt: async (data) => ({ text: data.toString('utf8'), stale: false }),
};
