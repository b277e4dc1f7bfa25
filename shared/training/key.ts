import { z } from 'zod';
import { PreferenceStrength, Rank } from '../label';
import { Severity } from '../taxonomy';
import { Id, Task } from '../task';

/**
 * Answer keys (docs/training.md). An item is a task in task format v1 plus a `key`; in item files
 * the key is one more field of the task object, in memory the two are kept apart (`TrainingItem`)
 * so stripping the key is dropping a field, never filtering one out of a task.
 */

/** A failure tag the key expects on a response (required) or rules out (forbidden). */
export const TagExpectation = z.strictObject({
  responseId: Id,
  tagId: Id,
  expect: z.enum(['required', 'forbidden']),
  /** required only: the trainee's severity must be at least this (minor < major < critical) */
  minSeverity: Severity.optional(),
});
export type TagExpectation = z.infer<typeof TagExpectation>;

const KeyCommon = {
  tags: z.array(TagExpectation).max(200).default([]),
  /** Markdown: why the key is what it is (shown after the item is graded) */
  explanation: z.string().min(1, 'must not be empty').max(50_000),
  /** Markdown per response id: what to notice about that response */
  responseNotes: z.record(Id, z.string().max(20_000)).default({}),
  /** the guideline section the item illustrates: its heading text, or its anchor slug */
  guidelineSection: z.string().max(300).optional(),
};

export const RankingKey = z.strictObject({
  kind: z.literal('ranking'),
  /** responseId -> expected rank (1 = best); every response, ties allowed */
  ranks: z.record(Id, Rank),
  /** the trainee's rank-1 responses must be exactly the key's */
  topMustMatch: z.boolean().default(true),
  /** Kendall tau-b between the trainee's ranking and the key's must reach this */
  minTau: z.number().min(-1).max(1).default(0.6),
  ...KeyCommon,
});
export type RankingKey = z.infer<typeof RankingKey>;

export const PairwiseKey = z.strictObject({
  kind: z.literal('pairwise'),
  /** the preferred response id; null = the responses are equally good (a tie) */
  preferred: Id.nullable(),
  /** the strengths accepted for the preferred response (ignored for a tie) */
  strengths: z.array(PreferenceStrength).min(1).max(5).default(['significantly', 'better', 'slightly']),
  ...KeyCommon,
});
export type PairwiseKey = z.infer<typeof PairwiseKey>;

export const AnswerKey = z.discriminatedUnion('kind', [RankingKey, PairwiseKey]);
export type AnswerKey = z.infer<typeof AnswerKey>;
export type AnswerKeyInput = z.input<typeof AnswerKey>;

/** A task with its key. */
export const TrainingItem = z.strictObject({ task: Task, key: AnswerKey });
export type TrainingItem = z.infer<typeof TrainingItem>;

/** Calibration rounds may come without keys (the lead's answer is the reference then). */
export const CalibrationItem = z.strictObject({ task: Task, key: AnswerKey.nullable() });
export type CalibrationItem = z.infer<typeof CalibrationItem>;

/**
 * What the key says that the task does not allow: a key of the other kind, response ids the task
 * does not have, a ranking that misses responses, tags outside the taxonomy (when one is given).
 * Paths are relative to the item line (`key.ranks.r9`).
 */
export function keyProblems(
  task: Task,
  key: AnswerKey,
  tagIds?: ReadonlySet<string>,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const ids = new Set(task.responses.map((r) => r.id));
  const known = (id: string) => ids.has(id);
  const noSuch = (id: string) => `the task has no response "${id}" (it has ${[...ids].join(', ')})`;
  if (key.kind !== task.kind) {
    problems.push({ path: 'key.kind', message: `a ${key.kind} key on a ${task.kind} task` });
    return problems;
  }
  if (key.kind === 'ranking') {
    for (const id of Object.keys(key.ranks))
      if (!known(id)) problems.push({ path: `key.ranks.${id}`, message: noSuch(id) });
    for (const id of ids)
      if (!(id in key.ranks)) problems.push({ path: 'key.ranks', message: `response "${id}" has no rank` });
    const used = Object.values(key.ranks);
    for (const rank of used)
      if (rank > ids.size)
        problems.push({ path: 'key.ranks', message: `rank ${rank} is beyond the ${ids.size} responses` });
  } else if (key.preferred !== null && !known(key.preferred)) {
    problems.push({ path: 'key.preferred', message: noSuch(key.preferred) });
  }
  key.tags.forEach((tag, i) => {
    if (!known(tag.responseId))
      problems.push({ path: `key.tags.${i}.responseId`, message: noSuch(tag.responseId) });
    if (tagIds && !tagIds.has(tag.tagId))
      problems.push({
        path: `key.tags.${i}.tagId`,
        message: `no failure tag "${tag.tagId}" in the taxonomy`,
      });
    if (tag.expect === 'forbidden' && tag.minSeverity)
      problems.push({
        path: `key.tags.${i}.minSeverity`,
        message: 'only a required tag has a minimum severity',
      });
  });
  const pairs = key.tags.map((t) => `${t.responseId} ${t.tagId}`);
  pairs.forEach((pair, i) => {
    if (pairs.indexOf(pair) !== i)
      problems.push({ path: `key.tags.${i}`, message: 'the same response and tag appear twice' });
  });
  for (const id of Object.keys(key.responseNotes))
    if (!known(id)) problems.push({ path: `key.responseNotes.${id}`, message: noSuch(id) });
  return problems;
}
