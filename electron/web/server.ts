import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { ApiErrorBody } from '../../shared/contract';
import type { DispatchResult } from '../services/index';
import { SECURITY_HEADERS, hasValidToken, isAllowedOrigin, newToken } from './security';
import { registerContractSocket } from './socket';

export const LOOPBACK = '127.0.0.1';
/** tasks.import carries up to 200 MB of JSONL text inside a JSON string. */
export const API_BODY_LIMIT = 210 * 1024 * 1024;

/** What the server calls: the services in this thread (tests) or the services worker's client. */
export interface ContractHost {
  dispatch(channel: string, input: unknown): Promise<DispatchResult>;
  /**
   * tasks.import from its raw JSON body, parsed off this thread (the services worker): without it
   * the body is parsed here, which stops this thread for seconds on a 200 MB file.
   */
  importJson?(body: Uint8Array): Promise<DispatchResult>;
}

/** the channel whose body may be 200 MB, read raw and handed on (never parsed on this thread) */
export const IMPORT_CHANNEL = 'tasks.import';

export interface WebServerOptions {
  services: ContractHost;
  /** the built renderer (dist/renderer) */
  staticDir: string;
  /** 0 = a random free port */
  port?: number;
  /** fixed token for tests; default: 32 random bytes */
  token?: string;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** http://127.0.0.1:PORT/#token=TOKEN */
  readonly url: string;
  readonly fastify: FastifyInstance;
  close(): Promise<void>;
}

const errorBody = (code: ApiErrorBody['code'], message: string) => ({ ok: false, error: { code, message } });

/**
 * Browser mode's HTTP host: the built UI plus the contract, over one WebSocket (socket.ts) and
 * `POST /api/<channel>` (task imports, drafts saved while the page unloads, a page without a socket).
 * Loopback only; every API call needs the per-run bearer token; a foreign Host or Origin
 * (DNS rebinding, another site in the same browser) is refused before anything else.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? newToken();
  const fastify = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 1024 * 1024 });
  let port = 0;
  // JSON only: a form or text/plain body (what a cross-site <form> can send) is refused with 415.
  fastify.removeContentTypeParser(['text/plain']);

  fastify.addHook('onRequest', async (request, reply) => {
    if (!isAllowedOrigin(request.headers.host, request.headers.origin, port)) {
      if (request.headers.upgrade) {
        // a refused WebSocket upgrade: answer and hang up, or the half-open socket outlives close()
        reply.hijack();
        request.raw.socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return reply;
      }
      return reply
        .code(403)
        .send(errorBody('forbidden', 'Requests must come from the workstation page itself.'));
    }
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  fastify.setErrorHandler((error: FastifyError, _request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500)
      return reply.code(500).send(errorBody('internal', 'The workstation hit an internal error.'));
    return reply.code(status).send(errorBody('invalid-input', error.message));
  });
  fastify.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/'))
      return reply.code(404).send(errorBody('not-found', 'No such API route.'));
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });

  await registerContractSocket(fastify, options.services, token);

  const refuseWithoutToken = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!hasValidToken(request.headers.authorization, token)) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send(errorBody('forbidden', 'Missing or wrong access token. Open the URL printed at start.'));
    }
  };
  const send = (reply: FastifyReply, result: DispatchResult) =>
    result.ok
      ? reply.code(200).send({ ok: true, result: result.result })
      : reply.code(result.status).send({ ok: false, error: result.error });

  fastify.post<{ Params: { channel: string } }>(
    '/api/:channel',
    { bodyLimit: API_BODY_LIMIT, preHandler: refuseWithoutToken },
    async (request, reply) =>
      send(reply, await options.services.dispatch(request.params.channel, request.body ?? {})),
  );
  // a task import's body stays bytes here; the token is checked before any of it is read
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: API_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      `/api/${IMPORT_CHANNEL}`,
      { bodyLimit: API_BODY_LIMIT, onRequest: refuseWithoutToken },
      async (request, reply) => {
        const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
        const { services } = options;
        if (services.importJson) return send(reply, await services.importJson(body));
        let input: unknown;
        try {
          input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return reply.code(400).send(errorBody('invalid-input', `The body is not valid JSON (${reason}).`));
        }
        return send(reply, await services.dispatch(IMPORT_CHANNEL, input));
      },
    );
  });

  const staticDir = path.resolve(options.staticDir);
  if (existsSync(path.join(staticDir, 'index.html'))) {
    await fastify.register(fastifyStatic, {
      root: staticDir,
      index: 'index.html',
      dotfiles: 'deny',
      etag: true,
    });
  } else {
    fastify.get('/', (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The workstation UI is not built (no ${staticDir}/index.html). Run: npm run build`),
    );
  }

  await fastify.listen({ host: LOOPBACK, port: options.port ?? 0 });
  const address = fastify.server.address();
  if (address === null || typeof address === 'string')
    throw new Error('The web server did not bind a TCP port.');
  port = address.port;
  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/#token=${token}`,
    fastify,
    close: () => fastify.close(),
  };
}
