/**
 * Runs task mutations one after another, so a draft save sent before a submit can never
 * land after it (HTTP requests may otherwise overtake each other).
 */
let chain: Promise<unknown> = Promise.resolve();

export function serial<T>(job: () => Promise<T>): Promise<T> {
  const run = chain.then(job, job);
  chain = run.catch(() => undefined);
  return run;
}
