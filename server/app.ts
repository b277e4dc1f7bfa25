import compress from '@fastify/compress';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { HealthResponse } from '../shared/sync';
import { SYNC_PATHS } from '../shared/sync';
import { registerAuthGuard } from './auth/guard';
import { DEFAULT_LOGIN_LIMITS, registerAuthRoutes, type LoginRateLimit } from './auth/routes';
import { registerQualityRoutes } from './quality/routes';
import type { AppContext } from './context';
import { getEpoch, type ServerDb } from './db/connect';
import { PlannerStats } from './db/planner-stats';
import { WriteQueue } from './db/write-queue';
import type { PushGroupOptions } from './sync/push-groups';
import { errorBody, HttpError } from './errors';
import { registerAdminRoutes } from './routes/admin';
import { registerGuidelineDraftRoutes } from './routes/guideline-drafts';
import { registerLabelRoutes } from './routes/labels';
import { registerMetricsRoutes } from './routes/metrics';
import { registerLeadRoutes } from './routes/lead';
import { registerSyncRoutes } from './routes/sync';
import { registerWipeRoutes } from './auth/wipe-routes';
import { registerTrainingRoutes } from './routes/training';
import { trustOneProxy } from './listen-policy';
import { LeaseProofs } from './sync/lease-proof';
import { SERVER_VERSION } from './version';

export type BuildServerOptions = {
  db: ServerDb;
  /** pino options, a logger instance, or false (default: silent) */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** request body limit in bytes (default 16 MiB: a 1000-mutation push with long rationales fits) */
  bodyLimit?: number;
  loginRateLimit?: LoginRateLimit;
  /** session lifetime (default 30 days) */
  sessionTtlMs?: number;
  /** injected time source for leases and sessions (tests move it) */
  clock?: () => Date;
  /** passed to Fastify for TLS (`{ https: { cert, key } }`) */
  https?: { cert: Buffer; key: Buffer };
  /** push grouping (tests set sizes and watch groups) */
  pushGroups?: PushGroupOptions;
  /**
   * --trust-proxy: one TLS-terminating proxy in front; request.ip, which the sign-in limits key on,
   * is then read from X-Forwarded-For (listen-policy.ts). Off by default: the header is the client's
   * to forge.
   */
  trustProxy?: boolean;
};

const FASTIFY_CLIENT_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload-too-large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid-json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid-json'],
};

export async function buildServer(opts: BuildServerOptions): Promise<FastifyInstance> {
  const logger = opts.logger ?? false;
  const app = Fastify({
    ...(logger !== false && typeof (logger as FastifyBaseLogger).info === 'function'
      ? { loggerInstance: logger as FastifyBaseLogger }
      : { logger: logger as FastifyServerOptions['logger'] }),
    bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024,
    ...(opts.https ? { https: opts.https } : {}),
    ...(opts.trustProxy ? { trustProxy: trustOneProxy } : {}),
  }) as unknown as FastifyInstance;
  const ctx: AppContext = {
    sdb: opts.db,
    clock: opts.clock ?? (() => new Date()),
    sessionTtlMs: opts.sessionTtlMs ?? 30 * 24 * 3600_000,
    writes: new WriteQueue(opts.db.db, opts.db.dialect),
    stats: new PlannerStats(opts.db.db, opts.db.dialect, { warn: (message) => app.log.warn(message) }),
    log: app.log,
    leaseProofs: new LeaseProofs(),
  };
  app.addHook('onClose', () => ctx.stats.close());

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof HttpError) {
      return reply
        .status(err.status)
        .send(errorBody(err.code, err.message, err.issues, err.history, err.wipe));
    }
    const e = err as { code?: string; statusCode?: number; message: string };
    const known = e.code ? FASTIFY_CLIENT_ERRORS[e.code] : undefined;
    if (known) return reply.status(known[0]).send(errorBody(known[1], e.message));
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
      return reply.status(e.statusCode).send(errorBody('bad-request', e.message));
    request.log.error({ err }, 'request failed');
    return reply.status(500).send(errorBody('internal', 'internal server error'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('not-found', `no route ${request.method} ${request.url}`)),
  );

  // gzip only: brotli's default quality costs far more CPU than it saves on a LAN; small bodies go plain
  await app.register(compress, { global: true, threshold: 4096, encodings: ['gzip', 'deflate'] });
  registerAuthGuard(app, ctx);

  app.get(SYNC_PATHS.health, { config: { roles: 'public' } }, async () => {
    const health: HealthResponse = {
      status: 'ok',
      db: opts.db.dialect,
      version: SERVER_VERSION,
      epoch: await getEpoch(opts.db.db),
    };
    return health;
  });
  registerAuthRoutes(app, ctx, opts.loginRateLimit ?? DEFAULT_LOGIN_LIMITS);
  registerWipeRoutes(app, ctx);
  registerSyncRoutes(app, ctx, opts.pushGroups);
  registerLabelRoutes(app, ctx);
  registerQualityRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerTrainingRoutes(app, ctx);
  registerMetricsRoutes(app, ctx);
  registerLeadRoutes(app, ctx);
  registerGuidelineDraftRoutes(app, ctx);
  return app;
}
