import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { z } from 'zod';
import {
  CERTIFICATION_REQUIRED,
  type HistoryPoint,
  ServerError,
  WIPE_CODE,
  type WipeOrder,
} from '../../../shared/sync';

/**
 * How sync requests reach the network. Electron's main process passes `net.fetch`, so axios's
 * fetch adapter sends them through Chromium's stack (system proxy, PAC, OS certificate store).
 * Without it (tests, browser mode) axios uses Node's http adapter.
 */
export interface HttpPort {
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /**
   * A refusal carried a remote wipe order (any request, whoever made it): the services carry it
   * out before the caller sees the refusal, and return the words the reviewer reads (null: an
   * order this install cannot check, ignored). Set by the services, not by hosts.
   */
  onWipe?: (order: WipeOrder, serverUrl: string) => string | null;
}

const TIMEOUT_MS = 30_000;

export function axiosConfigFor(port: HttpPort): AxiosRequestConfig {
  return port.fetch ? { adapter: 'fetch', env: { fetch: port.fetch } } : { adapter: 'http' };
}

export function createHttp(baseURL: string, port: HttpPort): AxiosInstance {
  const http = axios.create({
    ...axiosConfigFor(port),
    baseURL: baseURL.replace(/\/+$/, ''),
    timeout: TIMEOUT_MS,
    headers: { 'Content-Type': 'application/json' },
    // every status is an answer to classify, not an exception
    validateStatus: () => true,
    maxContentLength: 200 * 1024 * 1024,
    maxBodyLength: 50 * 1024 * 1024,
  });
  const { onWipe } = port;
  if (onWipe) {
    http.interceptors.response.use((response) => {
      const body = ServerError.safeParse(response.data);
      const order = body.success && body.data.error.code === WIPE_CODE ? body.data.error.wipe : undefined;
      if (order && body.success) {
        const words = onWipe(order, baseURL.replace(/\/+$/, ''));
        // the caller's refusal then says what happened on this computer, in the reviewer's words;
        // an order that was not carried out is an ordinary refusal of the device
        response.data = words
          ? { error: { ...body.data.error, message: words } }
          : { error: { code: 'device-revoked', message: 'this device has been revoked' } };
      }
      return response;
    });
  }
  return http;
}

/** Why a request did not succeed, sorted by what the client does next. */
export type Failure =
  /** 401/403: the session is no longer valid; ask to sign in, touch nothing, do not retry */
  | { kind: 'auth'; status: number; message: string; code?: string }
  /** network error, timeout, 5xx, 408, 429: retry later with backoff */
  | { kind: 'transient'; status: number | null; message: string }
  /** any other 4xx: the request itself is unacceptable */
  | {
      kind: 'refused';
      status: number;
      code: string;
      message: string;
      issues: { path: string; message: string }[];
      /** push history refusals (409): what the server holds for the device */
      history?: HistoryPoint;
    };

export class RequestFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'RequestFailed';
  }
}

/** POSTs JSON, returns the body parsed with `schema`, or throws RequestFailed. */
export function postJson<S extends z.ZodType>(
  http: AxiosInstance,
  path: string,
  body: unknown,
  schema: S,
  token: string | null,
): Promise<z.infer<S>> {
  return requestJson(http, { method: 'post', path, body }, schema, token);
}

/** GETs JSON (query parameters in `params`), returns the body parsed with `schema`, or throws RequestFailed. */
export function getJson<S extends z.ZodType>(
  http: AxiosInstance,
  path: string,
  params: Record<string, string>,
  schema: S,
  token: string | null,
): Promise<z.infer<S>> {
  return requestJson(http, { method: 'get', path, params }, schema, token);
}

async function requestJson<S extends z.ZodType>(
  http: AxiosInstance,
  request: { method: 'get' | 'post'; path: string; body?: unknown; params?: Record<string, string> },
  schema: S,
  token: string | null,
): Promise<z.infer<S>> {
  const { path } = request;
  let response;
  const send = () =>
    http.request({
      method: request.method,
      url: path,
      data: request.body,
      params: request.params,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  try {
    response = await send().catch((error: unknown) => {
      // a kept-alive connection the server closed (it restarted) fails at once: one fresh try.
      // Every sync request is safe to repeat (pushes are idempotent by mutation id).
      if (staleConnection(error)) return send();
      throw error;
    });
  } catch (error) {
    throw new RequestFailed({ kind: 'transient', status: null, message: networkWords(error, http) });
  }
  const { status, data } = response;
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    // a server speaking another protocol version: retrying will not help, but nothing is lost either
    throw new RequestFailed({
      kind: 'transient',
      status,
      message: `The server's answer to ${path} was not understood (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}). Is the app up to date?`,
    });
  }
  const error = ServerError.safeParse(data);
  const code = error.success ? error.data.error.code : `http-${status}`;
  const serverWords = error.success ? error.data.error.message : '';
  // a 403 about the work (a certificate the project requires), not about the session: stay signed in
  const refusesWork = status === 403 && code === CERTIFICATION_REQUIRED;
  if ((status === 401 || status === 403) && !refusesWork) {
    throw new RequestFailed({
      kind: 'auth',
      status,
      code,
      message:
        code === WIPE_CODE
          ? serverWords
          : status === 401
            ? `The server no longer accepts this session${serverWords ? ` (${serverWords})` : ''}. Sign in again to sync.`
            : `The server refused access${serverWords ? ` (${serverWords})` : ''}. Sign in again, or ask your lead.`,
    });
  }
  if (status >= 500 || status === 408 || status === 429) {
    throw new RequestFailed({
      kind: 'transient',
      status,
      message:
        status === 429
          ? 'The server is busy (too many requests); sync will try again shortly.'
          : `The server had a problem (HTTP ${status}${serverWords ? `: ${serverWords}` : ''}); sync will try again.`,
    });
  }
  throw new RequestFailed({
    kind: 'refused',
    status,
    code,
    message: serverWords || `The server refused the request (HTTP ${status}).`,
    issues: error.success ? (error.data.error.issues ?? []) : [],
    ...(error.success && error.data.error.history ? { history: error.data.error.history } : {}),
  });
}

const staleConnection = (error: unknown) => {
  const e = error as { code?: string; message?: string };
  return e.code === 'ECONNRESET' || /socket hang up/i.test(e.message ?? '');
};

function networkWords(error: unknown, http: AxiosInstance): string {
  const where = http.defaults.baseURL ?? 'the server';
  const code = (error as { code?: string }).code;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT')
    return `The server at ${where} did not answer in time.`;
  if (code === 'ENOTFOUND') return `The server name in ${where} could not be found (no network, or a typo?).`;
  return `Cannot reach the server at ${where} (${error instanceof Error ? error.message : String(error)}). Working offline.`;
}
