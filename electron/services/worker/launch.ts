import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * How to start the services worker's code: `url` its entry; `tsx` (run from source only) the URL
 * of tsx's ESM API, which the new thread registers before it loads the TypeScript entry (a worker
 * does not inherit the host's --import loader). Plain strings: they cross into the worker as is.
 */
export interface WorkerLaunch {
  url: string;
  tsx?: string;
}

/**
 * Where the services worker's code is, seen from a host's entry file (electron/web/web.ts,
 * electron/main/main.ts): built, dist/<host>/<host>.mjs next to dist/worker/services-worker.mjs;
 * run from source under tsx (tests, `tsx electron/web/web.ts`), the worker's TypeScript entry.
 */
export function servicesWorkerLaunch(hostEntryUrl: string): WorkerLaunch {
  if (!hostEntryUrl.endsWith('.ts'))
    return { url: new URL('../worker/services-worker.mjs', hostEntryUrl).href };
  return {
    url: new URL('../services/worker/entry.ts', hostEntryUrl).href,
    tsx: import.meta.resolve('tsx/esm/api'),
  };
}

export function startWorker(launch: WorkerLaunch, options: WorkerOptions): Worker {
  if (!launch.tsx) return new Worker(new URL(launch.url), options);
  const boot = `import(${JSON.stringify(launch.tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(launch.url)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
