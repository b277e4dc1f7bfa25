import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../server/app';
import { type ServerDb, openDatabase } from '../../server/db/connect';

/**
 * The real central server on a temp SQLite file. stop() and start() keep the file and the port,
 * so a workstation pointed at it sees the network go and come back.
 */
export class CentralServer {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-server-'));
  readonly file = path.join(this.dir, 'server.db');
  db!: ServerDb;
  private app: FastifyInstance | null = null;
  port = 0;

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Opens the database, lets `seed` fill it, and starts listening. */
  async seed(seed: (db: ServerDb['db']) => Promise<void>) {
    this.db = await openDatabase(this.file);
    await seed(this.db.db);
    await this.listen();
  }

  private async listen() {
    this.app = await buildServer({ db: this.db });
    await this.app.listen({ host: '127.0.0.1', port: this.port });
    this.port = (this.app.server.address() as { port: number }).port;
  }

  async stop() {
    await this.app?.close();
    this.app = null;
    await this.db.close();
  }

  async start() {
    this.db = await openDatabase(this.file);
    await this.listen();
  }

  async remove() {
    if (this.app) await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
