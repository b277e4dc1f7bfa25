import type { Worker } from 'node:worker_threads';
import type { ImportResult } from '../../../shared/queue';
import type { DispatchResult } from '../dispatch';
import { ConfigError, StoreOpenError, type StoreOpenErrorKind } from '../errors';
import { fileSecretPort } from '../auth/secret';
import type { ServicesOptions } from '../index';
import { serveFetch } from './host-ports';
import { type WorkerLaunch, startWorker } from './launch';
import type { FromWorker, SentError, SentRequest, ToWorker, WorkerOptions } from './protocol';

/**
 * The services as a host thread sees them when they run in the services worker (entry.ts): the
 * same dispatch, and nothing on this thread but relaying (issue 12 §3: a 100,000-task import, a
 * sync or the start-up integrity check never keeps this thread from answering the screen).
 */
export interface ServicesClient {
  dispatch(channel: string, input: unknown): Promise<DispatchResult>;
  /** tasks.import from its raw JSON body, read and validated on an import reader thread, never on this one */
  importJson(body: Uint8Array): Promise<DispatchResult>;
  /** rejects when the file cannot be read, or the import stopped (the error says why) */
  importFile(filePath: string): Promise<ImportResult>;
  readonly checkedAtStart: boolean;
  readonly undoneImport: { fileName: string; removed: number } | null;
  /** closes the database cleanly, then ends the worker */
  close(): Promise<void>;
}

type Ready = FromWorker & { type: 'ready' };
type Running = { worker: Worker; ready: Promise<Ready> };
type Outgoing = ToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

const stoppedReply = (reason: string): FromWorker & { type: 'reply' } => ({
  type: 'reply',
  id: 0,
  result: {
    ok: false,
    status: 503,
    error: { code: 'unavailable', message: `The workstation services stopped (${reason}); try again.` },
  },
});

/**
 * Starts the services worker and resolves once the database is open, or rejects with the
 * StoreOpenError / ConfigError that hosts word for people. A worker that dies after it started (a
 * crash, out of memory) fails the calls in flight with 503 and is started once more: that start
 * undoes the import it was writing (import.ts), so nothing is left half-written.
 */
export async function startServicesWorker(
  options: ServicesOptions,
  launch: WorkerLaunch,
): Promise<ServicesClient> {
  const workerOptions = toWorkerOptions(options);
  const pending = new Map<number, (message: FromWorker) => void>();
  let nextId = 1;
  let closing = false;

  const start = (): Running => {
    const worker = startWorker(launch, { workerData: { role: 'services', options: workerOptions, launch } });
    let started = false;
    const ready = new Promise<Ready>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          started = true;
          resolve(message);
        } else if (message.type === 'startFailed') reject(receiveError(message.error));
        else if (message.type === 'port') void servePort(worker, message);
        else if (message.type !== 'closed') {
          const resolveCall = pending.get(message.id);
          pending.delete(message.id);
          resolveCall?.(message);
        }
      });
      worker.once('exit', (code) => {
        reject(new Error(`the services worker stopped (exit code ${code})`));
        if (closing || running.worker !== worker) return;
        for (const resolveCall of pending.values()) resolveCall(stoppedReply(`exit code ${code}`));
        pending.clear();
        if (!started) return;
        console.error(`[services] the services worker stopped (exit code ${code}); starting it again`);
        running = start();
        running.ready.catch((error: unknown) => console.error('[services] could not start again:', error));
      });
    });
    worker.on('error', (error) => console.error('[services worker]', error));
    return { worker, ready };
  };

  async function servePort(worker: Worker, message: FromWorker & { type: 'port' }) {
    let reply: ToWorker;
    try {
      let value: unknown;
      if (message.port === 'http') {
        if (!options.http?.fetch) throw new Error('this host has no fetch port');
        value = await serveFetch(options.http.fetch, message.args[0] as SentRequest);
      } else {
        const secret = options.secret;
        if (!secret) throw new Error('this host has no key store');
        if (message.method === 'isAvailable') value = await secret.isAvailable();
        else if (message.method === 'encrypt')
          value = new Uint8Array(await secret.encrypt(String(message.args[0])));
        else value = await secret.decrypt(Buffer.from(message.args[0] as Uint8Array));
      }
      reply = { type: 'portReply', id: message.id, ok: true, value };
    } catch (error) {
      reply = { type: 'portReply', id: message.id, ok: false, error: sendErrorText(error) };
    }
    worker.postMessage(reply);
  }

  async function send(message: Outgoing, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    const current = running;
    try {
      await current.ready;
    } catch {
      return stoppedReply('they could not start again');
    }
    const id = nextId++;
    return new Promise<FromWorker>((resolve) => {
      pending.set(id, resolve);
      current.worker.postMessage({ ...message, id }, transfer);
    });
  }

  const replyOf = (message: FromWorker): DispatchResult =>
    message.type === 'reply' ? message.result : stoppedReply('an unexpected reply').result;

  let running: Running = start();
  let info: Ready;
  try {
    info = await running.ready;
  } catch (error) {
    closing = true;
    await running.worker.terminate();
    throw error;
  }

  return {
    checkedAtStart: info.checkedAtStart,
    undoneImport: info.undoneImport,
    dispatch: async (channel, input) => replyOf(await send({ type: 'call', channel, input })),
    importJson: async (body) => {
      // the bytes move to the worker, not copied: a buffer shared with others is copied first
      const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : body.slice();
      return replyOf(await send({ type: 'importJson', body: owned }, [owned.buffer as ArrayBuffer]));
    },
    importFile: async (filePath) => {
      const message = await send({ type: 'importFile', path: filePath });
      if (message.type === 'imported') {
        if (message.ok) return message.result;
        throw receiveError(message.error);
      }
      const reply = replyOf(message);
      throw new Error(reply.ok ? 'the import sent no report' : reply.error.message);
    },
    close: async () => {
      if (closing) return;
      closing = true;
      const { worker } = running;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const closed = new Promise<void>((resolve) =>
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'closed') resolve();
        }),
      );
      worker.postMessage({ type: 'close' } satisfies ToWorker);
      await Promise.race([closed, exited]);
      await worker.terminate();
    },
  };
}

/** The options' data as is; the ports by name (fileSecretPort) or served from this thread. */
function toWorkerOptions(options: ServicesOptions): WorkerOptions {
  const { clock, secret, http, sync, ...data } = options;
  if (clock || sync?.timers || sync?.random)
    throw new Error('clock and sync timers cannot cross into the services worker');
  return {
    ...data,
    ...(sync
      ? { sync: { intervalMs: sync.intervalMs, pushBatch: sync.pushBatch, pullLimit: sync.pullLimit } }
      : {}),
    secret: !secret ? null : secret === fileSecretPort ? 'file' : 'host',
    http: http?.fetch ? 'host' : 'node',
  };
}

function sendErrorText(error: unknown): SentError {
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

/** The worker's error as the class hosts check for (describeStartupError, the import report). */
function receiveError(sent: SentError): Error {
  if (sent.name === 'StoreOpenError' && sent.kind && sent.dbPath)
    return new StoreOpenError(
      sent.kind as StoreOpenErrorKind,
      sent.dbPath,
      sent.message,
      sent.keptAt ?? null,
    );
  if (sent.name === 'ConfigError' && sent.file) return new ConfigError(sent.file, sent.issues ?? []);
  const error = new Error(sent.message) as Error & { code?: string };
  error.name = sent.name;
  if (sent.code) error.code = sent.code;
  return error;
}
