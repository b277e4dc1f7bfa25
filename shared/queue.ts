import { z } from 'zod';
import { CheckPolicy } from './check-policy';
import { Guideline } from './guideline';
import { Label, WorkState } from './label';
import { RationaleTemplate } from './rationale';
import { Taxonomy } from './taxonomy';
import { Id, Task, TaskKind, TaskState } from './task';
import { TrainingContext } from './training/workstation';
import { QaTaskContext } from './qa-workstation';
import { ESCALATION_REASONS, ESCALATION_REASON_LABELS, SKIP_REASONS, SKIP_REASON_LABELS } from './reasons';

export const SkipReason = z.enum(SKIP_REASONS);
export type SkipReason = z.infer<typeof SkipReason>;
export const EscalationReason = z.enum(ESCALATION_REASONS);
export type EscalationReason = z.infer<typeof EscalationReason>;
export { ESCALATION_REASON_LABELS, SKIP_REASON_LABELS };

export const QueueSummary = z.strictObject({
  pending: z.number().int(),
  drafts: z.number().int(),
  submitted: z.number().int(),
  escalated: z.number().int(),
  skipped: z.number().int(),
  total: z.number().int(),
  /** the task the reviewer was last on, if it is still open */
  currentTaskId: Id.nullable(),
});
export type QueueSummary = z.infer<typeof QueueSummary>;

export const QueueItem = z.strictObject({
  taskId: Id,
  kind: TaskKind,
  state: TaskState,
  promptPreview: z.string(),
  updatedAt: z.string(),
  /** skip or escalation reason code, when there is one */
  reason: z.string().nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

/** Everything the task screen needs, in one round trip. */
/** A lead ruling on an escalated task: whose escalation, why, and how long it has waited. */
export const RulingContext = z.strictObject({
  escalationId: z.string(),
  /** the escalating reviewer's display name */
  reviewer: z.string(),
  reason: EscalationReason,
  note: z.string(),
  escalatedAt: z.string(),
  ageHours: z.number(),
  targetHours: z.number(),
  overdue: z.boolean(),
});
export type RulingContext = z.infer<typeof RulingContext>;

/** A guideline named by id and version: what a task bundle carries instead of the document. */
export const GuidelineRef = z.strictObject({ id: Id, version: Guideline.shape.version });
export type GuidelineRef = z.infer<typeof GuidelineRef>;

export const guidelineRef = (guideline: Guideline | null): GuidelineRef | null =>
  guideline && { id: guideline.id, version: guideline.version };

export const TaskBundle = z.strictObject({
  task: Task,
  state: TaskState,
  presentedOrder: z.array(Id),
  orderSeed: z.string(),
  /** the saved draft, or the submitted label's state when re-editing; null = fresh */
  work: WorkState.nullable(),
  /** set when the task was submitted already (editable until synced) */
  label: Label.nullable(),
  taxonomy: Taxonomy,
  template: RationaleTemplate,
  /**
   * which guideline version the task is judged under, not its text (~20 kB, the same from task to
   * task): the renderer fetches a version once (`guideline.get`) and keeps it
   */
  guideline: GuidelineRef.nullable(),
  checkPolicy: CheckPolicy,
  /** 1-based position among open tasks, and how many are open */
  position: z.strictObject({ index: z.number().int(), open: z.number().int() }),
  /** set for a training item (sandbox, exam, calibration): the same screen, another mode */
  training: TrainingContext.optional(),
  /** set when a lead rules on an escalation: the same screen and controls, a ruling to submit */
  ruling: RulingContext.optional(),
  /** set for a blind QA re-rating: the same screen and controls; after submit, the comparison */
  qa: QaTaskContext.optional(),
});
export type TaskBundle = z.infer<typeof TaskBundle>;

export const ImportIssue = z.strictObject({
  line: z.number().int(),
  path: z.string(),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const ImportResult = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), imported: z.number().int(), duplicates: z.number().int() }),
  z.strictObject({ ok: z.literal(false), errors: z.array(ImportIssue), truncated: z.boolean() }),
]);
export type ImportResult = z.infer<typeof ImportResult>;

export const Layout = z.enum(['side', 'stacked']);
/** user-chosen font scale for long shifts */
const FontScale = z.number().min(0.8).max(1.5);
export const Preferences = z.strictObject({
  layout: Layout.default('side'),
  fontScale: FontScale.default(1),
});
export type Preferences = z.infer<typeof Preferences>;
/** A change to some preferences. Not `Preferences.partial()`: zod 4 would fill absent keys with their defaults. */
export const PreferencesPatch = z.strictObject({
  layout: Layout.optional(),
  fontScale: FontScale.optional(),
});
export type PreferencesPatch = z.infer<typeof PreferencesPatch>;
