import type { TaskBundle } from '../../../shared/queue';
import { api } from '../api';
import { warmMarkdown } from '../markdown/Markdown';
import { fetchGuideline, holdsGuideline } from './guidelineDocs';

/**
 * While the reviewer works on a task, the task after it is fetched (`task.peekNext`, read only) and
 * its Markdown parsed in idle time, one text per idle slice, so the submit's reply finds every
 * parsed tree in the cache and the next task's first frame is not spent parsing (issue 12). A newer
 * task on screen cancels the preparation of the older one. Training, ruling and QA screens have no
 * "next" in the production queue and prepare nothing.
 */
let generation = 0;

/** the slice a preparation step may take before giving the frame back */
const IDLE_TIMEOUT_MS = 500;

function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof window.requestIdleCallback === 'function')
      window.requestIdleCallback(() => resolve(), { timeout: IDLE_TIMEOUT_MS });
    else window.setTimeout(resolve, 50);
  });
}

/** the texts a task screen renders as Markdown */
export function markdownTexts(bundle: TaskBundle): string[] {
  const { prompt, responses, instructions } = bundle.task;
  const promptTexts = typeof prompt === 'string' ? [prompt] : prompt.map((m) => m.content);
  return [...promptTexts, ...(instructions ? [instructions] : []), ...responses.map((r) => r.text)];
}

export function prepareNext(shown: TaskBundle | null): void {
  const mine = ++generation;
  if (shown?.guideline) void readGuideline(mine, shown.guideline);
  if (!shown || shown.training || shown.ruling || shown.qa) return;
  void prepare(mine, { after: shown.task.id });
}

/** The task's guideline version, read once in idle time: the guidelines panel opens on it at once. */
async function readGuideline(mine: number, { id, version }: { id: string; version: string }): Promise<void> {
  if (holdsGuideline(id, version)) return;
  await whenIdle();
  if (mine !== generation || holdsGuideline(id, version)) return;
  await fetchGuideline(id).catch(() => undefined); // the panel asks again when it opens
}

/** The queue screen shows: prepare the task Start (or Enter) will open. */
export function prepareFirst(): void {
  void prepare(++generation, {});
}

async function prepare(mine: number, input: { after?: string }): Promise<void> {
  await whenIdle();
  if (mine !== generation) return;
  let next: TaskBundle | null;
  try {
    next = await api.task.peekNext(input);
  } catch {
    return; // only a head start: the task arrives with its own call anyway
  }
  if (!next) return;
  for (const text of markdownTexts(next)) {
    await whenIdle();
    if (mine !== generation) return;
    warmMarkdown(text);
  }
}
