import type { z } from 'zod';
import type { SessionManager } from '../auth/session';
import { ServiceError } from '../errors';
import { type HttpPort, RequestFailed, createHttp, getJson, postJson } from './http';

export type OnlineRequest =
  | { method: 'get'; path: string; params: Record<string, string> }
  | { method: 'post'; path: string; body: unknown };

/**
 * One request a screen waits for (a lead's inbox or ruling, an exam or shadowing set to start, a
 * task's labels): the server decides, so these need the network. The server's refusal comes back in its own words; offline
 * or signed out is 'unavailable' with `offline` in front.
 */
export async function online<T>(
  session: SessionManager,
  httpPort: HttpPort,
  request: OnlineRequest,
  reply: z.ZodType<T>,
  offline: string,
): Promise<T> {
  const active = session.active();
  if (!active) throw new ServiceError('unavailable', `${offline} Sign in first.`);
  const http = createHttp(active.serverUrl, httpPort);
  try {
    const body =
      request.method === 'get'
        ? await getJson(http, request.path, request.params, reply, active.token)
        : await postJson(http, request.path, request.body, reply, active.token);
    session.contact();
    return body;
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    const { failure } = error;
    if (failure.kind === 'transient') throw new ServiceError('unavailable', `${offline} ${failure.message}`);
    if (failure.kind === 'auth') {
      // 401: the session itself was refused (sync would say the same); 403: not this user's to do
      if (failure.status === 401) session.rejected(failure.message);
      throw new ServiceError('forbidden', failure.message);
    }
    if (failure.status === 404) throw new ServiceError('not-found', failure.message);
    if (failure.status === 409) throw new ServiceError('conflict', failure.message);
    throw new ServiceError(
      'invalid-input',
      failure.message,
      failure.issues.length ? failure.issues : undefined,
    );
  }
}

/** the signed-in user's id and pod, or 'unavailable' */
export function signedInUser(session: SessionManager, offline: string) {
  const active = session.active();
  if (!active) throw new ServiceError('unavailable', `${offline} Sign in first.`);
  return active.user;
}
