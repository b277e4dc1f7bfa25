import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { chunks } from '../db/batch';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;
type Candidate = { id: string; reviewerId: string; taskId: string };

/**
 * A seeded 53-bit hash of a label id (cyrb53, public domain, bryc 2018): the label's place in the
 * draw. It depends on the seed and the id only, so a draw is the same whatever order the database
 * returns rows in, on SQLite and PostgreSQL alike.
 */
export function drawKey(seed: string, id: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  // the characters of seed, a NUL, then id: no joined string is built (100,000 keys per draw)
  const n = seed.length + 1 + id.length;
  for (let i = 0; i < n; i++) {
    const ch =
      i < seed.length ? seed.charCodeAt(i) : i === seed.length ? 0 : id.charCodeAt(i - seed.length - 1);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** How many of a reviewer's `n` labels a share asks for: ceil, so each reviewer with work is covered. */
export const perReviewerTarget = (n: number, share: number) =>
  share <= 0 || n === 0 ? 0 : Math.min(n, Math.ceil(share * n - 1e-9));

/**
 * The stratified draw (docs/lead-workspace.md, "Blind QA re-rating"): per reviewer, the target is
 * ceil(share x their labels), counting labels sampled before; the missing ones are the reviewer's
 * not-yet-sampled labels with the smallest draw keys. Returned in draw-key order (the QA queue's).
 * Bounds: each reviewer with n labels ends with ceil(share x n) sampled (or more, if sampled before
 * at a higher share); in a first run the total lies in [share x N, share x N + reviewers).
 */
export function stratifiedDraw<T extends Candidate>(
  labels: readonly T[],
  sampled: ReadonlySet<string>,
  share: number,
  seed: string,
): T[] {
  const byReviewer = new Map<string, T[]>();
  for (const l of labels) {
    let list = byReviewer.get(l.reviewerId);
    if (!list) byReviewer.set(l.reviewerId, (list = []));
    list.push(l);
  }
  const picked: { label: T; key: number }[] = [];
  for (const list of byReviewer.values()) {
    let have = 0;
    for (const l of list) if (sampled.has(l.id)) have++;
    const need = perReviewerTarget(list.length, share) - have;
    if (need <= 0) continue;
    // the `need` smallest keys among the not-yet-sampled: keys in a typed array, indexes sorted by them
    const open = have ? list.filter((l) => !sampled.has(l.id)) : list;
    const keys = new Float64Array(open.length);
    for (let i = 0; i < open.length; i++) keys[i] = drawKey(seed, open[i]!.id);
    const order: number[] = [];
    for (let i = 0; i < open.length; i++) order.push(i);
    order.sort((a, b) => keys[a]! - keys[b]! || (open[a]!.id < open[b]!.id ? -1 : 1));
    for (const i of order.slice(0, need)) picked.push({ label: open[i]!, key: keys[i]! });
  }
  return picked.sort((a, b) => a.key - b.key || (a.label.id < b.label.id ? -1 : 1)).map((p) => p.label);
}

export type QaRun = {
  id: string;
  projectId: string;
  seed: string;
  share: number;
  /** labels looked at (the project's completed labels, gold and withdrawn tasks left out) */
  considered: number;
  sampled: number;
  /** sampled in this run, per reviewer id */
  perReviewer: Map<string, number>;
};

/**
 * Samples a project's completed labels for blind QA re-rating and records the run (seed, share,
 * counts) and its samples, in the caller's transaction. Completed labels are the labels stored for
 * the project's tasks; labels on gold tasks and withdrawn tasks are not sampled. The same seed on
 * the same labels and earlier samples draws the same sample.
 */
export async function sampleForQa(
  db: Db,
  projectId: string,
  opts: { share: number; seed: string; now: Date; createdBy?: string | null },
): Promise<QaRun> {
  const rows = await db
    .selectFrom('labels as l')
    .innerJoin('tasks as t', 't.id', 'l.task_id')
    .leftJoin('gold_keys as g', 'g.task_id', 'l.task_id')
    .select(['l.id', 'l.user_id', 'l.task_id'])
    .where('l.project_id', '=', projectId)
    .where('t.revoked_at', 'is', null)
    .where('g.task_id', 'is', null)
    .execute();
  const labels = rows.map((r) => ({ id: r.id, reviewerId: r.user_id, taskId: r.task_id }));
  const sampled = new Set(
    (await db.selectFrom('qa_samples').select('label_id').where('project_id', '=', projectId).execute()).map(
      (r) => r.label_id,
    ),
  );
  const drawn = stratifiedDraw(labels, sampled, opts.share, opts.seed);
  const nowIso = opts.now.toISOString();
  const run: QaRun = {
    id: randomUUID(),
    projectId,
    seed: opts.seed,
    share: opts.share,
    considered: labels.length,
    sampled: drawn.length,
    perReviewer: new Map(),
  };
  for (const l of drawn) run.perReviewer.set(l.reviewerId, (run.perReviewer.get(l.reviewerId) ?? 0) + 1);
  await db
    .insertInto('qa_runs')
    .values({
      id: run.id,
      project_id: projectId,
      seed: run.seed,
      share: run.share,
      considered: run.considered,
      sampled: run.sampled,
      created_by: opts.createdBy ?? null,
      created_at: nowIso,
    })
    .execute();
  let position = 0;
  // 1,000 rows (9,000 parameters) per statement: far fewer round trips, under both databases' limits
  for (const batch of chunks(drawn, 1000))
    await db
      .insertInto('qa_samples')
      .values(
        batch.map((l) => ({
          id: randomUUID(),
          run_id: run.id,
          project_id: projectId,
          label_id: l.id,
          task_id: l.taskId,
          reviewer_id: l.reviewerId,
          position: position++,
          created_at: nowIso,
          rated_at: null,
        })),
      )
      .execute();
  return run;
}
