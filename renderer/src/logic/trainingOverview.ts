import type { Role } from '../../../shared/identity';
import type { QueueSummary } from '../../../shared/queue';
import type { ExamDoc } from '../../../shared/training/docs';
import type { TrainingMode, TrainingRef } from '../../../shared/training/ref';
import type {
  CourseSummary,
  ExamSummary,
  TrainingContext,
  TrainingOverview,
} from '../../../shared/training/workstation';

/** Plain words and small decisions for the Training area; pure, so they are tested alone. */

export const MODE_WORDS: Record<TrainingMode, string> = {
  sandbox: 'Practice',
  exam: 'Exam',
  calibration: 'Calibration',
  shadow: 'Shadowing',
};

/** Submitted exam and calibration answers, and sandbox answers with their feedback, are not edited. */
export const isReadOnly = (training: TrainingContext | undefined): boolean =>
  training !== undefined && (training.locked || training.feedback !== null);

/** An exam's rules in plain words, one short phrase each. */
export function examRules(exam: ExamDoc): string[] {
  const hours = exam.cooldownHours;
  return [
    `${exam.draw} item${exam.draw === 1 ? '' : 's'}`,
    `pass mark ${Math.round(exam.passMark * 100)}%`,
    exam.timeLimitMin === null ? 'no time limit' : `time limit ${exam.timeLimitMin} min`,
    hours === 0 ? 'no wait between attempts' : `${hours} h wait between attempts`,
    `certificate valid ${exam.validDays} days`,
  ];
}

/** The item of an attempt (or round) to open: the first unanswered one, else the last. */
function itemAt(items: readonly { id: string }[], answered: number): string | null {
  if (!items.length) return null;
  return items[Math.min(Math.max(answered, 0), items.length - 1)]!.id;
}

/**
 * Where "Resume" lands in an open attempt. Answers are given in order (training items offer no
 * skip), so the first `answered` items are the answered ones. When the overview lists the attempt
 * without its items, the item last on screen (`lastSeen`) is the way back in.
 */
export function resumeRef(summary: ExamSummary, lastSeen?: TrainingRef): TrainingRef | null {
  const open = summary.openAttempt;
  if (!open) return null;
  const attempt = summary.attempts.find((a) => a.id === open.id);
  const taskId = attempt ? itemAt(attempt.items, open.answered) : null;
  if (taskId) return { kind: 'exam', attemptId: open.id, taskId };
  return lastSeen?.kind === 'exam' && lastSeen.attemptId === open.id ? lastSeen : null;
}

export function calibrationRef(
  round: { id: string; items: readonly { id: string }[] },
  answered: number,
): TrainingRef | null {
  const taskId = itemAt(round.items, answered);
  return taskId ? { kind: 'calibration', roundId: round.id, taskId } : null;
}

/** The course item to continue with: the first one not yet answered correctly; null when all are. */
export function continueRef(course: CourseSummary): TrainingRef | null {
  for (const module of course.modules) for (const item of module.items) if (!item.correct) return item.ref;
  return null;
}

/** Trainees without production work start in the Training area; everyone else in the queue. */
export function landsOnTraining(role: Role | undefined, summary: QueueSummary | null): boolean {
  if (role !== 'trainee') return false;
  return summary === null || summary.pending + summary.drafts === 0;
}

/** Anything to show at all: an empty overview gets one calm sentence instead of four empty sections. */
export const isEmptyOverview = (o: TrainingOverview) =>
  !o.courses.length &&
  !o.exams.length &&
  !o.certificates.length &&
  !o.calibration.length &&
  !o.shadowing.length;

/** A one-line preview of a prompt (text or the first user message) for lists. */
export function promptPreview(
  prompt: string | readonly { role: string; content: string }[],
  max = 140,
): string {
  const text =
    typeof prompt === 'string'
      ? prompt
      : ((prompt.find((m) => m.role === 'user') ?? prompt[0])?.content ?? '');
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
