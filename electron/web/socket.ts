import type { FastifyInstance } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from '@fastify/websocket';
import type { DispatchResult } from '../services/index';
import { hasValidToken } from './security';

/** where the page opens its socket (same origin as the page) */
export const SOCKET_PATH = '/api/socket';
/** A message carries one contract call; big ones (a task import) go over HTTP. */
export const SOCKET_MAX_PAYLOAD = 16 * 1024 * 1024;
/** close codes the page reads: the token was wrong or missing; a message was not a call */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_BAD_MESSAGE = 4400;

type Call = { id: number; channel: string; input?: unknown };

const isCall = (value: unknown): value is Call =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as Call).id) &&
  typeof (value as Call).channel === 'string';

/**
 * The contract over one WebSocket (issue 12: a message costs ~2 ms in Chromium where a fetch costs
 * ~10). The upgrade passes the same Host/Origin guard as every request (the onRequest hook); the
 * first message must be `{"token": …}`, the per-run secret, before any call is read; a wrong one
 * closes the socket. Then each message `{id, channel, input}` is answered with `{id, ok, result}`
 * or `{id, ok: false, status, error}`: the same dispatch, validation and errors as POST /api/<channel>.
 */
export async function registerContractSocket(
  fastify: FastifyInstance,
  services: { dispatch(channel: string, input: unknown): Promise<DispatchResult> },
  token: string,
): Promise<void> {
  await fastify.register(fastifyWebsocket, { options: { maxPayload: SOCKET_MAX_PAYLOAD } });
  fastify.get(SOCKET_PATH, { websocket: true }, (socket: WebSocket) => {
    let authorized = false;
    socket.on('message', (data, isBinary) => {
      let message: unknown;
      try {
        message = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        message = undefined;
      }
      if (!authorized) {
        const offered = (message as { token?: unknown } | undefined)?.token;
        if (typeof offered !== 'string' || !hasValidToken(`Bearer ${offered}`, token)) {
          socket.close(CLOSE_UNAUTHORIZED, 'Missing or wrong access token.');
          return;
        }
        authorized = true;
        socket.send(JSON.stringify({ ready: true }));
        return;
      }
      if (!isCall(message)) {
        socket.close(CLOSE_BAD_MESSAGE, 'A message must be {"id", "channel", "input"}.');
        return;
      }
      const { id, channel, input } = message;
      void services.dispatch(channel, input ?? {}).then((result) => {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(
          JSON.stringify(
            result.ok
              ? { id, ok: true, result: result.result }
              : { id, ok: false, status: result.status, error: result.error },
          ),
        );
      });
    });
  });
}
