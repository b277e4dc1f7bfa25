import type { Transaction } from 'kysely';
import { nextMinorVersion, type GoldenExample, type Guideline } from '../../shared/guideline';
import type { Label } from '../../shared/label';
import type { PromoteRequest, PromoteResponse } from '../../shared/lead';
import type { Task } from '../../shared/task';
import { keyProblems, type TrainingItem } from '../../shared/training/key';
import { referenceKey } from '../../shared/training/reference';
import { CourseDoc } from '../../shared/training/docs';
import { audit } from '../audit/audit';
import { publishAudited } from '../training/publish-config';
import type { AppContext, Caller } from '../context';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import { taskForCaller } from '../sync/lease';
import { importCourse } from '../training/admin';
import { currentGuideline } from '../training/guidelines';
import { stratumOf } from '../training/serve';
import { escalationFor, rulingOf } from './escalations';

type Trx = Transaction<Database>;

const quote = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

/** The ruled task as a golden example: prompt, responses, the lead's judgement and why. */
export function goldenExample(task: Task, label: Label, explanation: string, title: string): GoldenExample {
  const prompt =
    typeof task.prompt === 'string'
      ? task.prompt
      : task.prompt.map((m) => `${m.role}: ${m.content}`).join('\n\n');
  const responses = task.responses.map((r) => `**Response ${r.id}**\n\n${quote(r.text)}`).join('\n\n');
  let judgement: string;
  if (label.ranks) {
    const order = Object.entries(label.ranks).sort((a, b) => a[1] - b[1]);
    judgement = `Ranking: ${order.map(([id, rank]) => `${id} (${rank})`).join(', ')}`;
  } else if (label.pairwise?.preferredResponseId) {
    judgement = `Preferred: ${label.pairwise.preferredResponseId}${label.pairwise.strength ? ` (${label.pairwise.strength})` : ''}`;
  } else judgement = 'The responses are equally good (a tie).';
  const tags = label.tags.length
    ? `\n\nFailure tags: ${label.tags.map((t) => `${t.responseId}: ${t.tagId} (${t.severity})`).join('; ')}`
    : '';
  const markdown = `**Prompt**\n\n${quote(prompt)}\n\n${responses}\n\n**Judgement.** ${judgement}${tags}\n\n**Why.** ${explanation}`;
  return { title, markdown };
}

/**
 * Turns a ruled task (a 'label' ruling) into training material in one transaction, audited
 * (docs/lead-workspace.md, "Promote"):
 * - golden-example: appended to the guideline, published as its next minor version to everyone;
 * - course: an item (the task without meta, the ruling as its answer key) appended to a module of
 *   the course, imported as the course's next version;
 * - exam-bank: the same item appended to the exam's bank.
 */
export async function promoteRuling(
  ctx: AppContext,
  caller: Caller,
  id: string,
  body: PromoteRequest,
): Promise<PromoteResponse> {
  return ctx.writes.run(async (trx) => {
    const now = ctx.clock();
    const row = await escalationFor(trx, caller, id);
    const ruling = rulingOf(row);
    if (!ruling)
      throw new HttpError(409, 'not-ruled', `escalation ${id} has no ruling yet: rule on it first`);
    if (!ruling.label)
      throw new HttpError(
        409,
        'no-ruling-label',
        `escalation ${id} was returned to the reviewer: only a ruling with a label can be promoted`,
      );
    const task = taskForCaller(JSON.parse(row.task_body) as Task, { role: 'lead' });
    const key = { ...referenceKey(ruling.label), explanation: ruling.explanation };
    const item: TrainingItem = { task, key };
    const problems = keyProblems(task, key);
    if (problems.length)
      throw new HttpError(
        409,
        'invalid-key',
        `the ruling's key: ${problems[0]!.path}: ${problems[0]!.message}`,
      );

    let result: { version: string; before: unknown; after: unknown };
    if (body.to === 'golden-example') {
      result = await toGuideline(
        trx,
        body,
        goldenExample(task, ruling.label, ruling.explanation, body.title ?? `Ruling on ${task.id}`),
        { caller, now, escalationId: String(row.id) },
      );
    } else if (body.to === 'course') {
      result = await toCourse(trx, caller, body, item, now);
    } else {
      result = await toExamBank(trx, body, item);
    }
    await audit(trx, {
      actor: caller,
      action: 'escalation.promote',
      targetType: body.to,
      targetId: body.targetId,
      before: result.before,
      after: { escalationId: String(row.id), taskId: task.id, ...(result.after as object) },
      at: now,
    });
    return { to: body.to, targetId: body.targetId, version: result.version };
  });
}

async function toGuideline(
  trx: Trx,
  body: PromoteRequest,
  example: GoldenExample,
  by: { caller: Caller; now: Date; escalationId: string },
) {
  const current = await currentGuideline(trx, body.targetId);
  if (!current) throw new HttpError(404, 'not-found', `no guideline "${body.targetId}"`);
  if (current.examples.length >= 200)
    throw new HttpError(409, 'too-many-examples', `guideline "${current.id}" already has 200 examples`);
  if (current.examples.some((e) => e.title === example.title))
    throw new HttpError(
      409,
      'duplicate-example',
      `guideline "${current.id}" already has an example "${example.title}"`,
    );
  const next: Guideline = {
    ...current,
    version: nextMinorVersion(current.version),
    examples: [...current.examples, example],
  };
  // the one publish path: stored, broadcast (a minor version: no re-certification), `config.publish`
  await publishAudited(trx, by.caller, { kind: 'guideline', doc: next }, by.now, {
    escalationId: by.escalationId,
    example: example.title,
  });
  return {
    version: next.version,
    before: { version: current.version, examples: current.examples.length },
    after: { version: next.version, example: example.title },
  };
}

async function toCourse(trx: Trx, caller: Caller, body: PromoteRequest, item: TrainingItem, now: Date) {
  const row = await trx
    .selectFrom('courses')
    .select(['body', 'version'])
    .where('id', '=', body.targetId)
    .executeTakeFirst();
  if (!row) throw new HttpError(404, 'not-found', `no course "${body.targetId}"`);
  const course = CourseDoc.parse(JSON.parse(row.body));
  const index =
    body.moduleId === undefined
      ? course.modules.length - 1
      : course.modules.findIndex((m) => m.id === body.moduleId);
  if (index < 0)
    throw new HttpError(404, 'not-found', `course "${course.id}" has no module "${body.moduleId}"`);
  if (course.modules.some((m) => m.items.some((i) => i.task.id === item.task.id)))
    throw new HttpError(409, 'duplicate-item', `course "${course.id}" already has task "${item.task.id}"`);
  const module = course.modules[index]!;
  if (module.items.length >= 200)
    throw new HttpError(409, 'module-full', `module "${module.id}" already has 200 items`);
  const modules = course.modules.map((m, i) => (i === index ? { ...m, items: [...m.items, item] } : m));
  const version = await importCourse(trx, { ...course, modules }, now, caller);
  return {
    version,
    before: { version: row.version, items: module.items.length },
    after: { version, module: module.id, items: module.items.length + 1 },
  };
}

async function toExamBank(trx: Trx, body: PromoteRequest, item: TrainingItem) {
  const exam = await trx
    .selectFrom('exams')
    .select(['id', 'stratify'])
    .where('id', '=', body.targetId)
    .executeTakeFirst();
  if (!exam) throw new HttpError(404, 'not-found', `no exam "${body.targetId}"`);
  const existing = await trx
    .selectFrom('exam_items')
    .select(['item_id', 'position'])
    .where('exam_id', '=', exam.id)
    .execute();
  if (existing.some((e) => e.item_id === item.task.id))
    throw new HttpError(
      409,
      'duplicate-item',
      `exam "${exam.id}" already has task "${item.task.id}" in its bank`,
    );
  const position = existing.reduce((max, e) => Math.max(max, Number(e.position)), 0) + 1;
  await trx
    .insertInto('exam_items')
    .values({
      exam_id: exam.id,
      item_id: item.task.id,
      position,
      body: JSON.stringify(item),
      stratum: exam.stratify === null ? null : stratumOf(item, exam.stratify),
    })
    .execute();
  return {
    version: String(position),
    before: { items: existing.length },
    after: { items: existing.length + 1, position },
  };
}
