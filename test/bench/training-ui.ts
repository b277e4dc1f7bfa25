// Training UI benchmark: real Chromium against browser mode, signed in to the real server.
//   training.feedback.p95Ms  sandbox Ctrl+Enter -> the feedback panel rendered and painted
//                            (keydown to the first frame after the panel is in the DOM)
// The course holds the 80 demo QA tasks (distinct prompts and four ~400-word answers each), with
// keys and explanations of their own: no item repeats another's text, so nothing is served warm.
import { type Browser, chromium, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addUser } from '../../server/db/admin';
import { importCourse } from '../../server/training/admin';
import type { Task } from '../../shared/task';
import type { CourseDoc } from '../../shared/training/docs';
import type { TrainingItem } from '../../shared/training/key';
import { prng } from '../../scripts/prng';
import { CentralServer } from '../e2e/central-server';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { startHost, stopHost } from '../e2e/host';
import { rankAll } from './keyboard';
import { median, p95 } from './stats';

const root = path.resolve(import.meta.dirname, '../..');
const USER = { username: 'bench-trainee', password: 'bench trainee password' };

declare global {
  interface Window {
    __benchSubmitAt?: number;
    __benchCommitAt?: number;
    __benchFrameAt?: number;
    __benchFeedbackAt?: number;
  }
}

/** The demo's QA tasks as keyed course items: a seeded random key order, an explanation per item. */
function benchCourse(): CourseDoc {
  const random = prng(7);
  const tasks = readFileSync(path.join(root, 'resources/demo/qa-feedback.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Task)
    .filter((task) => task.kind === 'ranking');
  const items: TrainingItem[] = tasks.map((task, i) => {
    const order = task.responses.map((r) => r.id).sort(() => random() - 0.5);
    return {
      task: { ...task, id: `bench-${i + 1}` },
      key: {
        kind: 'ranking',
        ranks: Object.fromEntries(order.map((id, rank) => [id, rank + 1])),
        topMustMatch: true,
        minTau: 0.6,
        tags:
          i % 3 === 0
            ? [{ responseId: order[order.length - 1]!, tagId: 'hallucination', expect: 'required' as const }]
            : [],
        explanation: `Item ${i + 1}: the best answer stays with the passage about "${String(task.prompt).slice(0, 80)}"; the worst invents details.`,
        responseNotes: {
          [order[order.length - 1]!]:
            `Check the claims of this answer to question ${i + 1} against the passage.`,
        },
      },
    };
  });
  return {
    kind: 'course',
    id: 'bench-course',
    title: 'Benchmark course',
    version: '1',
    description: '',
    modules: [{ id: 'all', title: 'All items', lesson: '', items }],
  };
}

/** Arms an in-page timer: Ctrl+Enter keydown -> the feedback panel is in the DOM -> next frame. */
async function armFeedbackTimer(page: Page) {
  // a string, not a function: tsx's keepNames helpers (__name) do not exist in the page
  await page.evaluate(`(() => {
    window.__benchSubmitAt = undefined;
    window.__benchCommitAt = undefined;
    window.__benchFrameAt = undefined;
    window.__benchFeedbackAt = undefined;
    const onKey = (e) => {
      if (e.key !== 'Enter' || !e.ctrlKey) return;
      window.__benchSubmitAt = performance.now();
      window.removeEventListener('keydown', onKey, true);
    };
    window.addEventListener('keydown', onKey, true);
    const observer = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="training-feedback"]')) return;
      observer.disconnect();
      window.__benchCommitAt = performance.now();
      requestAnimationFrame(() => {
        window.__benchFrameAt = performance.now();
        setTimeout(() => { window.__benchFeedbackAt = performance.now(); }, 0);
      });
    });
    observer.observe(document.body, { attributes: true, subtree: true, childList: true });
  })()`);
}

/**
 * The harness's own floor, measured in the same browser and run: a page whose Ctrl+Enter only
 * inserts an element, timed exactly as the feedback is (keydown, the element in the DOM, the next
 * frame). What is left above it is the app's work; the wait for the next frame is not.
 */
async function harnessFloor(browser: Browser): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.setContent(`<main><p>Floor</p></main><script>
    addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !e.ctrlKey) return;
      const el = document.createElement('section');
      el.dataset.testid = 'training-feedback';
      el.textContent = 'done';
      document.querySelector('main').append(el);
    });
  </script>`);
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    await page.evaluate(() => document.querySelector('[data-testid="training-feedback"]')?.remove());
    await armFeedbackTimer(page);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => window.__benchFeedbackAt !== undefined);
    if (i >= 5) samples.push(await page.evaluate(() => window.__benchFeedbackAt! - window.__benchSubmitAt!));
  }
  await page.close();
  return samples;
}

export async function benchTrainingUi({ log }: { log: (line: string) => void }) {
  const course = benchCourse();
  const server = new CentralServer();
  await server.seed(async (db) => {
    await addUser(db, { ...USER, role: 'trainee' });
    await importCourse(db, course, new Date());
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'rw-bench-training-'));
  const host = await startHost({ dataDir: path.join(dir, 'data'), server: server.url });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(host.url);
    await page.getByLabel('Username').waitFor();
    await page.keyboard.type(USER.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(USER.password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Start the course' }).waitFor();
    await page.keyboard.press('Enter');

    const feedback: number[] = [];
    // where the time goes: keydown -> panel in the DOM (handler, scoring, React commit), -> the
    // frame's rAF (waiting for the frame, other tasks), -> after the frame (style, layout, paint)
    const phases = { commit: [] as number[], toFrame: [] as number[], frame: [] as number[] };
    const items = course.modules[0]!.items.length;
    for (let i = 1; i <= items; i++) {
      await page
        .locator(`[data-testid="task-screen"][data-task-id="bench-${i}"][data-ready="true"]`)
        .waitFor();
      await rankAll(page, course.modules[0]!.items[i - 1]!.task.responses.length);
      await armFeedbackTimer(page);
      await page.keyboard.press('Control+Enter');
      await page
        .waitForFunction(() => window.__benchFeedbackAt !== undefined, undefined, { timeout: 10_000 })
        .catch((e: unknown) => {
          throw new Error(`item ${i}: ${String(e)}`);
        });
      const t = await page.evaluate(() => [
        window.__benchSubmitAt!,
        window.__benchCommitAt!,
        window.__benchFrameAt!,
        window.__benchFeedbackAt!,
      ]);
      if (i > 5) {
        // the first few include JIT warm-up
        feedback.push(t[3]! - t[0]!);
        phases.commit.push(t[1]! - t[0]!);
        phases.toFrame.push(t[2]! - t[1]!);
        phases.frame.push(t[3]! - t[2]!);
      }
      if (i < items) await page.keyboard.press('n');
      if (i % 20 === 0) log(`  ${i} sandbox items answered`);
    }
    const floor = await harnessFloor(browser);
    return {
      'training.feedback.p95Ms': p95(feedback),
      'training.feedback.floor.p95Ms': p95(floor),
      'training.feedback.floor.medianMs': median(floor),
      'training.feedback.medianMs': median(feedback),
      'training.feedback.commit.medianMs': median(phases.commit),
      'training.feedback.commit.p95Ms': p95(phases.commit),
      'training.feedback.toFrame.medianMs': median(phases.toFrame),
      'training.feedback.frame.medianMs': median(phases.frame),
      'training.feedback.frame.p95Ms': p95(phases.frame),
    };
  } finally {
    await browser.close();
    await stopHost(host);
    await server.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}
