import type { SecretPort } from '../auth/secret';
import type { HttpPort } from '../sync/http';
import type { SentRequest, SentResponse } from './protocol';

type CallHost = (port: 'secret' | 'http', method: string, args: unknown[]) => Promise<unknown>;

/**
 * The session token's key store, served by the host thread (Electron's safeStorage exists only
 * in the main process's own thread). Buffers cross as Uint8Array.
 */
export function hostSecretPort(callHost: CallHost): SecretPort {
  return {
    kind: 'os',
    isAvailable: async () => (await callHost('secret', 'isAvailable', [])) as boolean,
    encrypt: async (text) => Buffer.from((await callHost('secret', 'encrypt', [text])) as Uint8Array),
    decrypt: async (data) =>
      (await callHost('secret', 'decrypt', [new Uint8Array(data)])) as { text: string; stale: boolean },
  };
}

/**
 * Sync's requests sent by the host thread (Electron: net.fetch, Chromium's network stack with the
 * system proxy and certificates). The body is read whole on both sides: sync pages are bounded.
 */
export function hostHttpPort(callHost: CallHost): HttpPort {
  return {
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body =
        request.method === 'GET' || request.method === 'HEAD'
          ? null
          : new Uint8Array(await request.arrayBuffer());
      const sent: SentRequest = {
        url: request.url,
        method: request.method,
        headers: entries(request.headers),
        body,
      };
      const reply = callHost('http', 'fetch', [sent]) as Promise<SentResponse>;
      const signal = init?.signal ?? request.signal;
      const aborted = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason as Error);
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
      const got = await Promise.race([reply, aborted]);
      const empty = got.status === 204 || got.status === 304 || request.method === 'HEAD';
      return new Response(empty ? null : bytesBody(got.body), {
        status: got.status,
        statusText: got.statusText,
        headers: got.headers,
      });
    },
  };
}

/** The host thread's side: runs a proxied request with the host's real fetch. */
export async function serveFetch(
  fetch: NonNullable<HttpPort['fetch']>,
  sent: SentRequest,
): Promise<SentResponse> {
  const response = await fetch(sent.url, {
    method: sent.method,
    headers: sent.headers,
    body: bytesBody(sent.body),
  });
  const body = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    statusText: response.statusText,
    headers: entries(response.headers),
    body: body.length === 0 ? null : body,
  };
}

function entries(headers: Headers): [string, string][] {
  const list: [string, string][] = [];
  headers.forEach((value, name) => list.push([name, value]));
  return list;
}

const bytesBody = (bytes: Uint8Array | null): ArrayBuffer | null =>
  bytes ? (bytes.slice().buffer as ArrayBuffer) : null;
