import type { GuidelineRef, TaskBundle } from '../../../shared/queue';
import { api } from '../api';
import { warmMarkdown } from '../markdown/Markdown';
import { fetchGuideline, holdsGuideline } from './guidelineDocs';

/**
 * While the reviewer works on a task, the two tasks after it are fetched (`task.peekNext`, read
 * only) and their Markdown parsed in idle time, one text per idle slice, so the submit's reply
 * finds every parsed tree in the cache and the next task's first frame is not spent parsing (issue
 * 12). Two, not one: four 2,000-word answers take longer to parse than a quick judgement takes, so
 * each task is prepared during the two tasks before it. A newer task on screen cancels the
 * preparation for the older one (what it had parsed stays in the cache). Training, ruling and QA
 * screens have no "next" in the production queue and prepare nothing.
 */
let generation = 0;

/** how many tasks ahead of the one on screen are prepared */
const AHEAD = 2;

/** the slice a preparation step may take before giving the frame back */
const IDLE_TIMEOUT_MS = 500;

/** tasks whose texts are all parsed (the Markdown cache keeps about this many tasks' texts) */
const prepared = new Set<string>();
const PREPARED_KEPT = 8;

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
  void prepare(mine, shown.task.id);
}

/** The queue screen shows: prepare the task Start (or Enter) will open. */
export function prepareFirst(): void {
  void prepare(++generation, undefined);
}

/** The task's guideline version, read once in idle time: the guidelines panel opens on it at once. */
async function readGuideline(mine: number, { id, version }: GuidelineRef): Promise<void> {
  if (holdsGuideline(id, version)) return;
  await whenIdle();
  if (mine !== generation || holdsGuideline(id, version)) return;
  await fetchGuideline(id).catch(() => undefined); // the panel asks again when it opens
}

/** Prepares the task(s) after `after` (none: the one task.next opens now), nearest first. */
async function prepare(mine: number, after: string | undefined): Promise<void> {
  const ahead: string[] = [];
  for (let step = 0; step < (after === undefined ? 1 : AHEAD); step++) {
    await whenIdle();
    if (mine !== generation) return;
    let next: TaskBundle | null;
    try {
      next = await api.task.peekNext(after === undefined ? {} : { after, also: ahead });
    } catch {
      return; // only a head start: the task arrives with its own call anyway
    }
    if (!next) return;
    if (!(await parseTexts(mine, next))) return;
    ahead.push(next.task.id);
  }
}

/** Parses a task's texts into the Markdown cache, one per idle slice; false once cancelled. */
async function parseTexts(mine: number, bundle: TaskBundle): Promise<boolean> {
  if (prepared.has(bundle.task.id)) return true;
  for (const text of markdownTexts(bundle)) {
    await whenIdle();
    if (mine !== generation) return false;
    warmMarkdown(text);
  }
  prepared.add(bundle.task.id);
  if (prepared.size > PREPARED_KEPT) prepared.delete(prepared.values().next().value!);
  return true;
}
