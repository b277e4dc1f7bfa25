import type { ImportResult } from '../../../shared/queue';
import type { DispatchResult } from '../dispatch';
import type { Services } from '../index';
import type { TaskBatches } from '../import';
import type { FromReader, ReaderSource, ToReader } from './import-reader';
import type { SentError } from './protocol';
import { type WorkerLaunch, startWorker } from './launch';

export type OffThreadImport =
  | { kind: 'refused'; result: DispatchResult & { ok: false } }
  | { kind: 'unreadable'; error: SentError }
  | { kind: 'done'; result: ImportResult }
  /** the writing stopped (import.ts has removed what it wrote) */
  | { kind: 'failed'; result: DispatchResult & { ok: false } };

/**
 * A task import with its reading and validation on an import reader thread (import-reader.ts)
 * and only its writing here, in slices (import.ts writeTasks). Rejects as writeTasks does.
 */
export async function importOffThread(
  self: WorkerLaunch,
  services: Pick<Services, 'importWriter'>,
  source: ReaderSource,
  fileName: string,
): Promise<OffThreadImport> {
  const reader = startWorker(self, {
    workerData: { role: 'import-reader', source, refs: services.importWriter.refs(), fileName },
    transferList: source.kind === 'body' ? [source.body.buffer as ArrayBuffer] : [],
  });
  let failure: Error | null = null;
  const waiting: ((message: FromReader) => void)[] = [];
  const inbox: FromReader[] = [];
  const stop = (error: Error) => {
    failure ??= error;
    for (const resolve of waiting.splice(0)) resolve({ type: 'batch', tasks: null });
  };
  reader.on('message', (message: FromReader) => {
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else inbox.push(message);
  });
  reader.once('error', stop);
  reader.once('exit', (code) => stop(new Error(`the import reader stopped (exit code ${code})`)));
  const receive = () =>
    new Promise<FromReader>((resolve) => {
      const queued = inbox.shift();
      if (queued) resolve(queued);
      else if (failure) resolve({ type: 'batch', tasks: null });
      else waiting.push(resolve);
    });

  try {
    const first = await receive();
    if (first.type === 'refused') return { kind: 'refused', result: first.result };
    if (first.type === 'unreadable') return { kind: 'unreadable', error: first.error };
    if (first.type === 'invalid') return { kind: 'done', result: first.result };
    if (first.type !== 'valid') throw failure ?? new Error('the import reader sent nothing');
    const batches: TaskBatches = {
      count: first.count,
      next: async () => {
        reader.postMessage({ type: 'next' } satisfies ToReader);
        const message = await receive();
        if (failure) throw failure;
        return message.type === 'batch' ? message.tasks : null;
      },
    };
    return { kind: 'done', result: await services.importWriter.write(first.fileName, batches) };
  } finally {
    void reader.terminate();
  }
}
