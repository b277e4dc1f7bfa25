import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../../shared/checks';
import type { Guideline } from '../../shared/guideline';
import type { CheckId, Label, WorkState } from '../../shared/label';
import type { RationaleTemplate } from '../../shared/rationale';
import type { Task } from '../../shared/task';
import type { Taxonomy } from '../../shared/taxonomy';
import { judgementOf } from '../../shared/training/score';
import type { Identity } from './identity';

export interface LabelInput {
  task: Task;
  work: WorkState;
  presentedOrder: string[];
  orderSeed: string;
  template: RationaleTemplate;
  taxonomy: Taxonomy;
  guideline: Guideline | null;
  checks: readonly CheckResult[];
  identity: Identity;
  /** the label being re-edited, if any: keeps its id and creation time */
  previous: Label | null;
  now: string;
}

/** Builds the stored label from what the reviewer entered: positions mapped back to response ids. */
export function buildLabel(input: LabelInput): Label {
  const { task, work, presentedOrder, previous, now } = input;
  const rationaleFields = Object.fromEntries(
    input.template.fields
      .map((field) => [field.id, work.rationale[field.id] ?? ''] as const)
      .filter(([, text]) => text.trim() !== ''),
  );
  const judgement = judgementOf(task.kind, work, presentedOrder);
  const acknowledged = new Set<CheckId>(input.checks.filter((c) => c.level === 'warn').map((c) => c.id));
  return {
    id: previous?.id ?? randomUUID(),
    taskId: task.id,
    kind: task.kind,
    reviewerId: input.identity.reviewerId,
    deviceId: input.identity.deviceId,
    ...judgement,
    rationale: Object.keys(rationaleFields).length
      ? { templateId: input.template.id, fields: rationaleFields }
      : null,
    presentedOrder: [...presentedOrder],
    orderSeed: input.orderSeed,
    activeMs: work.activeMs,
    guidelineVersion: input.guideline?.version ?? null,
    taxonomyVersion: input.taxonomy.version,
    acknowledgedWarnings: [...acknowledged],
    revision: previous ? previous.revision + 1 : 1,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
}

/** The reviewer's work as stored in a label, for labels that arrive without their WorkState. */
export function workFromLabel(label: Label, presentedOrder: readonly string[]): WorkState {
  let choice: WorkState['pairwise']['choice'] = null;
  if (label.pairwise) {
    const preferred = label.pairwise.preferredResponseId;
    choice = preferred === null ? 'tie' : preferred === presentedOrder[0] ? 'A' : 'B';
  }
  return {
    ranks: { ...(label.ranks ?? {}) },
    rankingTouched: !label.acknowledgedWarnings.includes('untouchedOrder'),
    pairwise: { choice, strength: label.pairwise?.strength ?? null },
    tags: label.tags.map((t) => ({ ...t })),
    rationale: { ...(label.rationale?.fields ?? {}) },
    activeMs: label.activeMs,
  };
}

/** References the shared checks do not cover: tags and rationale fields must exist for this task. */
export function workReferenceIssues(
  task: Task,
  work: WorkState,
  taxonomy: Taxonomy,
  template: RationaleTemplate,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const responseIds = new Set(task.responses.map((r) => r.id));
  const tagIds = new Set(taxonomy.tags.map((t) => t.id));
  work.tags.forEach((tag, i) => {
    if (!responseIds.has(tag.responseId)) {
      issues.push({ path: `work.tags.${i}.responseId`, message: `task has no response "${tag.responseId}"` });
    }
    if (!tagIds.has(tag.tagId)) {
      issues.push({
        path: `work.tags.${i}.tagId`,
        message: `taxonomy "${taxonomy.id}" has no tag "${tag.tagId}"`,
      });
    }
  });
  const fieldIds = new Set(template.fields.map((f) => f.id));
  for (const fieldId of Object.keys(work.rationale)) {
    if (!fieldIds.has(fieldId)) {
      issues.push({
        path: `work.rationale.${fieldId}`,
        message: `template "${template.id}" has no field "${fieldId}"`,
      });
    }
  }
  return issues;
}
