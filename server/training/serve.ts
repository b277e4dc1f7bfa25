import { randomInt } from 'node:crypto';
import type { AnswerKey, TrainingItem } from '../../shared/training/key';
import type { Task } from '../../shared/task';

/** A random integer in [0, max): crypto randomness by default, injectable for tests. */
export type RandomInt = (max: number) => number;
const cryptoInt: RandomInt = (max) => randomInt(max);

/**
 * One exam item as an attempt serves it, and what the server keeps to grade it. Stored (JSON) in
 * exam_attempts.served; only `task` ever leaves the server.
 */
export type ServedItem = {
  /** the task as the trainee sees it: id `<attemptId>.<n>`, responses r1..rN, no model, no meta */
  task: Task;
  /** the bank item's id (exam_items.item_id) */
  itemId: string;
  /** served response id -> the bank's response id */
  responses: Record<string, string>;
};

/**
 * Serves a bank task without anything that could give the key away: the task id becomes
 * `<attemptId>.<n>`, the responses are renamed r1..rN in a random order (bank ids such as
 * "chosen"/"rejected" and the bank's order can say which is better), `model` and `meta` are dropped.
 * Kind, prompt, instructions, the guideline/taxonomy/template ids, allowTies and sensitive stay.
 */
export function serveItem(
  attemptId: string,
  n: number,
  item: Pick<TrainingItem, 'task'>,
  random: RandomInt = cryptoInt,
): ServedItem {
  const order = shuffled(item.task.responses, random);
  const responses: Record<string, string> = {};
  const { meta: _meta, responses: _responses, id: _id, ...kept } = item.task;
  const task: Task = {
    ...kept,
    id: `${attemptId}.${n}`,
    responses: order.map((r, i) => {
      const servedId = `r${i + 1}`;
      responses[servedId] = r.id;
      return { id: servedId, text: r.text };
    }),
  };
  return { task, itemId: item.task.id, responses };
}

/**
 * The key in the served task's response ids, so that grading (and its feedback: expected ranks,
 * tags, response notes) speaks of what the trainee saw.
 */
export function servedKey(key: AnswerKey, servedToBank: Readonly<Record<string, string>>): AnswerKey {
  const toServed = new Map(Object.entries(servedToBank).map(([served, bank]) => [bank, served]));
  const id = (bankId: string) => toServed.get(bankId) ?? bankId;
  const renameKeys = <V>(record: Record<string, V>) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [id(k), v]));
  const common = {
    tags: key.tags.map((t) => ({ ...t, responseId: id(t.responseId) })),
    responseNotes: renameKeys(key.responseNotes),
  };
  return key.kind === 'ranking'
    ? { ...key, ...common, ranks: renameKeys(key.ranks) }
    : { ...key, ...common, preferred: key.preferred === null ? null : id(key.preferred) };
}

/** A copy in random order (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], random: RandomInt = cryptoInt): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Draws `n` of the bank's items at random. With strata (an item's value at the exam's stratify
 * path; null is a stratum of its own), each stratum gets its proportional share, rounded by largest
 * remainder (ties: in random order), and its items are drawn at random within it. The drawn items
 * come back in random order, so strata are not served in blocks.
 */
export function drawItems(
  bank: readonly { itemId: string; stratum: string | null }[],
  n: number,
  stratified: boolean,
  random: RandomInt = cryptoInt,
): string[] {
  if (n > bank.length) throw new Error(`cannot draw ${n} items from a bank of ${bank.length}`);
  if (!stratified)
    return shuffled(bank, random)
      .slice(0, n)
      .map((b) => b.itemId);
  const strata = new Map<string, string[]>();
  for (const b of bank) {
    const name = b.stratum === null ? '\u0000none' : `=${b.stratum}`;
    strata.set(name, [...(strata.get(name) ?? []), b.itemId]);
  }
  const shares = shuffled([...strata.values()], random).map((items) => {
    const exact = (n * items.length) / bank.length;
    return { items, take: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = n - shares.reduce((sum, s) => sum + s.take, 0);
  // stable sort: equal remainders keep the random order of the shuffle above
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder)) {
    if (left === 0) break;
    if (share.take < share.items.length) {
      share.take++;
      left--;
    }
  }
  const drawn = shares.flatMap((s) => shuffled(s.items, random).slice(0, s.take));
  return shuffled(drawn, random);
}

/**
 * The value at a dotted path of an item line (the task's fields with `key` beside them, as in the
 * item file): `meta.topic`, `kind`, `key.kind`. Text as is, other values as JSON; null when missing.
 */
export function stratumOf(item: TrainingItem, path: string): string | null {
  let value: unknown = { ...item.task, key: item.key };
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !(part in value)) return null;
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
