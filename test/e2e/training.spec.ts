import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addUser, createPod, createProject, importTasks } from '../../server/db/admin';
import { createRound } from '../../server/training/calibration';
import { openShadowing } from '../../server/training/shadow';
import { makeLabel } from '../fixtures/labels';
import { createExam, importCourse } from '../../server/training/admin';
import type { Task } from '../../shared/task';
import type { CourseDoc } from '../../shared/training/docs';
import type { TrainingItem } from '../../shared/training/key';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { expectTaskReady, seriousViolations, signInByKeyboard } from './pages';

/**
 * A reviewer without the certificate a project requires: refused production work with the
 * server's words, practises in the sandbox (wrong, feedback, right), takes the exam with the
 * network cut, reconnects, sees the result and the certificate, and gets the work. Keyboard only.
 */

const NEW_HIRE = { username: 'nina', password: 'new hire battery staple' };
/** the one member of pod-c: a calibration round is revealed once she has answered */
const MEMBER = { username: 'cara', password: 'pod member battery staple' };
const TRAINEE = { username: 'tom', password: 'trainee battery staple' };
const SKILL = 'qa-ranking';
const EXAM_TITLE = 'QA ranking certification';
const shots = process.env.TRAINING_SHOTS; // a folder: screenshots of the Training area for review

/** A ranking item whose answers say how good they are; the key ranks them in that order. */
function rankingItem(id: string, topic: string): TrainingItem {
  const task: Task = {
    id,
    kind: 'ranking',
    prompt: `Who wrote ${topic}? Answer from the passage.`,
    responses: [
      { id: 'grounded', text: `Grounded answer: the passage names the author of ${topic}.` },
      { id: 'padded', text: `Padded answer: right author of ${topic}, with three paragraphs of trivia.` },
      { id: 'invented', text: `Invented answer: a made-up author of ${topic}, stated with confidence.` },
    ],
  };
  return {
    task,
    key: {
      kind: 'ranking',
      ranks: { grounded: 1, padded: 2, invented: 3 },
      topMustMatch: true,
      minTau: 0.6,
      tags: [],
      explanation: 'The grounded answer is right and brief; the invented one makes up its author.',
      responseNotes: { invented: 'Check every name against the passage.' },
      guidelineSection: 'Ranking, ties and preference strength',
    },
  };
}
/** the texts that start each answer, best first, as the key ranks them */
const BEST_FIRST = ['Grounded answer', 'Padded answer', 'Invented answer'];

const course: CourseDoc = {
  kind: 'course',
  id: 'qa-basics',
  title: 'QA basics',
  version: '1',
  description: 'Rank answers against the passage.',
  modules: [
    {
      id: 'grounding',
      title: 'Grounded or made up?',
      lesson: 'A short answer the passage supports beats a long one with a **made-up** fact.',
      items: [rankingItem('course-1', 'the first novel'), rankingItem('course-2', 'the second novel')],
    },
  ],
};

const gatedTasks: Task[] = ['g1', 'g2', 'g3'].map((id) => ({
  id,
  kind: 'ranking',
  prompt: `Production question ${id}`,
  responses: [
    { id: 'a', text: `First answer ${id}` },
    { id: 'b', text: `Second answer ${id}` },
  ],
}));

async function seed(db: Parameters<Parameters<CentralServer['seed']>[0]>[0]) {
  const now = new Date();
  await addUser(db, { ...NEW_HIRE, role: 'reviewer' });
  await addUser(db, { ...TRAINEE, role: 'trainee' });
  await createPod(db, { id: 'pod-c' });
  await addUser(db, { ...MEMBER, role: 'reviewer', podId: 'pod-c' });
  await importCourse(db, course, now);
  await createExam(
    db,
    {
      id: 'qa-exam',
      title: EXAM_TITLE,
      skill: SKILL,
      guideline_id: 'default',
      draw: 2,
      pass_mark: 0.8,
      max_attempts: 3,
      cooldown_hours: 24,
      time_limit_min: 30,
      valid_days: 180,
      grace_days: 14,
      stratify: null,
      // a trainee who passes becomes a reviewer (a reviewer who passes stays one)
      promote: 1,
    },
    [rankingItem('bank-1', 'the play'), rankingItem('bank-2', 'the poem')],
    now,
  );
  await createProject(db, { id: 'gated', batchSize: 10, requiresCerts: [SKILL] });
  await importTasks(db, 'gated', gatedTasks);
}

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** Presses Tab until `target` has the focus (keyboard only, as a user would). */
async function tabTo(page: Page, target: Locator, limit = 80) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

async function signIn(page: Page, user: { username: string; password: string }) {
  await expect(page.getByRole('heading', { name: 'Sign in to sync' })).toBeVisible();
  await signInByKeyboard(page, user);
}

/**
 * Ranks the responses on screen, best first, by the start of their text: J / K to the response,
 * its rank digit. The item opens with response A focused.
 */
async function rankByKeyboard(page: Page, bestFirst: readonly string[]) {
  await expect(page.locator('[data-response-body="0"]')).toBeFocused();
  const texts = await page
    .locator('[data-testid^="response-"][data-response-id]')
    .evaluateAll((cards) => cards.map((c) => c.textContent ?? ''));
  let at = 0;
  for (const [i, start] of bestFirst.entries()) {
    const index = texts.findIndex((t) => t.includes(start));
    expect(index, start).toBeGreaterThanOrEqual(0);
    for (; at < index; at++) await page.keyboard.press('j');
    for (; at > index; at--) await page.keyboard.press('k');
    await page.keyboard.press(String(i + 1));
  }
}

/** The letters the trainee saw for the key's order, best first (to check the feedback against). */
async function lettersOf(page: Page, bestFirst: readonly string[]) {
  const texts = await page
    .locator('[data-testid^="response-"][data-response-id]')
    .evaluateAll((cards) => cards.map((c) => c.textContent ?? ''));
  return bestFirst.map((start) => 'ABC'[texts.findIndex((t) => t.includes(start))]);
}

let server: CentralServer;
let host: BrowserHost | null = null;
let dir: string;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(seed);
  // the data folder's parent may hold IT's config.json: keep it a fresh, empty one
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-training-'));
  host = await startHost({ dataDir: path.join(dir, 'data'), server: server.url });
});
test.afterEach(async () => {
  if (host) await stopHost(host);
  host = null;
  rmSync(dir, { recursive: true, force: true });
  await server.remove();
});

test('a new reviewer practises, certifies offline and then gets the gated work, keyboard only', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host!.url);
  await signIn(page, NEW_HIRE);

  // no production work: the server says why, and the queue offers the way to the exam
  const refusal = page.getByTestId('lease-refusal');
  await expect(refusal).toContainText(`Certification required: take the ${EXAM_TITLE} exam`);
  await expect(page.getByTestId('count-pending')).toHaveText('0');

  // C: the Training area, focus on the course's first step
  await page.keyboard.press('c');
  const training = page.getByTestId('training-screen');
  await expect(training.getByRole('heading', { name: 'Training', level: 1 })).toBeVisible();
  await expect(training.getByTestId('course-progress')).toHaveText('0 of 2 correct');
  await expect(training.getByTestId('exam-qa-exam')).toContainText(
    '2 items · pass mark 80% · time limit 30 min',
  );
  const start = training.getByRole('button', { name: 'Start the course' });
  await expect(start).toBeFocused();
  await shot(page, 'training');
  expect(await seriousViolations(page)).toEqual([]);

  // a sandbox item answered wrong: worst first
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'course-1');
  await expect(page.getByTestId('training-heading')).toContainText('Practice');
  await expect(page.getByTestId('training-position')).toHaveText('Item 1 of 2');
  await expect(page.getByRole('button', { name: /Skip|Escalate/ })).toHaveCount(0);
  const key = await lettersOf(page, BEST_FIRST);
  await rankByKeyboard(page, [...BEST_FIRST].reverse());
  await page.keyboard.press('Control+Enter');

  // the feedback at once (offline-capable), its heading focused: the ranking beside the key
  const feedback = page.getByTestId('training-feedback');
  await expect(feedback).toHaveAttribute('data-correct', 'false');
  await expect(page.getByRole('heading', { name: /Not quite/ })).toBeFocused();
  await expect(feedback.getByTestId('feedback-score')).toHaveText('0%');
  const rows = feedback.getByTestId('feedback-ranking').locator('tbody tr');
  await expect(rows.nth(0)).toContainText(`1${key[2]}${key[0]}`);
  await expect(rows.nth(2)).toContainText(`3${key[0]}${key[2]}`);
  await expect(feedback).toContainText('Your best response is not the key’s');
  await expect(feedback).toContainText('The grounded answer is right and brief');
  await expect(feedback).toContainText(`Response ${key[2]}Check every name against the passage.`);
  await shot(page, 'sandbox-feedback');
  expect(await seriousViolations(page)).toEqual([]);

  // the link into the guidelines opens the panel at that section
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: /Read the guideline section/ })).toBeFocused();
  await page.keyboard.press('Enter');
  const section = page.getByTestId('guidelines-panel').getByRole('heading', {
    name: 'Ranking, ties and preference strength',
  });
  await expect(section).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('guidelines-panel')).toHaveCount(0);

  // R: again, right this time
  await page.keyboard.press('r');
  await expect(feedback).toHaveCount(0);
  await rankByKeyboard(page, BEST_FIRST);
  await page.keyboard.press('Control+Enter');
  await expect(feedback).toHaveAttribute('data-correct', 'true');
  await expect(feedback.getByTestId('feedback-score')).toHaveText('100%');
  await expect(page.getByTestId('training-heading')).toContainText('2 attempts so far');

  // Esc: back to Training, the item marked done
  await page.keyboard.press('Escape');
  await expect(training.getByTestId('course-progress')).toHaveText('1 of 2 correct');

  // the exam starts on the server (it draws the items)
  const startExam = training.getByTestId('exam-qa-exam').getByRole('button', { name: 'Start the exam' });
  await tabTo(page, startExam);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="task-screen"][data-training="exam"]')).toBeVisible();
  await expect(page.getByTestId('training-position')).toHaveText('Item 1 of 2');
  await expect(page.getByTestId('exam-timer')).toContainText(/^(29|30):\d\d left$/);
  await expect(page.getByRole('timer')).toHaveCount(1);
  await shot(page, 'exam-item');

  // the network goes; both items are answered anyway, each locking once submitted
  await server.stop();
  for (const n of [1, 2]) {
    await expect(page.getByTestId('training-position')).toHaveText(`Item ${n} of 2`);
    await expect(page.getByText('Exam: no feedback until the attempt is graded')).toBeVisible();
    await rankByKeyboard(page, BEST_FIRST);
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('training-locked')).toBeVisible();
    await expect(page.getByRole('heading', { name: /Answer locked/ })).toBeFocused();
    await expect(page.getByTestId('training-feedback')).toHaveCount(0);
    await expect(
      page.getByTestId('training-actions').getByRole('button', { name: /Next item|Done/ }),
    ).toBeVisible();
    if (n === 1) await shot(page, 'exam-locked');
    await page.keyboard.press('Enter');
  }
  const exam = training.getByTestId('exam-qa-exam');
  await expect(exam.getByTestId('open-attempt')).toContainText('2 of 2 answered');
  await expect(exam.getByTestId('unsent')).toHaveText('2 not sent yet');

  // back online: Y syncs; the graded result and the certificate arrive, the work is leased
  await server.start();
  await page.keyboard.press('y');
  await expect(exam.getByTestId('attempt-verdict')).toHaveText('Passed');
  await expect(exam.getByTestId('attempt-score')).toHaveText('100%');
  await expect(training.getByTestId(`certificate-${SKILL}`).getByTestId('certificate-status')).toHaveText(
    'Valid',
  );
  await shot(page, 'training-certified');
  expect(await seriousViolations(page)).toEqual([]);

  // the graded items, each with its feedback, one Enter away
  await tabTo(page, exam.getByRole('button', { name: /Feedback per item/ }));
  await page.keyboard.press('Enter');
  const firstItem = exam.getByTestId('attempt-1').locator('.t-attempt-items button').first();
  await expect(firstItem).toContainText('100%, correct');
  await tabTo(page, firstItem);
  await page.keyboard.press('Enter');
  await expect(feedback).toHaveAttribute('data-correct', 'true');
  await expect(page.getByRole('heading', { name: /Correct/ })).toBeFocused();
  await expect(feedback).toContainText('The grounded answer is right and brief');
  await expect(page.getByTestId('exam-timer')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(firstItem).toBeFocused();

  await page.keyboard.press('q');
  await expect(page.getByTestId('count-pending')).toHaveText('3');
  await expect(refusal).toHaveCount(0);
});

test('a trainee lands on Training after signing in; the shortcuts list says how to get there', async ({
  page,
}) => {
  await page.goto(host!.url);
  await signIn(page, TRAINEE);
  const training = page.getByTestId('training-screen');
  await expect(training.getByTestId('course-qa-basics')).toBeVisible();
  await expect(training.getByRole('button', { name: 'Start the course' })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);

  await page.keyboard.press('?');
  const dialog = page.getByTestId('shortcuts-dialog');
  await expect(dialog).toContainText('Training: courses, exams, certificates, calibration');
  await expect(dialog).toContainText('Once answered: the next item of the course, exam or round');
});

test('a trainee is pointed at the exam, passes it, is promoted and then gets the gated work, keyboard only', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host!.url);
  await signIn(page, TRAINEE);

  // never the production work, but the way in: the exam the project asks for
  const training = page.getByTestId('training-screen');
  await expect(training).toContainText(`Certification required: take the ${EXAM_TITLE} exam`);
  const startExam = training.getByTestId('exam-qa-exam').getByRole('button', { name: 'Start the exam' });
  await tabTo(page, startExam);
  await page.keyboard.press('Enter');
  for (const n of [1, 2]) {
    await expect(page.getByTestId('training-position')).toHaveText(`Item ${n} of 2`);
    await rankByKeyboard(page, BEST_FIRST);
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('training-locked')).toBeVisible();
    await page.keyboard.press('Enter');
  }

  // the answers sync, the server grades, certifies and promotes; the next lease brings the work
  await page.keyboard.press('y');
  const exam = training.getByTestId('exam-qa-exam');
  await expect(exam.getByTestId('attempt-verdict')).toHaveText('Passed');
  await expect(training.getByTestId(`certificate-${SKILL}`).getByTestId('certificate-status')).toHaveText(
    'Valid',
  );
  const user = await server.db.db
    .selectFrom('users')
    .select('role')
    .where('username', '=', TRAINEE.username)
    .executeTakeFirstOrThrow();
  expect(user.role).toBe('reviewer');
  await page.keyboard.press('y');
  await page.keyboard.press('q');
  await expect(page.getByTestId('count-pending')).toHaveText('3');
});

test("a pod member answers a calibration round blind and, once revealed, reads the pod's answers and the key", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const round = await server.db.db.transaction().execute((trx) =>
    createRound(
      trx,
      {
        podId: 'pod-c',
        title: 'Week 1 calibration',
        createdBy: null,
        dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        items: [
          rankingItem('cal-1', 'the essay'),
          { task: rankingItem('cal-2', 'the song').task, key: null },
        ],
      },
      new Date(),
    ),
  );
  await page.goto(host!.url);
  await signIn(page, MEMBER);
  await expect(page.getByTestId('lease-refusal')).toBeVisible();
  await page.keyboard.press('c');
  const training = page.getByTestId('training-screen');
  const card = training.getByTestId(`round-${round.id}`);
  await expect(card).toContainText('Week 1 calibration');
  await tabTo(page, card.getByRole('button', { name: 'Open' }));
  await page.keyboard.press('Enter');

  // blind, like production work: no key, no feedback, and each answer locks once sent
  for (const n of [1, 2]) {
    await expect(page.locator('[data-testid="task-screen"][data-training="calibration"]')).toBeVisible();
    await expect(page.getByTestId('training-position')).toHaveText(`Item ${n} of 2`);
    await rankByKeyboard(page, BEST_FIRST);
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('training-locked')).toBeVisible();
    await expect(page.getByTestId('training-feedback')).toHaveCount(0);
    await page.keyboard.press('Enter');
  }

  // every member has answered: the next sync brings the reveal
  await page.keyboard.press('y');
  await expect(card).toContainText('1 of 1 members answered');
  const first = card.getByRole('button', { name: /Item 1/ });
  await tabTo(page, first);
  await page.keyboard.press('Enter');
  await expect(card.getByTestId('calibration-reveal').first()).toContainText(
    'The grounded answer is right and brief',
  );
  expect(await seriousViolations(page)).toEqual([]);
});

test("a trainee shadows a project: labels what a reviewer labeled and reads the reviewer's label beside theirs", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  // yesterday's work: a reviewer ranked two tasks of a project the lead then opened for shadowing
  const db = server.db.db;
  const reviewerId = await addUser(db, {
    username: 'rex',
    password: 'reviewer battery staple',
    role: 'reviewer',
  });
  await createProject(db, { id: 'shadowed', name: 'Author questions', batchSize: 10 });
  const tasks = [rankingItem('sh-1', 'the sonnet').task, rankingItem('sh-2', 'the novella').task];
  await importTasks(db, 'shadowed', tasks);
  const at = new Date(Date.now() - 86_400_000).toISOString();
  for (const task of tasks)
    await db
      .insertInto('labels')
      .values({
        id: randomUUID(),
        task_id: task.id,
        project_id: 'shadowed',
        user_id: reviewerId,
        device_id: 'device-rex',
        body: JSON.stringify(
          makeLabel(task.id, {
            kind: 'ranking',
            ranks: { grounded: 1, padded: 2, invented: 3 },
            pairwise: null,
            tags: [{ responseId: 'invented', tagId: 'hallucination', severity: 'major' }],
            rationale: {
              templateId: 'default',
              fields: { decisive: 'Only the grounded answer cites the passage.' },
            },
            presentedOrder: ['grounded', 'padded', 'invented'],
            createdAt: at,
            updatedAt: at,
          }),
        ),
        revision: 1,
        lease_token: 1,
        flagged: null,
        client_times: null,
        created_at: at,
        received_at: at,
        updated_at: at,
      })
      .execute();
  await db.transaction().execute((trx) => openShadowing(trx, 'shadowed', 2, new Date()));

  await page.goto(host!.url);
  await signIn(page, TRAINEE);
  const training = page.getByTestId('training-screen');
  const card = training.getByTestId('shadow-shadowed');
  await expect(card).toContainText('Author questions');
  await tabTo(page, card.getByRole('button', { name: 'Start shadowing' }));
  await page.keyboard.press('Enter');

  // the first as the reviewer ranked it; the answer locks, the reviewer's label comes with a sync
  await expect(page.locator('[data-testid="task-screen"][data-training="shadow"]')).toBeVisible();
  await expect(page.getByTestId('training-position')).toHaveText('Item 1 of 2');
  await rankByKeyboard(page, BEST_FIRST);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('training-locked')).toContainText('certified reviewer’s label appears here');
  await page.keyboard.press('y');
  const feedback = page.getByTestId('training-feedback');
  await expect(feedback).toHaveAttribute('data-correct', 'false');
  await expect(page.getByRole('heading', { name: /Not quite/ })).toBeFocused();
  // same ranking, but the reviewer also tagged the invented answer
  await expect(feedback.getByTestId('feedback-score')).toHaveText('70%');
  await expect(feedback.getByTestId('feedback-ranking').locator('thead')).toContainText('Reviewer');
  await expect(feedback).toContainText('Your best response is the reviewer’s');
  await expect(feedback).toContainText('The reviewer’s rationale');
  await expect(feedback).toContainText('Only the grounded answer cites the passage.');
  await shot(page, 'shadow-feedback');
  expect(await seriousViolations(page)).toEqual([]);

  // the second the other way round
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('training-position')).toHaveText('Item 2 of 2');
  await rankByKeyboard(page, [...BEST_FIRST].reverse());
  await page.keyboard.press('Control+Enter');
  await page.keyboard.press('y');
  await expect(feedback.getByTestId('feedback-score')).toHaveText('0%');
  await expect(feedback).toContainText('Your best response is not the reviewer’s');

  // back in Training: the set is done, the share agreed shown; another set can start
  await page.keyboard.press('Enter');
  await expect(card).toContainText('35% with reviewers so far');
  await expect(card.getByRole('button', { name: 'Start another set' })).toBeVisible();
  await shot(page, 'shadow-training');
  expect(await seriousViolations(page)).toEqual([]);
  // practice only: still the reviewer's two labels, nothing of the trainee's
  expect((await db.selectFrom('labels').select('id').execute()).length).toBe(2);
});
