import { afterEach } from 'vitest';
import type { WorkStateInput } from '../../../../shared/label';
import type { Change } from '../../../../shared/sync';
import type { Task } from '../../../../shared/task';
import type {
  AttemptDoc,
  CalibrationDoc,
  CertificateDoc,
  CourseDoc,
  ExamDoc,
  TrainingDoc,
} from '../../../../shared/training/docs';
import type { TrainingRef } from '../../../../shared/training/ref';
import { call } from '../helpers';
import { type FakeServer, startFakeServer } from '../sync/fake-server';
import { REVIEWER } from '../sync/real-server';
import { openWorkstation, query, type Workstation } from '../sync/workstation';

const fakes: FakeServer[] = [];
afterEach(async () => {
  while (fakes.length) await fakes.pop()!.close();
});

export const rankingItemTask = (id: string): Task => ({
  id,
  kind: 'ranking',
  prompt: `Rank the answers to ${id}`,
  responses: [
    { id: 'good', text: 'The right answer, well put.' },
    { id: 'fair', text: 'Right, but rambling.' },
    { id: 'bad', text: 'Confidently wrong.' },
  ],
});

export const pairwiseItemTask = (id: string): Task => ({
  id,
  kind: 'pairwise',
  prompt: `Which answer to ${id} is better?`,
  responses: [
    { id: 'left', text: 'A careful answer.' },
    { id: 'right', text: 'A made-up citation.' },
  ],
});

/** Two modules: a ranking item (good > fair > bad) and a pairwise item (left better; hallucination on right). */
export const course = (overrides: Partial<CourseDoc> = {}): CourseDoc => ({
  kind: 'course',
  id: 'c1',
  title: 'Ranking basics',
  version: '1',
  description: 'Start here.',
  modules: [
    {
      id: 'm1',
      title: 'Order by quality',
      lesson: 'Correct beats fluent.',
      items: [
        {
          task: rankingItemTask('c1-rank'),
          key: {
            kind: 'ranking',
            ranks: { good: 1, fair: 2, bad: 3 },
            topMustMatch: true,
            minTau: 0.6,
            tags: [],
            explanation: 'EXPLAIN-RANK: correctness first.',
            responseNotes: {},
          },
        },
      ],
    },
    {
      id: 'm2',
      title: 'Spot hallucinations',
      lesson: 'Check every citation.',
      items: [
        {
          task: pairwiseItemTask('c1-pair'),
          key: {
            kind: 'pairwise',
            preferred: 'left',
            strengths: ['better', 'significantly'],
            tags: [{ responseId: 'right', tagId: 'hallucination', expect: 'required' }],
            explanation: 'EXPLAIN-PAIR: the citation on the right does not exist.',
            responseNotes: {},
            guidelineSection: 'Hallucinations',
          },
        },
      ],
    },
  ],
  ...overrides,
});

export const exam = (overrides: Partial<ExamDoc> = {}): ExamDoc => ({
  kind: 'exam',
  id: 'x1',
  title: 'Helpfulness ranking certification',
  skill: 'helpfulness-ranking',
  draw: 2,
  passMark: 0.8,
  maxAttempts: 3,
  cooldownHours: 24,
  timeLimitMin: null,
  validDays: 180,
  guidelineId: 'default',
  retired: false,
  ...overrides,
});

export const attempt = (overrides: Partial<AttemptDoc> = {}): AttemptDoc => ({
  kind: 'attempt',
  id: 'a1',
  examId: 'x1',
  number: 1,
  startedAt: '2025-03-01T08:00:00.000Z',
  deadline: null,
  items: [rankingItemTask('q1'), pairwiseItemTask('q2')],
  state: 'open',
  result: null,
  ...overrides,
});

export const certificate = (overrides: Partial<CertificateDoc> = {}): CertificateDoc => ({
  kind: 'certificate',
  id: 'cert1',
  skill: 'helpfulness-ranking',
  examId: 'x1',
  guidelineId: 'default',
  guidelineVersion: '1.0',
  issuedAt: '2025-01-01T00:00:00.000Z',
  expiresAt: '2025-07-01T00:00:00.000Z',
  dueAt: null,
  revokedAt: null,
  ...overrides,
});

export const round = (overrides: Partial<CalibrationDoc> = {}): CalibrationDoc => ({
  kind: 'calibration',
  id: 'r1',
  podId: 'pod-a',
  title: 'Week 9',
  dueAt: '2025-03-07T00:00:00.000Z',
  items: [rankingItemTask('k1'), rankingItemTask('k2')],
  state: 'open',
  reveal: null,
  ...overrides,
});

export const docChange = (doc: TrainingDoc): Change => ({ type: 'training', doc });

/** a scripted server (closed after the test) holding these training documents in its feed */
export async function fakeWithDocs(...docs: TrainingDoc[]): Promise<FakeServer> {
  const f = await startFakeServer();
  fakes.push(f);
  f.changes.push(...docs.map(docChange));
  return f;
}

/** A workstation signed in to `f` and synced once. */
export async function traineeAt(f: FakeServer, options: Parameters<typeof openWorkstation>[0] = {}) {
  const ws = openWorkstation(options);
  await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER });
  await call(ws, 'sync.now');
  return ws;
}

/** answers the scripted server's route (e.g. `training/exams/x1/attempts`) with this status and body */
export function script(f: FakeServer, route: string, status: number, body?: unknown): void {
  // the fake looks its overrides up by route: any path can be scripted this way
  (f.fail as Record<string, { status: number; body?: unknown } | null>)[route] = { status, body };
}

export const sandboxRef = (taskId: string): TrainingRef => ({ kind: 'sandbox', courseId: 'c1', taskId });
export const examRef = (taskId: string, attemptId = 'a1'): TrainingRef => ({
  kind: 'exam',
  attemptId,
  taskId,
});
export const roundRef = (taskId: string): TrainingRef => ({ kind: 'calibration', roundId: 'r1', taskId });

/** ranks in the given best-to-worst order */
export const ranking = (...best: string[]): WorkStateInput => ({
  ranks: Object.fromEntries(best.map((id, i) => [id, i + 1])),
  rankingTouched: true,
  activeMs: 30_000,
});

/** `choice` is a screen position (A = presentedOrder[0]); `preferred` names the response to pick */
export function pairwise(presentedOrder: readonly string[], preferred: string, strength = 'better') {
  return {
    pairwise: { choice: presentedOrder[0] === preferred ? 'A' : 'B', strength },
    activeMs: 20_000,
  };
}

export const trainingRows = (ws: Workstation) =>
  query<{ ref_key: string; state: string; attempts: number; outbox_seq: number | null }>(
    ws,
    'SELECT ref_key, state, attempts, outbox_seq FROM training_answers ORDER BY ref_key',
  );

export const tries = (ws: Workstation) =>
  query<{ ref_key: string; attempt: number; score: number; correct: number }>(
    ws,
    'SELECT ref_key, attempt, score, correct FROM training_attempts ORDER BY ref_key, attempt',
  );

export const docRows = (ws: Workstation) =>
  query<{ kind: string; id: string; body: string }>(
    ws,
    'SELECT kind, id, body FROM training_docs ORDER BY kind, id',
  );
