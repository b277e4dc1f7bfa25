/**
 * Keeps the session token secret at rest. Electron's main process implements it with
 * safeStorage (Keychain, DPAPI, libsecret); services never import Electron.
 */
export interface SecretPort {
  /** 'os': encrypted with an OS key; 'file': stored as is, protected only by the database file's 0600 mode */
  readonly kind: 'os' | 'file';
  /** false when the OS offers no encryption (e.g. Linux without a keyring): the token is then kept in memory only */
  isAvailable(): boolean;
  encrypt(text: string): Buffer;
  decrypt(data: Buffer): string;
}

/**
 * Browser mode has no OS keychain. The token is kept in the session table of the workstation
 * database, a 0600 file in a 0700 folder: readable by this OS user only, but NOT encrypted.
 * Chosen over memory-only so that a restart of the browser-mode host keeps the cached session
 * that offline work relies on; the sign-in form says that the token is not OS-encrypted.
 */
export const fileSecretPort: SecretPort = {
  kind: 'file',
  isAvailable: () => true,
  encrypt: (text) => Buffer.from(text, 'utf8'),
  decrypt: (data) => data.toString('utf8'),
};
