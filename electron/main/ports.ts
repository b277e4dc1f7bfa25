import type { Net, SafeStorage } from 'electron';
import type { HttpPort, SecretPort } from '../services/index';

/** The session token at rest: safeStorage (Keychain, DPAPI, libsecret/kwallet). */
export function safeStorageSecretPort(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>,
): SecretPort {
  return {
    kind: 'os',
    // false on Linux without a keyring: services then keep the token in memory only
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (text) => safeStorage.encryptString(text),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}

/** Sync requests through Chromium's network stack: system proxy, PAC and OS certificates apply. */
export function netFetchHttpPort(net: Pick<Net, 'fetch'>): HttpPort {
  return { fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init) };
}
