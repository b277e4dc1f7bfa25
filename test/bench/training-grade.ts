// Exam grading benchmark (issue 7, `training.grade10k.ms`): 10,000 exam answers pushed and graded on
// the server. 100 trainees each hold 10 open attempts (10 exams of 10 items drawn from banks of 20,
// every item with its own texts): 1,000 attempts. Each trainee pushes its 100 answers in one push,
// 10 trainees at a time, and every push completes its attempts, so all 1,000 are graded (and, 9 of
// 10 answers right, certified) inside the timed pushes. The clock runs from the first push to the
// last answer; setup (exams, sign-ins, starting attempts, building answers) is not timed.
// - `training.grade10k.<db>.ms`: the push path below HTTP, as the push route calls it (its push
//   groups, the write queue, applyPushes with the training batch, in the push transaction);
// - `training.grade10k.http.<db>.ms`: 100 more trainees through the push route itself in this
//   process (Fastify inject: auth, JSON parse and zod validation of the bodies, then the same path).
// Prints nothing; the caller formats the numbers.
// Standalone: `npx tsx test/bench/training-grade.ts [--no-postgres]` prints one JSON object.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../server/app';
import type { AppContext, Caller } from '../../server/context';
import { PlannerStats } from '../../server/db/planner-stats';
import { WriteQueue } from '../../server/db/write-queue';
import { LeaseProofs } from '../../server/sync/lease-proof';
import { applyPushes } from '../../server/sync/push';
import { PushGroups } from '../../server/sync/push-groups';
import { addUser } from '../../server/db/admin';
import { openDatabase } from '../../server/db/connect';
import { createExam } from '../../server/training/admin';
import type { ServedItem } from '../../server/training/serve';
import { EMPTY_HISTORY } from '../../shared/history';
import type { Mutation, PushRequest, PushResponse } from '../../shared/sync';
import type { AttemptDoc } from '../../shared/training/docs';
import type { TrainingItem } from '../../shared/training/key';
import { makeLabel } from '../fixtures/labels';
import { freshTarget } from './fresh-db';

const TRAINEES = 100;
const EXAMS = 10;
const BANK = 20;
const DRAW = 10;
const CONCURRENT = 10;
const PASSWORD = 'bench-password';

/** a bank item with texts of its own (no cache flatters a repeat) */
const bankItem = (exam: number, i: number): TrainingItem => ({
  task: {
    id: `e${exam}-q${i}`,
    kind: 'pairwise',
    prompt: `Exam ${exam}, question ${i}: explain how ${exam * 31 + i} relates to the sources. `.repeat(4),
    responses: [
      { id: 'good', text: `A careful answer (${exam}/${i}) that cites its source. `.repeat(8) },
      { id: 'bad', text: `A sloppy answer (${exam}/${i}) that invents a figure. `.repeat(8) },
    ],
  },
  key: {
    kind: 'pairwise',
    preferred: 'good',
    strengths: ['significantly', 'better', 'slightly'],
    tags: [{ responseId: 'bad', tagId: 'hallucination', expect: 'required' }],
    explanation: `The careful answer of question ${i} checks its facts; the other makes one up.`,
    responseNotes: { bad: 'Invents a figure.' },
  },
});

type Prepared = { caller: Caller; token: string; body: PushRequest };

async function benchDialect(dialect: 'sqlite' | 'postgres'): Promise<{ direct: number; http: number }> {
  const target = await freshTarget(dialect, 'grade');
  const db = await openDatabase(target.url);
  const app = await buildServer({ db });
  try {
    for (let e = 0; e < EXAMS; e++)
      await createExam(
        db.db,
        {
          id: `exam-${e}`,
          title: `Exam ${e}`,
          skill: `skill-${e}`,
          guideline_id: 'default',
          draw: DRAW,
          pass_mark: 0.8,
          max_attempts: 3,
          cooldown_hours: 24,
          time_limit_min: null,
          valid_days: 180,
          grace_days: 14,
          stratify: null,
          promote: 0,
        },
        Array.from({ length: BANK }, (_, i) => bankItem(e, i)),
        new Date(),
      );
    const post = async <T>(token: string | null, url: string, body: unknown) => {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        payload: body as object,
      });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return JSON.parse(res.body) as T;
    };

    /**
     * Setup, not timed: trainees sign in and start their 10 attempts; their answers are built from
     * the served tasks (9 of 10 right, with the required tag), as a workstation would submit them.
     */
    const prepare = async (group: string): Promise<Prepared[]> => {
      const prepared: Prepared[] = [];
      for (let t = 0; t < TRAINEES; t++) {
        const username = `${group}${t}`;
        const deviceId = `bench-device-${group}-${t}`;
        const userId = await addUser(db.db, { username, password: PASSWORD, role: 'trainee' });
        const { token } = await post<{ token: string }>(null, '/v1/auth/login', {
          username,
          password: PASSWORD,
          deviceId,
          deviceSecret: `bench-secret-of-${deviceId}`.padEnd(40, '.'),
        });
        const mutations: Mutation[] = [];
        for (let e = 0; e < EXAMS; e++) {
          const { attempt } = await post<{ attempt: AttemptDoc }>(
            token,
            `/v1/training/exams/exam-${e}/attempts`,
            {},
          );
          const row = await db.db
            .selectFrom('exam_attempts')
            .select('served')
            .where('id', '=', attempt.id)
            .executeTakeFirstOrThrow();
          (JSON.parse(row.served) as ServedItem[]).forEach((served, i) => {
            const good = Object.keys(served.responses).find((id) => served.responses[id] === 'good')!;
            const bad = good === 'r1' ? 'r2' : 'r1';
            const preferred = i === 0 ? bad : good;
            const at = new Date().toISOString();
            const label = makeLabel(
              served.task.id,
              {
                presentedOrder: ['r1', 'r2'],
                pairwise: {
                  preferredResponseId: preferred,
                  choice: preferred === 'r1' ? 'A' : 'B',
                  strength: 'better',
                },
                tags: [{ responseId: bad, tagId: 'hallucination', severity: 'major' }],
                createdAt: at,
                updatedAt: at,
              },
              120,
            );
            mutations.push({
              id: mutations.length + 1,
              type: 'training.answer',
              taskId: served.task.id,
              ref: { kind: 'exam', attemptId: attempt.id, taskId: served.task.id },
              label,
              attempt: 1,
            });
          });
        }
        // stand-in digests of the real length: the server compares them, never recomputes them
        const digests = mutations.map((m) => `${deviceId}:${m.id}`.padEnd(43, '='));
        const caller: Caller = {
          userId,
          username,
          displayName: username,
          role: 'trainee',
          podId: null,
          deviceId,
          tokenHash: '',
        };
        prepared.push({
          caller,
          token,
          body: { deviceId, base: { id: 0, digest: EMPTY_HISTORY }, mutations, digests },
        });
      }
      return prepared;
    };

    /** `CONCURRENT` trainees at a time, each pushing its 100 answers at once; wall time */
    const timed = async (pushes: Prepared[], send: (p: Prepared) => Promise<PushResponse>) => {
      const started = performance.now();
      let next = 0;
      const worker = async () => {
        while (next < pushes.length) {
          const res = await send(pushes[next++]!);
          const refused = res.outcomes.find((o) => o.status !== 'accepted');
          if (refused) throw new Error(`answer refused: ${JSON.stringify(refused)}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENT }, worker));
      return performance.now() - started;
    };

    // the push path below HTTP: the push route's own groups, write queue and applyPushes
    const ctx: AppContext = {
      sdb: db,
      clock: () => new Date(),
      sessionTtlMs: 30 * 24 * 3600_000,
      writes: new WriteQueue(db.db, db.dialect),
      stats: new PlannerStats(db.db, db.dialect),
      leaseProofs: new LeaseProofs(),
      log: { warn: () => undefined, info: () => undefined },
    };
    const groups = new PushGroups(ctx.writes, db.dialect, (trx, group) => applyPushes(trx, ctx, group));
    const direct = await timed(await prepare('direct'), (p) => groups.submit(p.caller, p.body));
    await ctx.stats.close();
    // the same over the push route (Fastify inject: auth, JSON, zod, then the same path)
    const http = await timed(await prepare('http'), (p) =>
      post<PushResponse>(p.token, '/v1/sync/push', p.body),
    );

    const count = async (table: 'exam_attempts' | 'exam_answers' | 'certificates') => {
      let query = db.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
      if (table === 'exam_attempts') query = query.where('state', '=', 'graded');
      return Number((await query.executeTakeFirstOrThrow()).n);
    };
    const expected = 2 * TRAINEES * EXAMS;
    const [graded, answers, certificates] = [
      await count('exam_attempts'),
      await count('exam_answers'),
      await count('certificates'),
    ];
    if (graded !== expected || answers !== expected * DRAW || certificates !== expected)
      throw new Error(
        `graded ${graded} of ${expected} attempts, ${answers} answers, ${certificates} certificates`,
      );
    return { direct, http };
  } finally {
    await app.close();
    await db.close();
    await target.drop();
  }
}

export async function benchTrainingGrade(opts: { postgres: boolean }): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const dialect of opts.postgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
    const { direct, http } = await benchDialect(dialect);
    out[`training.grade10k.${dialect}.ms`] = direct;
    out[`training.grade10k.http.${dialect}.ms`] = http;
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(
    JSON.stringify(await benchTrainingGrade({ postgres: !process.argv.includes('--no-postgres') })),
  );
}
