import { describe, expect, it } from 'vitest';
import { netFetchHttpPort, safeStorageSecretPort } from '../../../../electron/main/ports';
import { createHttp, postJson } from '../../../../electron/services/sync/http';
import { HealthResponse } from '../../../../shared/sync';
import { z } from 'zod';

describe('HttpPort', () => {
  it("with a fetch (Electron's net.fetch) axios sends every request through it", async () => {
    const seen: { url: string; method: string; auth: string | null; body: string }[] = [];
    const netFetch = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push({
        url: request.url,
        method: request.method,
        auth: request.headers.get('authorization'),
        body: await request.text(),
      });
      return new Response(JSON.stringify({ status: 'ok', db: 'sqlite', version: '1', epoch: 'e' }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    };
    const port = netFetchHttpPort({ fetch: netFetch as never });
    const http = createHttp('https://rlhf.example.com/', port);
    const body = await postJson(http, '/v1/health', { a: 1 }, HealthResponse, 'tok');
    expect(body.db).toBe('sqlite');
    expect(seen).toEqual([
      { url: 'https://rlhf.example.com/v1/health', method: 'POST', auth: 'Bearer tok', body: '{"a":1}' },
    ]);
  });

  it('a network failure through the port is a transient failure in plain words', async () => {
    const port = netFetchHttpPort({
      fetch: (() => Promise.reject(new TypeError('net::ERR_PROXY_CONNECTION_FAILED'))) as never,
    });
    const http = createHttp('https://rlhf.example.com', port);
    await expect(postJson(http, '/v1/sync/pull', {}, z.unknown(), null)).rejects.toMatchObject({
      failure: { kind: 'transient', status: null },
      message: expect.stringMatching(/Cannot reach the server at https:\/\/rlhf\.example\.com/),
    });
  });
});

describe('SecretPort over safeStorage', () => {
  const fake = (backend: 'basic_text' | 'gnome_libsecret' = 'gnome_libsecret', shouldReEncrypt = false) => ({
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (text: string) => Buffer.from([...text].reverse().join('')),
    decryptStringAsync: async (data: Buffer) => ({
      result: [...data.toString()].reverse().join(''),
      shouldReEncrypt,
    }),
    getSelectedStorageBackend: () => backend,
  });

  it('encrypts through the asynchronous API and reports a rotated key', async () => {
    const port = safeStorageSecretPort(fake(), 'linux');
    expect(port.kind).toBe('os');
    expect(await port.isAvailable()).toBe(true);
    const cipher = await port.encrypt('token-123');
    expect(cipher.toString()).not.toContain('token-123');
    expect(await port.decrypt(cipher)).toEqual({ text: 'token-123', stale: false });
    expect(await safeStorageSecretPort(fake('gnome_libsecret', true), 'linux').decrypt(cipher)).toEqual({
      text: 'token-123',
      stale: true,
    });
  });

  it("counts Linux's basic_text store (a key built into Chromium) and an OS without encryption as none", async () => {
    expect(await safeStorageSecretPort(fake('basic_text'), 'linux').isAvailable()).toBe(false);
    // the backend only means something on Linux
    expect(await safeStorageSecretPort(fake('basic_text'), 'win32').isAvailable()).toBe(true);
    const none = { ...fake(), isAsyncEncryptionAvailable: async () => false };
    expect(await safeStorageSecretPort(none, 'darwin').isAvailable()).toBe(false);
  });
});
