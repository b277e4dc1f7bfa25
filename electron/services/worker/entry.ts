// The services worker (dist/worker/services-worker.mjs): the whole services layer on a thread of its
// own, so the host's thread (Electron's main process, browser mode's HTTP server) only relays.
// One file, two roles (workerData.role): 'services', and 'import-reader', a short-lived thread that
// reads and validates one large task import (import-reader.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { KnownRefs } from '../../../shared/import/parse';
import { type Services, fileSecretPort, openServices } from '../index';
import { type DispatchResult, failedCall } from '../dispatch';
import type { ImportResult } from '../../../shared/queue';
import fs from 'node:fs';
import { hostHttpPort, hostSecretPort } from './host-ports';
import { type ReaderSource, runImportReader } from './import-reader';
import { type OffThreadImport, importOffThread } from './import-off-thread';
import type { WorkerLaunch } from './launch';
import { type FromWorker, type SentError, type ToWorker, type WorkerOptions, sendError } from './protocol';
import { notJson } from './import-reader';

/** from this size on, an import is read and validated on a thread of its own */
const READER_FROM_BYTES = 1 << 20;

const port = parentPort;
if (!port) throw new Error('the services worker must run in a worker thread');
const data = workerData as
  | { role: 'services'; options: WorkerOptions; launch: WorkerLaunch }
  | { role: 'import-reader'; source: ReaderSource; refs: KnownRefs; fileName: string };

if (data.role === 'import-reader') void runImportReader(port, data.source, data.refs, data.fileName);
else runServices(port, data.options, data.launch);

/** `self`: how this worker was started, to start its import readers the same way */
function runServices(port: MessagePort, options: WorkerOptions, self: WorkerLaunch) {
  const post = (message: FromWorker) => port.postMessage(message);
  const portCalls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextPortCall = 1;
  const callHost = (which: 'secret' | 'http', method: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextPortCall++;
      portCalls.set(id, { resolve, reject });
      post({ type: 'port', id, port: which, method, args });
    });

  let services: Services;
  try {
    services = openServices({
      ...options,
      secret:
        options.secret === 'file'
          ? fileSecretPort
          : options.secret === 'host'
            ? hostSecretPort(callHost)
            : null,
      http: options.http === 'host' ? hostHttpPort(callHost) : {},
    });
  } catch (error) {
    post({ type: 'startFailed', error: sendError(error) });
    return;
  }
  const log = (message: string, error: unknown) => console.error(message, error);
  const importing = (source: ReaderSource, fileName: string) =>
    importOffThread(self, services, source, fileName).catch((error: unknown): OffThreadImport => ({
      kind: 'failed',
      result: failedCall('tasks.import', error, log),
    }));
  /** a large body is read and validated on a reader thread; a small one costs less than starting one */
  const importJson = async (body: Uint8Array): Promise<DispatchResult> => {
    if (body.length < READER_FROM_BYTES) {
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(new TextDecoder().decode(body));
      } catch (error) {
        return notJson(error);
      }
      return services.dispatch('tasks.import', input);
    }
    const outcome = await importing({ kind: 'body', body }, 'tasks.jsonl');
    if (outcome.kind === 'done') return { ok: true, result: outcome.result };
    if (outcome.kind === 'unreadable')
      return failedCall('tasks.import', new Error(outcome.error.message), log);
    return outcome.result;
  };
  const importFile = async (path: string): Promise<ImportResult> => {
    if (fs.statSync(path).size < READER_FROM_BYTES) return services.importFile(path);
    const outcome = await importing({ kind: 'file', path }, basename(path));
    if (outcome.kind === 'done') return outcome.result;
    if (outcome.kind === 'unreadable') throw receivedError(outcome.error);
    throw new Error(outcome.result.error.message);
  };

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'call':
        void services
          .dispatch(message.channel, message.input)
          .then((result) => post({ type: 'reply', id: message.id, result }));
        return;
      case 'importJson':
        void importJson(message.body).then((result) => post({ type: 'reply', id: message.id, result }));
        return;
      case 'importFile':
        void importFile(message.path).then(
          (result) => post({ type: 'imported', id: message.id, ok: true, result }),
          (error: unknown) => post({ type: 'imported', id: message.id, ok: false, error: sendError(error) }),
        );
        return;
      case 'portReply': {
        const call = portCalls.get(message.id);
        portCalls.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else call?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
        return;
      }
      case 'close':
        try {
          services.close();
        } finally {
          post({ type: 'closed' });
          port.close();
        }
        return;
    }
  });
  post({ type: 'ready', checkedAtStart: services.checkedAtStart, undoneImport: services.undoneImport });
}

const basename = (file: string) => file.split(/[\\/]/).pop() ?? file;

/** an error the reader sent, with its code (ENOENT: the report says the file cannot be read) */
const receivedError = (sent: SentError) => Object.assign(new Error(sent.message), { code: sent.code });
