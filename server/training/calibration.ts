import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import {
  agreementWithOthers,
  answerSummary,
  disagreement,
  distribution,
  keySummary,
  type CalibrationDiscussion,
} from '../../shared/training/calibration';
import type { CalibrationDoc, CalibrationItemReveal } from '../../shared/training/docs';
import type { CalibrationItem } from '../../shared/training/key';
import { scoreItem } from '../../shared/training/score';
import type { CalibrationRoundsTable, Database } from '../db/schema';
import { recordTrainingChanges, type TrainingChange } from './docs';
import { servedKey, serveItem, type RandomInt } from './serve';

/**
 * Calibration rounds (docs/training.md, "Calibration rounds"). A lead or an admin publishes a set
 * of items to a pod; its trainees and reviewers at that moment are the members. Every member, and
 * the pod's lead, gets the round (tasks only) and answers blind through the push, one answer per
 * item. The round is revealed once every member has answered every item, at the first contact with
 * the server after its due date, or by `calibration close`: then each of them gets the pod's answers
 * per item, the reference (the key, else the lead's own answer) and their agreement with the others.
 */

type Db = Kysely<Database> | Transaction<Database>;
export type RoundRow = Selectable<CalibrationRoundsTable>;

export type RoundInput = {
  podId: string;
  title: string;
  /** a user id; null: the operator CLI */
  createdBy: string | null;
  dueAt: string;
  /** as authored: bank ids, keys optional */
  items: readonly CalibrationItem[];
};

/** Why a round cannot be published (the caller turns it into a 400 or a CLI error). */
export class RoundRefused extends Error {}

/**
 * Served like exam items, once for the whole pod (everyone compares the same ids): tasks
 * `<roundId>.<n>`, responses r1..rN in a random order, no model or meta; a key follows the ids.
 */
export function serveRound(roundId: string, items: readonly CalibrationItem[], random?: RandomInt) {
  return items.map((item, i): CalibrationItem => {
    const served = serveItem(roundId, i + 1, item, random);
    return { task: served.task, key: item.key ? servedKey(item.key, served.responses) : null };
  });
}

const parseItems = (row: Pick<RoundRow, 'items'>) => JSON.parse(row.items) as CalibrationItem[];
const parseMembers = (row: Pick<RoundRow, 'members'>) => JSON.parse(row.members) as string[];

/** who receives the round's documents: its members and the pod's lead */
async function recipients(db: Db, row: RoundRow): Promise<string[]> {
  const pod = await db
    .selectFrom('pods')
    .select('lead_user_id')
    .where('id', '=', row.pod_id)
    .executeTakeFirst();
  const members = parseMembers(row);
  return pod?.lead_user_id && !members.includes(pod.lead_user_id) ? [...members, pod.lead_user_id] : members;
}

/** The pod's lead may answer too (the reference of an item without a key). */
export async function podLead(db: Db, podId: string): Promise<string | null> {
  const pod = await db.selectFrom('pods').select('lead_user_id').where('id', '=', podId).executeTakeFirst();
  return pod?.lead_user_id ?? null;
}

/** Publishes a round in the caller's transaction; every member and the lead get it. */
export async function createRound(
  trx: Transaction<Database>,
  input: RoundInput,
  now: Date,
  random?: RandomInt,
): Promise<RoundRow> {
  const nowIso = now.toISOString();
  if (input.dueAt <= nowIso) throw new RoundRefused(`the due date ${input.dueAt} has passed`);
  const pod = await trx.selectFrom('pods').select('id').where('id', '=', input.podId).executeTakeFirst();
  if (!pod) throw new RoundRefused(`no pod "${input.podId}"`);
  const members = (
    await trx
      .selectFrom('users')
      .select('id')
      .where('pod_id', '=', input.podId)
      .where('role', 'in', ['trainee', 'reviewer'])
      .where('revoked_at', 'is', null)
      .orderBy('id')
      .execute()
  ).map((u) => u.id);
  if (members.length === 0) throw new RoundRefused(`pod "${input.podId}" has no trainees or reviewers`);
  const id = randomUUID();
  const row: RoundRow = {
    id,
    pod_id: input.podId,
    title: input.title,
    created_by: input.createdBy,
    created_at: nowIso,
    due_at: input.dueAt,
    revealed_at: null,
    members: JSON.stringify(members),
    items: JSON.stringify(serveRound(id, input.items, random)),
  };
  await trx.insertInto('calibration_rounds').values(row).execute();
  await recordTrainingChanges(
    trx,
    (await recipients(trx, row)).map((userId) => ({ userId, doc: roundDoc(row, userId, []) })),
    nowIso,
  );
  return row;
}

export type StoredCalibrationAnswer = { taskId: string; userId: string; label: Label };

/**
 * The round as `viewer` sees it: its tasks, no key; once revealed, the pod's answers per item with
 * the viewer's own marked, the reference and the viewer's agreement with the members.
 */
export function roundDoc(
  row: RoundRow,
  viewer: string,
  answers: readonly StoredCalibrationAnswer[],
): CalibrationDoc {
  const items = parseItems(row);
  const base = {
    kind: 'calibration' as const,
    id: row.id,
    podId: row.pod_id,
    title: row.title,
    dueAt: row.due_at,
    items: items.map((i) => i.task),
  };
  if (row.revealed_at === null) return { ...base, state: 'open', reveal: null };
  const members = new Set(parseMembers(row));
  const reveals = revealItems(items, answers, members, viewer);
  const agreements = reveals.flatMap((r) => (r.agreement === null ? [] : [r.agreement]));
  return {
    ...base,
    state: 'revealed',
    reveal: {
      revealedAt: row.revealed_at,
      members: members.size,
      submitted: submittedMembers(items, answers, members),
      items: reveals,
      agreement: agreements.length
        ? Math.round((agreements.reduce((a, b) => a + b, 0) / agreements.length) * 1e6) / 1e6
        : null,
    },
  };
}

/** members who answered every item */
function submittedMembers(
  items: readonly CalibrationItem[],
  answers: readonly StoredCalibrationAnswer[],
  members: ReadonlySet<string>,
): number {
  const per = new Map<string, number>();
  for (const a of answers) if (members.has(a.userId)) per.set(a.userId, (per.get(a.userId) ?? 0) + 1);
  return [...per.values()].filter((n) => n >= items.length).length;
}

/**
 * Per item: the members' answers in words, the reference (the key; without one, the answer of the
 * lead, i.e. an answerer who is not a member), the viewer's feedback against the key and agreement.
 */
function revealItems(
  items: readonly CalibrationItem[],
  answers: readonly StoredCalibrationAnswer[],
  members: ReadonlySet<string>,
  viewer: string,
): CalibrationItemReveal[] {
  return items.map((item) => {
    const responses = item.task.responses.map((r) => r.id);
    const onItem = answers.filter((a) => a.taskId === item.task.id);
    const fromMembers = onItem.filter((a) => members.has(a.userId));
    const mine = onItem.find((a) => a.userId === viewer)?.label ?? null;
    const lead = onItem.find((a) => !members.has(a.userId))?.label ?? null;
    const summaries = fromMembers.map((a) => answerSummary(a.label, responses));
    const key = item.key;
    return {
      taskId: item.task.id,
      distribution: distribution(summaries, mine ? answerSummary(mine, responses) : null),
      answers: fromMembers.length,
      referenceSource: key ? 'key' : lead ? 'lead' : null,
      reference: key ? keySummary(key, responses) : lead ? answerSummary(lead, responses) : null,
      feedback: key && mine ? scoreItem(key, mine) : null,
      explanation: key?.explanation ?? null,
      agreement: agreementWithOthers(
        mine,
        fromMembers.filter((a) => a.userId !== viewer).map((a) => a.label),
        responses,
      ),
      disagreement: disagreement(summaries),
    };
  });
}

async function roundAnswers(db: Db, roundId: string): Promise<StoredCalibrationAnswer[]> {
  return (
    await db
      .selectFrom('calibration_answers')
      .select(['task_id', 'user_id', 'label'])
      .where('round_id', '=', roundId)
      .orderBy('received_at')
      .orderBy('user_id')
      .execute()
  ).map((a) => ({ taskId: a.task_id, userId: a.user_id, label: JSON.parse(a.label) as Label }));
}

/**
 * Reveals a round (if still open) in the caller's transaction: every member and the lead get their
 * view. Returns false when it was revealed already.
 */
export async function revealRound(trx: Transaction<Database>, roundId: string, now: Date): Promise<boolean> {
  const nowIso = now.toISOString();
  const updated = await trx
    .updateTable('calibration_rounds')
    .set({ revealed_at: nowIso })
    .where('id', '=', roundId)
    .where('revealed_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  const row = await trx
    .selectFrom('calibration_rounds')
    .selectAll()
    .where('id', '=', roundId)
    .executeTakeFirstOrThrow();
  const answers = await roundAnswers(trx, roundId);
  const changes: TrainingChange[] = (await recipients(trx, row)).map((userId) => ({
    userId,
    doc: roundDoc(row, userId, answers),
  }));
  await recordTrainingChanges(trx, changes, nowIso);
  return true;
}

/** open rounds past their due date (calibration_rounds_open index) */
export const dueRoundsQuery = (db: Db, now: Date) =>
  db
    .selectFrom('calibration_rounds')
    .select('id')
    .where('revealed_at', 'is', null)
    .where('due_at', '<=', now.toISOString());

/** Reveals every round past its due date (at the first contact after it). Returns how many. */
export async function revealDueRounds(trx: Transaction<Database>, now: Date): Promise<number> {
  let revealed = 0;
  for (const { id } of await dueRoundsQuery(trx, now).execute())
    if (await revealRound(trx, id, now)) revealed++;
  return revealed;
}

/** every member answered every item */
export function roundComplete(row: RoundRow, answered: ReadonlySet<string>): boolean {
  const items = parseItems(row);
  return parseMembers(row).every((member) => items.every((i) => answered.has(`${member} ${i.task.id}`)));
}

/** GET TRAINING_PATHS.discussion: the items, most disputed first (null: not revealed yet). */
export async function roundDiscussion(db: Db, row: RoundRow): Promise<CalibrationDiscussion | null> {
  if (row.revealed_at === null) return null;
  const items = parseItems(row);
  const answers = await roundAnswers(db, row.id);
  const members = new Set(parseMembers(row));
  const reveals = revealItems(items, answers, members, '');
  return {
    roundId: row.id,
    podId: row.pod_id,
    title: row.title,
    dueAt: row.due_at,
    revealedAt: row.revealed_at,
    members: members.size,
    submitted: submittedMembers(items, answers, members),
    items: items
      .map((item, i) => ({
        task: item.task,
        answers: reveals[i]!.answers,
        distribution: reveals[i]!.distribution.map(({ answer, count }) => ({ answer, count })),
        referenceSource: reveals[i]!.referenceSource,
        reference: reveals[i]!.reference,
        explanation: reveals[i]!.explanation,
        disagreement: reveals[i]!.disagreement,
      }))
      .sort((a, b) => b.disagreement - a.disagreement),
  };
}

export { parseItems as roundItems, parseMembers as roundMembers };
