import { z } from 'zod';
import { Id } from '../task';
import { AttemptDoc, CalibrationDoc, CertificateDoc, ExamDoc, ShadowProjectDoc } from './docs';
import { AnswerKey } from './key';
import { TrainingRef } from './ref';
import { ItemFeedback } from './score';

/**
 * What the workstation's Training area shows (contract channels `training.*`), built by the
 * services from the training documents the pull feed brought and the local answers.
 */

/** The training side of a task bundle: which item, in which mode, and what it may show. */
export const TrainingContext = z.strictObject({
  ref: TrainingRef,
  /** course, exam or round title */
  title: z.string(),
  /** module title (sandbox) */
  section: z.string().nullable(),
  position: z.strictObject({ index: z.number().int(), count: z.number().int() }),
  /** exam time limit: the attempt ends here (server time) */
  deadline: z.string().nullable(),
  /** submitted answers of exams and calibration rounds cannot change */
  locked: z.boolean(),
  /** sandbox: right after submitting; exam and calibration: once graded or revealed */
  feedback: ItemFeedback.nullable(),
  /**
   * sandbox items only (course material, shipped whole): the key, so the screen shows the feedback
   * in the frame after Ctrl+Enter, while the answer is written; never set for exams or rounds
   */
  key: AnswerKey.nullable().default(null),
  /** sandbox: submitted attempts at this item so far */
  attempts: z.number().int().min(0),
  /** the next item in the course, attempt or round; null at the end */
  next: TrainingRef.nullable(),
});
export type TrainingContext = z.infer<typeof TrainingContext>;

export const CourseItemProgress = z.strictObject({
  ref: TrainingRef,
  promptPreview: z.string(),
  attempts: z.number().int().min(0),
  /** best score over the attempts; null before the first */
  bestScore: z.number().min(0).max(1).nullable(),
  correct: z.boolean(),
});

export const CourseSummary = z.strictObject({
  id: Id,
  title: z.string(),
  description: z.string(),
  modules: z.array(
    z.strictObject({
      id: Id,
      title: z.string(),
      lesson: z.string(),
      items: z.array(CourseItemProgress),
    }),
  ),
  /** items answered correctly at least once, of all items */
  progress: z.strictObject({ done: z.number().int(), total: z.number().int() }),
});
export type CourseSummary = z.infer<typeof CourseSummary>;

export const ExamSummary = z.strictObject({
  exam: ExamDoc,
  attemptsUsed: z.number().int(),
  attemptsLeft: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** why an attempt cannot start now, in plain words; null when it can */
  blockedReason: z.string().nullable(),
  openAttempt: z
    .strictObject({
      id: Id,
      deadline: z.string().nullable(),
      answered: z.number().int(),
      total: z.number().int(),
      /** answers saved locally that have not reached the server yet */
      unsent: z.number().int(),
    })
    .nullable(),
  /** every attempt, newest first (the open one too: its items resume it); graded ones carry the result */
  attempts: z.array(AttemptDoc),
});
export type ExamSummary = z.infer<typeof ExamSummary>;

export const CertificateSummary = CertificateDoc.extend({
  status: z.enum(['valid', 'due', 'expired', 'revoked']),
});

export const CalibrationSummary = z.strictObject({
  round: CalibrationDoc,
  answered: z.number().int(),
  total: z.number().int(),
});

/** A project open for shadowing, and this trainee's sets in it. */
export const ShadowSummary = z.strictObject({
  project: ShadowProjectDoc,
  /** the set being worked on: answered and revealed counts; null when none is open */
  openSet: z
    .strictObject({
      id: Id,
      first: TrainingRef,
      answered: z.number().int(),
      revealed: z.number().int(),
      total: z.number().int(),
    })
    .nullable(),
  /** finished sets so far, and the mean score of every revealed answer */
  setsDone: z.number().int(),
  meanScore: z.number().min(0).max(1).nullable(),
});
export type ShadowSummary = z.infer<typeof ShadowSummary>;

export const TrainingOverview = z.strictObject({
  courses: z.array(CourseSummary),
  exams: z.array(ExamSummary),
  certificates: z.array(CertificateSummary),
  calibration: z.array(CalibrationSummary),
  /** projects open for shadowing (trainees) */
  shadowing: z.array(ShadowSummary).default([]),
  /** plain-word notices: re-certification due, an exam graded, a round revealed */
  notices: z.array(z.string()),
});
export type TrainingOverview = z.infer<typeof TrainingOverview>;
