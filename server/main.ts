import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { buildServer } from './app';
import { DEFAULT_DB_PATH, openDatabase } from './db/connect';
import { SERVER_SQLITE_BUSY_MS } from './db/write-queue';
import { listenRefusal } from './listen-policy';

/**
 * `npm run server -- [--port N] [--host H] [--db FILE_OR_URL] [--tls-cert F --tls-key F] [--trust-proxy]`
 * Prints `Server listening on http(s)://HOST:PORT` once ready (port 0 = any free port). A host off
 * loopback needs TLS or --trust-proxy (listen-policy.ts).
 */
const USAGE =
  'usage: server [--port N] [--host H] [--db FILE_OR_URL] [--tls-cert FILE --tls-key FILE] [--trust-proxy]';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trust-proxy': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: "${values.port}" is not a port`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key']))
    throw new Error('--tls-cert and --tls-key go together');
  const trustProxy = values['trust-proxy'];
  const refusal = listenRefusal({ host: values.host, tls: Boolean(values['tls-cert']), trustProxy });
  if (refusal) throw new Error(refusal);
  const target = values.db ?? process.env.DATABASE_URL ?? DEFAULT_DB_PATH;
  const db = await openDatabase(target, { sqliteBusyTimeoutMs: SERVER_SQLITE_BUSY_MS });
  const https =
    values['tls-cert'] && values['tls-key']
      ? { cert: fs.readFileSync(values['tls-cert']), key: fs.readFileSync(values['tls-key']) }
      : undefined;
  const app = await buildServer({
    db,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    https,
    trustProxy,
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // close() stops accepting connections and waits for in-flight requests before the db goes
    app
      .close()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen({ port, host: values.host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = values.host.includes(':') ? `[${values.host}]` : values.host;
  console.log(
    `Server listening on ${https ? 'https' : 'http'}://${shownHost}:${actualPort} (db: ${db.dialect})` +
      (trustProxy ? ' behind a proxy: client addresses from X-Forwarded-For' : ''),
  );
}

main().catch((err: unknown) => {
  console.error(`server: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
