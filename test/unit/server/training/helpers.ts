import type { Label } from '../../../../shared/label';
import type { Change, Mutation } from '../../../../shared/sync';
import type { AttemptDoc, CertificateDoc, TrainingDoc } from '../../../../shared/training/docs';
import type { TrainingItem } from '../../../../shared/training/key';
import { createExam, type ExamInput } from '../../../../server/training/admin';
import type { ServedItem } from '../../../../server/training/serve';
import { makeLabel, type ServerEnv, type Session } from '../helpers';

/**
 * A pairwise bank item whose response ids, model names and meta would give the answer away, and
 * whose key texts carry `secret`: served, none of it may reach a trainee before grading.
 */
export function bankItem(i: number, secret = 'SECRET', topic = i % 2 ? 'odd' : 'even'): TrainingItem {
  return {
    task: {
      id: `bank-${i}`,
      kind: 'pairwise',
      prompt: `Question number ${i}: which answer is better?`,
      responses: [
        { id: `chosen-${secret}`, text: `A careful answer to question ${i}.`, model: `model-${secret}-a` },
        { id: `rejected-${secret}`, text: `A sloppy answer to question ${i}.`, model: `model-${secret}-b` },
      ],
      meta: { topic, gold: `gold-${secret}` },
    },
    key: {
      kind: 'pairwise',
      preferred: `chosen-${secret}`,
      strengths: ['significantly', 'better', 'slightly'],
      tags: [],
      explanation: `Explanation-${secret}-${i}: the careful answer checks its facts.`,
      responseNotes: { [`rejected-${secret}`]: `Note-${secret}-${i}: sloppy.` },
      guidelineSection: `Section-${secret}`,
    },
  };
}

export const EXAM: ExamInput = {
  id: 'helpful-exam',
  title: 'Helpfulness ranking',
  skill: 'helpfulness',
  guideline_id: 'default',
  draw: 4,
  pass_mark: 0.75,
  max_attempts: 2,
  cooldown_hours: 24,
  time_limit_min: null,
  valid_days: 180,
  grace_days: 14,
  stratify: null,
  promote: 0,
};

/** Creates an exam (EXAM with overrides) with a bank of `bankSize` items, at the test clock's time. */
export async function addExam(
  env: ServerEnv,
  overrides: Partial<ExamInput> = {},
  bankSize = 6,
  secret = 'SECRET',
): Promise<ExamInput> {
  const exam = { ...EXAM, ...overrides };
  const bank = Array.from({ length: bankSize }, (_, i) => bankItem(i + 1, secret));
  await createExam(env.sdb.db, exam, bank, env.clock.read());
  return exam;
}

export const startPath = (examId: string) => `/v1/training/exams/${examId}/attempts`;

export async function start(env: ServerEnv, s: Session, examId = EXAM.id): Promise<AttemptDoc> {
  const res = await env.call(s, 'POST', startPath(examId), {});
  if (res.status !== 200) throw new Error(`start: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.attempt as AttemptDoc;
}

/** served task id -> the served id of the response the key prefers (read as the server keeps it) */
export async function servedKeys(env: ServerEnv, attemptId: string): Promise<Map<string, string>> {
  const row = await env.sdb.db
    .selectFrom('exam_attempts')
    .select(['served'])
    .where('id', '=', attemptId)
    .executeTakeFirstOrThrow();
  const keys = new Map<string, string>();
  for (const s of JSON.parse(row.served) as ServedItem[]) {
    const chosen = Object.entries(s.responses).find(([, bank]) => bank.startsWith('chosen'))![0];
    keys.set(s.task.id, chosen);
  }
  return keys;
}

/** A valid pairwise answer for a served task (responses r1, r2) preferring `preferred`. */
export function answerLabel(taskId: string, preferred: string, overrides: Partial<Label> = {}): Label {
  return makeLabel(taskId, {
    presentedOrder: ['r1', 'r2'],
    pairwise: { preferredResponseId: preferred, choice: preferred === 'r1' ? 'A' : 'B', strength: 'better' },
    tags: [],
    ...overrides,
  });
}

export const other = (served: string) => (served === 'r1' ? 'r2' : 'r1');

export const examAnswer = (id: number, attemptId: string, label: Label): Mutation => ({
  id,
  type: 'training.answer',
  taskId: label.taskId,
  ref: { kind: 'exam', attemptId, taskId: label.taskId },
  label,
  attempt: 1,
});

/** Answers for every item of an attempt: the first `right` of them as the key says, the rest not. */
export async function answers(env: ServerEnv, attempt: AttemptDoc, right: number, firstId = 1) {
  const keys = await servedKeys(env, attempt.id);
  return attempt.items.map((task, i) => {
    const preferred = keys.get(task.id)!;
    return examAnswer(
      firstId + i,
      attempt.id,
      answerLabel(task.id, i < right ? preferred : other(preferred)),
    );
  });
}

export async function push(env: ServerEnv, s: Session, mutations: Mutation[]) {
  const res = await env.call(s, 'POST', '/v1/sync/push', { deviceId: s.deviceId, mutations });
  if (res.status !== 200) throw new Error(`push: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json as {
    lastMutationId: number;
    outcomes: { mutationId: number; status: string; reason: string | null; message: string | null }[];
  };
}

/** Every change the session's feed holds, from the start. */
export async function pullAll(env: ServerEnv, s: Session): Promise<{ changes: Change[]; text: string }> {
  const res = await env.call(s, 'POST', '/v1/sync/pull', {
    deviceId: s.deviceId,
    cursor: null,
    epoch: null,
    limit: 2000,
  });
  if (res.status !== 200) throw new Error(`pull: ${res.status} ${JSON.stringify(res.json)}`);
  return { changes: res.json.changes as Change[], text: JSON.stringify(res.json) };
}

export const trainingDocs = (changes: Change[]): TrainingDoc[] =>
  changes.flatMap((c) => (c.type === 'training' ? [c.doc] : []));

/** the newest copy of each document, as the workstation keeps them */
export function latest(changes: Change[]) {
  const docs = new Map<string, TrainingDoc>();
  for (const doc of trainingDocs(changes)) docs.set(`${doc.kind} ${doc.id}`, doc);
  return {
    attempt: (id: string) => docs.get(`attempt ${id}`) as AttemptDoc | undefined,
    certificates: () => [...docs.values()].filter((d): d is CertificateDoc => d.kind === 'certificate'),
  };
}
