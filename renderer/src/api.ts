import { type Api, type ApiErrorBody, type Channel, ApiError, buildApi } from '../../shared/contract';

declare global {
  interface Window {
    /** set by the Electron preload; absent in browser mode */
    workstation?: Api;
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

const KNOWN_CODES: ReadonlySet<ApiErrorBody['code']> = new Set([
  'invalid-input',
  'not-found',
  'conflict',
  'forbidden',
  'internal',
  'unavailable',
]);

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
  if (window.workstation) return buildApi(electronInvoke(window.workstation));
  return buildApi(httpInvoke(readToken()));
}

/** The one object the UI talks to: the Electron bridge when present, else HTTP to browser mode. */
export const api: Api = createApi();
