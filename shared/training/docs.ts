import { z } from 'zod';
import { Label } from '../label';
import { Id, Task } from '../task';
import { TrainingItem } from './key';
import { ItemFeedback } from './score';

/**
 * Training documents: what the server sends a workstation through the pull feed (a `training`
 * change carries one; the newest copy of a document replaces the older). Keys travel only in
 * course items (sandbox material) and in graded results; never in an open exam attempt.
 */
const Iso = z.string().max(40);
const Md = (max: number) => z.string().max(max);

export const SkillId = Id;

export const CourseModule = z.strictObject({
  id: Id,
  title: z.string().min(1).max(300),
  /** a short lesson, Markdown */
  lesson: Md(100_000).default(''),
  items: z.array(TrainingItem).max(200),
});
export type CourseModule = z.infer<typeof CourseModule>;

/** A sandbox course: ordered modules of keyed items. Training material, shipped whole. */
export const CourseDoc = z.strictObject({
  kind: z.literal('course'),
  id: Id,
  title: z.string().min(1).max(300),
  version: z.string().min(1).max(50),
  description: Md(20_000).default(''),
  modules: z.array(CourseModule).min(1).max(50),
});
export type CourseDoc = z.infer<typeof CourseDoc>;

/** A certification exam as trainees see it: the rules, never the bank. */
export const ExamDoc = z.strictObject({
  kind: z.literal('exam'),
  id: Id,
  title: z.string().min(1).max(300),
  skill: SkillId,
  /** items drawn per attempt */
  draw: z.number().int().min(1).max(500),
  passMark: z.number().min(0).max(1),
  maxAttempts: z.number().int().min(1).max(100),
  cooldownHours: z
    .number()
    .min(0)
    .max(24 * 365),
  /** null = no time limit */
  timeLimitMin: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .nullable(),
  validDays: z.number().int().min(1).max(3650),
  /** the guideline whose version a certificate records; a new major version calls for re-certification */
  guidelineId: Id,
  /** withdrawn exams stay listed for their history but take no new attempts */
  retired: z.boolean().default(false),
});
export type ExamDoc = z.infer<typeof ExamDoc>;

export const AttemptItemResult = z.strictObject({
  taskId: Id,
  answered: z.boolean(),
  /** answered after the deadline: kept, scored 0 (docs/training.md, "Time limits") */
  late: z.boolean(),
  feedback: ItemFeedback.nullable(),
  /** the answer as graded (response ids of the served task) */
  answer: Label.nullable(),
});
export type AttemptItemResult = z.infer<typeof AttemptItemResult>;

export const AttemptResult = z.strictObject({
  score: z.number().min(0).max(1),
  passed: z.boolean(),
  gradedAt: Iso,
  items: z.array(AttemptItemResult),
  /** the certificate this attempt earned, if it passed */
  certificateId: z.string().max(100).nullable(),
});
export type AttemptResult = z.infer<typeof AttemptResult>;

/** One exam attempt of the signed-in user. Items are served without keys, ids neutral. */
export const AttemptDoc = z.strictObject({
  kind: z.literal('attempt'),
  id: Id,
  examId: Id,
  /** 1 for the first attempt of this certification cycle */
  number: z.number().int().min(1),
  startedAt: Iso,
  /** null = no time limit */
  deadline: Iso.nullable(),
  items: z.array(Task).min(1).max(500),
  state: z.enum(['open', 'graded']),
  result: AttemptResult.nullable(),
});
export type AttemptDoc = z.infer<typeof AttemptDoc>;

export const CertificateDoc = z.strictObject({
  kind: z.literal('certificate'),
  id: z.string().min(1).max(100),
  skill: SkillId,
  examId: Id,
  guidelineId: Id,
  /** the guideline version it was earned under */
  guidelineVersion: z.string().max(50),
  issuedAt: Iso,
  expiresAt: Iso,
  /** set when a new major guideline version calls for re-certification: valid until then */
  dueAt: Iso.nullable(),
  revokedAt: Iso.nullable(),
});
export type CertificateDoc = z.infer<typeof CertificateDoc>;

/** A pod member's view of an item once the round is revealed. */
export const CalibrationItemReveal = z.strictObject({
  taskId: Id,
  /** how the pod answered: one entry per distinct answer (calibration.ts, answerSummary) */
  distribution: z.array(
    z.strictObject({ answer: z.string().max(500), count: z.number().int().min(0), mine: z.boolean() }),
  ),
  answers: z.number().int().min(0),
  /** 'key': the item's key; 'lead': the lead's own answer; null: neither exists */
  referenceSource: z.enum(['key', 'lead']).nullable(),
  /** the reference answer in the same words as the distribution */
  reference: z.string().max(500).nullable(),
  /** the member's answer graded against the key (keyed items they answered) */
  feedback: ItemFeedback.nullable(),
  explanation: Md(50_000).nullable(),
  /** share of the other members whose pairwise preferences agree with the member's (0..1) */
  agreement: z.number().min(0).max(1).nullable(),
  /** 1 - share of the most common answer: how split the pod was */
  disagreement: z.number().min(0).max(1),
});
export type CalibrationItemReveal = z.infer<typeof CalibrationItemReveal>;

export const CalibrationDoc = z.strictObject({
  kind: z.literal('calibration'),
  id: Id,
  podId: Id,
  title: z.string().min(1).max(300),
  dueAt: Iso,
  /** served like production tasks: no key, nothing of other members */
  items: z.array(Task).min(1).max(200),
  state: z.enum(['open', 'revealed']),
  reveal: z
    .strictObject({
      revealedAt: Iso,
      members: z.number().int().min(0),
      submitted: z.number().int().min(0),
      items: z.array(CalibrationItemReveal),
      /** the member's mean agreement over the items they answered */
      agreement: z.number().min(0).max(1).nullable(),
    })
    .nullable(),
});
export type CalibrationDoc = z.infer<typeof CalibrationDoc>;

/** A project opened to trainees for shadowing (or closed again): sent to everyone. */
export const ShadowProjectDoc = z.strictObject({
  kind: z.literal('shadow-project'),
  /** the project id */
  id: Id,
  name: z.string().min(1).max(300),
  /** tasks drawn per set */
  setSize: z.number().int().min(1).max(100),
  open: z.boolean(),
});
export type ShadowProjectDoc = z.infer<typeof ShadowProjectDoc>;

/** The reviewer's label beside the trainee's answer, once the server has taken the answer. */
export const ShadowResult = z.strictObject({
  taskId: Id,
  /** the trainee's answer scored against the reviewer's label (shared/training/reference.ts) */
  feedback: ItemFeedback,
  receivedAt: Iso,
});
export type ShadowResult = z.infer<typeof ShadowResult>;

/**
 * A shadowing set of one trainee: production tasks certified reviewers already labeled, served
 * without their labels; each reviewer label comes back in `results` once the trainee's own answer
 * to that task has reached the server. Never in any export.
 */
export const ShadowSetDoc = z.strictObject({
  kind: z.literal('shadow'),
  id: Id,
  projectId: Id,
  title: z.string().min(1).max(300),
  createdAt: Iso,
  items: z.array(Task).min(1).max(100),
  results: z.array(ShadowResult).max(100),
});
export type ShadowSetDoc = z.infer<typeof ShadowSetDoc>;

export const TrainingDoc = z.discriminatedUnion('kind', [
  CourseDoc,
  ExamDoc,
  AttemptDoc,
  CertificateDoc,
  CalibrationDoc,
  ShadowProjectDoc,
  ShadowSetDoc,
]);
export type TrainingDoc = z.infer<typeof TrainingDoc>;
export type TrainingDocKind = TrainingDoc['kind'];
