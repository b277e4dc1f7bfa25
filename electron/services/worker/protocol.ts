// The messages between a host thread and the services worker (client.ts <-> entry.ts).
import type { ImportResult } from '../../../shared/queue';
import type { DispatchResult } from '../dispatch';
import type { ServicesOptions } from '../index';

/**
 * ServicesOptions as they cross into the worker: the data of the options unchanged (structured
 * clone), the ports named instead of passed (functions cannot cross a thread): 'file' is
 * fileSecretPort, 'host' a port the host thread serves (Electron's safeStorage and net.fetch
 * exist only in the main process's own thread).
 */
export type WorkerOptions = Omit<ServicesOptions, 'clock' | 'secret' | 'http' | 'sync'> & {
  secret: 'file' | 'host' | null;
  http: 'node' | 'host';
  sync?: Omit<NonNullable<ServicesOptions['sync']>, 'timers' | 'random'>;
};

/** an Error as it crosses a thread: its class by name, its message and the fields hosts read */
export interface SentError {
  name: string;
  message: string;
  code?: string;
  /** StoreOpenError */
  kind?: string;
  dbPath?: string;
  keptAt?: string | null;
  /** ConfigError */
  file?: string;
  issues?: { path: string; message: string }[];
}

export type ToWorker =
  | { type: 'call'; id: number; channel: string; input: unknown }
  /** tasks.import as its raw JSON body: read and validated on an import reader thread */
  | { type: 'importJson'; id: number; body: Uint8Array }
  | { type: 'importFile'; id: number; path: string }
  | { type: 'portReply'; id: number; ok: true; value: unknown }
  | { type: 'portReply'; id: number; ok: false; error: SentError }
  | { type: 'close' };

export type FromWorker =
  | {
      type: 'ready';
      checkedAtStart: boolean;
      undoneImport: { fileName: string; removed: number } | null;
    }
  | { type: 'startFailed'; error: SentError }
  | { type: 'reply'; id: number; result: DispatchResult }
  | { type: 'imported'; id: number; ok: true; result: ImportResult }
  | { type: 'imported'; id: number; ok: false; error: SentError }
  | { type: 'port'; id: number; port: 'secret' | 'http'; method: string; args: unknown[] }
  | { type: 'closed' };

/** What a proxied fetch sends to the host thread and gets back. */
export interface SentRequest {
  url: string;
  method: string;
  headers: [string, string][];
  body: Uint8Array | null;
}
export interface SentResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Uint8Array | null;
}

export function sendError(error: unknown): SentError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = error as Error & Partial<Omit<SentError, 'name' | 'message'>>;
  const sent: SentError = { name: error.name, message: error.message };
  if (typeof fields.code === 'string') sent.code = fields.code;
  if (typeof fields.kind === 'string') sent.kind = fields.kind;
  if (typeof fields.dbPath === 'string') sent.dbPath = fields.dbPath;
  if (fields.keptAt !== undefined) sent.keptAt = fields.keptAt;
  if (typeof fields.file === 'string') sent.file = fields.file;
  if (Array.isArray(fields.issues)) sent.issues = fields.issues;
  return sent;
}
