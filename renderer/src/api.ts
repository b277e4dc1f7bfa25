import {
  type Api,
  type ApiErrorBody,
  type Channel,
  type ShellBridge,
  API_ERROR_CODES,
  ApiError,
  apiOver,
} from '../../shared/contract-client';

declare global {
  interface Window {
    /** set by the Electron preload; absent in browser mode */
    workstation?: Api & { shell?: ShellBridge };
    /** set by the benchmark only: marks each call's request and reply (issue 12's phase breakdown) */
    __rwApiTrace?: (channel: string, phase: 'sent' | 'reply' | 'parsed', at: number) => void;
  }
}

const TOKEN_KEY = 'rw.token';

/** Browser mode: take `#token=` from the URL once, keep it for this tab, and hide it from the address bar. */
export function readToken(): string | null {
  const match = /(?:^#|&)token=([\w-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1]!;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const KNOWN_CODES: ReadonlySet<ApiErrorBody['code']> = new Set(API_ERROR_CODES);

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof message === 'string' && KNOWN_CODES.has(code as ApiErrorBody['code']);
}

/** Any failure, from either transport, becomes an ApiError carrying the body. */
export function toApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  if (typeof cause === 'object' && cause !== null && isErrorBody((cause as { body?: unknown }).body)) {
    return new ApiError((cause as { body: ApiErrorBody }).body);
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ApiError({ code: 'internal', message });
}

/** draft.save may run from beforeunload: keepalive lets it outlive the page (browsers cap it at 64 KiB). */
const KEEPALIVE_LIMIT = 60_000;

function httpInvoke(token: string | null) {
  return async (channel: Channel, input: unknown): Promise<unknown> => {
    const body = JSON.stringify(input ?? {});
    let response: Response;
    try {
      response = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body,
        keepalive: channel === 'draft.save' && body.length < KEEPALIVE_LIMIT,
      });
    } catch {
      throw new ApiError({
        code: 'unavailable',
        message: 'The workstation service is not answering. Your entries stay on screen; try again.',
      });
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      throw new ApiError({ code: 'internal', message: `Unreadable answer (HTTP ${response.status}).` });
    }
    const reply = payload as { ok?: boolean; result?: unknown; error?: unknown };
    if (response.ok && reply.ok === true) return reply.result;
    if (isErrorBody(reply.error)) throw new ApiError(reply.error);
    throw new ApiError({ code: 'internal', message: `Request failed (HTTP ${response.status}).` });
  };
}

type Invoke = (channel: Channel, input: unknown) => Promise<unknown>;

/** Calls that stay on HTTP: a task import (up to 200 MB), a draft saved as the page unloads (keepalive). */
const HTTP_ONLY: ReadonlySet<Channel> = new Set<Channel>(['tasks.import', 'draft.save']);
/** close codes electron/web/socket.ts uses */
const CLOSE_UNAUTHORIZED = 4401;
const SOCKET_READY_TIMEOUT_MS = 3000;

const unavailable = () =>
  new ApiError({
    code: 'unavailable',
    message: 'The workstation service is not answering. Your entries stay on screen; try again.',
  });

/**
 * Browser mode's contract over one WebSocket (a message costs ~2 ms in Chromium where a fetch
 * costs ~10): opened on the first call, the token sent first. A page whose socket cannot open,
 * or is refused, uses HTTP; a socket lost mid-call fails those calls as `unavailable` (as a lost
 * HTTP request does) and the next call opens a new one.
 */
function socketInvoke(token: string | null, http: Invoke): Invoke {
  type Waiting = { channel: string; resolve: (value: unknown) => void; reject: (error: ApiError) => void };
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  let opening: Promise<WebSocket | null> | null = null;
  let refused = false;

  const open = (): Promise<WebSocket | null> => {
    opening ??= new Promise((resolve) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(`ws://${location.host}/api/socket`);
      } catch {
        resolve(null);
        return;
      }
      let ready = false;
      socket.onopen = () => socket.send(JSON.stringify({ token }));
      // a socket that opens but never says ready is given up on: HTTP serves this page
      window.setTimeout(() => {
        if (!ready) socket.close();
      }, SOCKET_READY_TIMEOUT_MS);
      socket.onmessage = (event) => {
        const arrived = performance.now();
        const reply = JSON.parse(String(event.data)) as {
          ready?: boolean;
          id?: number;
          ok?: boolean;
          result?: unknown;
          error?: unknown;
        };
        if (reply.ready) {
          ready = true;
          return resolve(socket);
        }
        const call = waiting.get(reply.id ?? -1);
        if (!call) return;
        waiting.delete(reply.id!);
        window.__rwApiTrace?.(call.channel, 'reply', arrived);
        window.__rwApiTrace?.(call.channel, 'parsed', performance.now());
        if (reply.ok === true) call.resolve(reply.result);
        else call.reject(isErrorBody(reply.error) ? new ApiError(reply.error) : unavailable());
      };
      socket.onclose = (event) => {
        // refused, or never ready (no socket support on the way): HTTP for the rest of this page
        if (event.code === CLOSE_UNAUTHORIZED || !ready) refused = true;
        opening = null;
        resolve(null);
        for (const call of waiting.values()) call.reject(unavailable());
        waiting.clear();
      };
    });
    return opening;
  };

  return async (channel, input) => {
    if (refused || HTTP_ONLY.has(channel)) return http(channel, input);
    const socket = await open();
    if (!socket || socket.readyState !== WebSocket.OPEN) return http(channel, input);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { channel, resolve, reject });
      window.__rwApiTrace?.(channel, 'sent', performance.now());
      socket.send(JSON.stringify({ id, channel, input: input ?? {} }));
    });
  };
}

function electronInvoke(bridge: Api) {
  return async (channel: Channel, input: unknown): Promise<unknown> => {
    const [ns, method] = channel.split('.') as [string, string];
    const fn = (bridge as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[ns]?.[
      method
    ];
    if (!fn) throw new ApiError({ code: 'not-found', message: `The app does not offer ${channel}.` });
    try {
      return await fn(input);
    } catch (cause) {
      throw toApiError(cause);
    }
  };
}

function createApi(): Api {
  if (window.workstation) return apiOver(electronInvoke(window.workstation));
  const token = readToken();
  return apiOver(socketInvoke(token, httpInvoke(token)));
}

/** The one object the UI talks to: the Electron bridge when present, else HTTP to browser mode. */
export const api: Api = createApi();
