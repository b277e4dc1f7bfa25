import type { Net, SafeStorage } from 'electron';
import type { HttpPort, SecretPort } from '../services/index';

export type AsyncSafeStorage = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

/**
 * The session token at rest: safeStorage's asynchronous API (the synchronous calls are
 * deprecated). On Linux the `basic_text` backend (no keyring found) encrypts with a key built
 * into Chromium, so it counts as no protection: services then keep the token in memory only.
 */
export function safeStorageSecretPort(
  safeStorage: AsyncSafeStorage,
  platform: NodeJS.Platform = process.platform,
): SecretPort {
  return {
    kind: 'os',
    isAvailable: async () => {
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return false;
      return safeStorage.isAsyncEncryptionAvailable();
    },
    encrypt: (text) => safeStorage.encryptStringAsync(text),
    decrypt: async (data) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
      return { text: result, stale: shouldReEncrypt };
    },
  };
}

/** Sync requests through Chromium's network stack: system proxy, PAC and OS certificates apply. */
export function netFetchHttpPort(net: Pick<Net, 'fetch'>): HttpPort {
  return { fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init) };
}
