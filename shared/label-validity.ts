import { rationaleProblems, rationaleRequired } from './checks';
import type { Label, WorkState } from './label';
import type { RationaleTemplate } from './rationale';
import type { Task } from './task';
import { Severity, type Taxonomy } from './taxonomy';

/** One reason a label is not a valid judgement of its task; `path` names the field (`label.…`). */
export interface LabelProblem {
  path: string;
  message: string;
}

export interface LabelContext {
  /** the task the label is submitted for (on the server: the mutation's task) */
  task: Task;
  /** the task's taxonomy; null = unknown, tag ids are then not checked against one */
  taxonomy: Taxonomy | null;
  /** the task's rationale template; null = unknown, the rationale is then not checked against one */
  template: RationaleTemplate | null;
}

const SECOND = ['first', 'second'] as const;
const quote = (value: string | null) => (value === null ? 'null' : `"${value}"`);

/**
 * What makes `label` an invalid judgement of `task`, field by field; empty when it is valid.
 * Pure: the workstation runs it before it stores a label, the server on every push, so a label the
 * workstation stores is never refused by the server for its content. The template is authoritative:
 * a rationale it requires must be filled whatever the label acknowledged.
 */
export function labelProblems(label: Label, { task, taxonomy, template }: LabelContext): LabelProblem[] {
  const problems: LabelProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const responseIds = task.responses.map((r) => r.id);
  const known = new Set(responseIds);

  if (label.taskId !== task.id) add('label.taskId', `"${label.taskId}" but the task is "${task.id}"`);
  if (label.kind !== task.kind) add('label.kind', `"${label.kind}" but task "${task.id}" is ${task.kind}`);

  const order = label.presentedOrder;
  const orderOk = checkPresentedOrder(order, responseIds, add);

  if (task.kind === 'ranking') {
    if (label.pairwise !== null) add('label.pairwise', 'must be null for a ranking task');
    if (label.ranks === null) add('label.ranks', 'is required for a ranking task');
    else checkRanks(label.ranks, task, add);
  } else {
    if (label.ranks !== null) add('label.ranks', 'must be null for a pairwise task');
    if (label.pairwise === null) add('label.pairwise', 'is required for a pairwise task');
    else checkPairwise(label.pairwise, orderOk ? order : null, known, add);
  }

  const tagIds = taxonomy ? new Set(taxonomy.tags.map((t) => t.id)) : null;
  const seen = new Map<string, number>();
  label.tags.forEach((tag, i) => {
    if (!known.has(tag.responseId))
      add(`label.tags.${i}.responseId`, `unknown response "${tag.responseId}" (task "${task.id}")`);
    if (tagIds && !tagIds.has(tag.tagId))
      add(`label.tags.${i}.tagId`, `taxonomy "${taxonomy!.id}" has no tag "${tag.tagId}"`);
    if (!Severity.options.includes(tag.severity))
      add(
        `label.tags.${i}.severity`,
        `"${String(tag.severity)}" is not one of ${Severity.options.join(', ')}`,
      );
    const key = JSON.stringify([tag.responseId, tag.tagId]);
    const first = seen.get(key);
    if (first !== undefined)
      add(
        `label.tags.${i}`,
        `repeats label.tags.${first} (response "${tag.responseId}", tag "${tag.tagId}")`,
      );
    else seen.set(key, i);
  });

  if (template) checkRationale(label, task, template, add);
  return problems;
}

/** The problems as one line, for a rejection message or an error. */
export function formatLabelProblems(problems: readonly LabelProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}

type Add = (path: string, message: string) => void;

/** A permutation of the task's responses; returns whether it is one. */
function checkPresentedOrder(order: readonly string[], responseIds: readonly string[], add: Add): boolean {
  let ok = true;
  const seen = new Set<string>();
  order.forEach((id, i) => {
    if (!responseIds.includes(id)) {
      add(`label.presentedOrder.${i}`, `unknown response "${id}"`);
      ok = false;
    } else if (seen.has(id)) {
      add(`label.presentedOrder.${i}`, `"${id}" is listed twice`);
      ok = false;
    }
    seen.add(id);
  });
  const missing = responseIds.filter((id) => !seen.has(id));
  if (missing.length) {
    add('label.presentedOrder', `leaves out ${missing.map((id) => `"${id}"`).join(', ')}`);
    ok = false;
  }
  return ok;
}

function checkRanks(ranks: Record<string, number>, task: Task, add: Add): void {
  const ids = new Set(task.responses.map((r) => r.id));
  for (const [id, rank] of Object.entries(ranks)) {
    if (!ids.has(id)) add(`label.ranks.${id}`, `unknown response "${id}" (task "${task.id}")`);
    if (!Number.isInteger(rank) || rank < 1 || rank > 9)
      add(`label.ranks.${id}`, `rank must be a whole number from 1 to 9 (got ${rank})`);
  }
  const unranked = task.responses.filter((r) => ranks[r.id] === undefined).map((r) => `"${r.id}"`);
  if (unranked.length) add('label.ranks', `leaves out ${unranked.join(', ')}: every response is ranked once`);
  if (task.allowTies === false) {
    const byRank = new Map<number, string[]>();
    for (const [id, rank] of Object.entries(ranks)) byRank.set(rank, [...(byRank.get(rank) ?? []), id]);
    for (const [rank, tied] of byRank)
      if (tied.length > 1)
        add(
          'label.ranks',
          `${tied.map((id) => `"${id}"`).join(' and ')} share rank ${rank} but the task does not allow ties`,
        );
  }
}

function checkPairwise(
  pairwise: NonNullable<Label['pairwise']>,
  order: readonly string[] | null,
  known: ReadonlySet<string>,
  add: Add,
): void {
  const { choice, preferredResponseId: preferred, strength } = pairwise;
  if (preferred !== null && !known.has(preferred)) {
    add('label.pairwise.preferredResponseId', `unknown response "${preferred}"`);
  } else if (choice === 'tie') {
    if (preferred !== null)
      add('label.pairwise.choice', `"tie" but preferredResponseId is "${preferred}" (a tie prefers none)`);
  } else if (preferred === null) {
    add('label.pairwise.choice', `"${choice}" but preferredResponseId is null (a tie)`);
  } else if (order) {
    const expected = order[choice === 'A' ? 0 : 1];
    if (preferred !== expected) {
      const shown = order.indexOf(preferred);
      add(
        'label.pairwise.choice',
        `"${choice}" but preferredResponseId ${quote(preferred)} is shown ${SECOND[shown] ?? 'nowhere'}`,
      );
    }
  }
  if (choice !== 'tie' && strength === null)
    add('label.pairwise.strength', `is required unless the choice is "tie" (choice is "${choice}")`);
}

/** The label's judgement as the shared submit checks read it. */
function workOf(label: Label): WorkState {
  return {
    ranks: label.ranks ?? {},
    rankingTouched: true,
    pairwise: {
      choice: label.pairwise?.choice ?? null,
      strength: label.pairwise?.strength ?? null,
    },
    tags: label.tags,
    rationale: label.rationale?.fields ?? {},
    activeMs: label.activeMs,
  };
}

function checkRationale(label: Label, task: Task, template: RationaleTemplate, add: Add): void {
  if (label.rationale) {
    if (label.rationale.templateId !== template.id)
      add(
        'label.rationale.templateId',
        `"${label.rationale.templateId}" but task "${task.id}" uses template "${template.id}"`,
      );
    const fieldIds = new Set(template.fields.map((f) => f.id));
    for (const id of Object.keys(label.rationale.fields))
      if (!fieldIds.has(id))
        add(`label.rationale.fields.${id}`, `template "${template.id}" has no field "${id}"`);
  }
  const work = workOf(label);
  const required = rationaleRequired(task, work, template);
  if (required.length === 0) return;
  // field by field, so each problem names its field
  for (const field of template.fields) {
    const [problem] = rationaleProblems(work, { ...template, fields: [field] });
    if (problem)
      add(
        `label.rationale.fields.${field.id}`,
        `required by template "${template.id}" (when: ${required.join(', ')}): ${problem}`,
      );
  }
}
