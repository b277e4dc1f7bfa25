// Lead inbox benchmark: real Chromium against browser mode, signed in to the real server as a lead.
//   lead.inbox.ms   W pressed -> the pod's escalations listed (first page, 100 of 500) and painted
// 500 open escalations by 8 reviewers on 500 distinct demo-sized tasks (the demo's QA prompts and
// four ~400-word answers, each task given its own id and note), with the reviewers' work so far.
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Task } from '../../shared/task';
import { addUser, createPod, createProject, importTasks } from '../../server/db/admin';
import { CentralServer } from '../e2e/central-server';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { startHost, stopHost } from '../e2e/host';
import { signInForBench, timeKeyTo } from './browser';
import { median } from './stats';

const root = path.resolve(import.meta.dirname, '../..');
const LEAD = { username: 'bench-lead', password: 'bench lead password' };
const ESCALATIONS = 500;
const OPENS = 9;
const REASONS = ['guideline-gap', 'ambiguous-prompt', 'all-responses-bad'] as const;

/** 500 distinct tasks from the demo's QA records (each record reused under new ids and prompts). */
function benchTasks(): Task[] {
  const records = readFileSync(path.join(root, 'resources/demo/qa-feedback.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Task);
  return Array.from({ length: ESCALATIONS }, (_, i) => {
    const base = records[i % records.length]!;
    return {
      ...base,
      id: `esc-${i + 1}`,
      prompt: `${typeof base.prompt === 'string' ? base.prompt : 'Question'} (case ${i + 1})`,
      responses: base.responses.map((r) => ({ ...r, text: `${r.text} [${i + 1}]` })),
    };
  });
}

async function openInbox(page: Page): Promise<number> {
  await page.keyboard.press('q');
  await page.locator('main.queue-screen').waitFor();
  return timeKeyTo(page, 'w', '[data-testid="lead-inbox"] tbody tr');
}

export async function benchLeadInbox({ log }: { log: (line: string) => void }) {
  const server = new CentralServer();
  await server.seed(async (db) => {
    await createPod(db, { id: 'bench-pod' });
    const leadId = await addUser(db, { ...LEAD, role: 'lead', podId: 'bench-pod' });
    await db.updateTable('pods').set({ lead_user_id: leadId }).where('id', '=', 'bench-pod').execute();
    const reviewers: string[] = [];
    for (let i = 0; i < 8; i++)
      reviewers.push(
        await addUser(db, {
          username: `bench-reviewer-${i + 1}`,
          password: `bench reviewer password ${i + 1}`,
          role: 'reviewer',
          podId: 'bench-pod',
        }),
      );
    await createProject(db, { id: 'bench', batchSize: 50 });
    const tasks = benchTasks();
    await importTasks(db, 'bench', tasks);
    const at = Date.now() - 30 * 3600_000;
    await db
      .insertInto('task_events')
      .values(
        tasks.map((task, i) => ({
          task_id: task.id,
          project_id: 'bench',
          user_id: reviewers[i % reviewers.length]!,
          device_id: 'device-bench',
          type: 'escalate' as const,
          reason: REASONS[i % REASONS.length]!,
          note: `Case ${i + 1}: the guideline does not say how to weigh ${task.responses[0]!.text.slice(0, 40)}…`,
          work: JSON.stringify({
            ranks: Object.fromEntries(task.responses.map((r, rank) => [r.id, rank + 1])),
            rankingTouched: true,
            pairwise: { choice: null, strength: null },
            tags: [],
            rationale: {},
            activeMs: 40_000 + i,
          }),
          lease_token: 1,
          created_at: new Date(at + i * 60_000).toISOString(),
        })),
      )
      .execute();
  });
  log(`  ${ESCALATIONS} open escalations seeded`);
  const dir = mkdtempSync(path.join(tmpdir(), 'rw-bench-lead-'));
  const host = await startHost({ dataDir: path.join(dir, 'data'), server: server.url });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInForBench(page, host.url, LEAD);
    const opens: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      const ms = await openInbox(page);
      if (i > 0) opens.push(ms);
    }
    return { 'lead.inbox.ms': median(opens) };
  } finally {
    await browser.close();
    await stopHost(host);
    await server.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}
