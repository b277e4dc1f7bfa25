import type {
  CalibrationDoc,
  CourseDoc,
  ShadowProjectDoc,
  ShadowSetDoc,
} from '../../../shared/training/docs';
import { trainingRefKey, type TrainingRef } from '../../../shared/training/ref';
import { certificateStatus, examStanding, standingMessage } from '../../../shared/training/standing';
import type {
  CourseSummary,
  ExamSummary,
  ShadowSummary,
  TrainingOverview,
} from '../../../shared/training/workstation';
import { promptPreview } from '../preview';
import type { TrainingAnswers } from './answers-store';
import type { TrainingDocs } from './docs-store';
import { trainingNotices } from './notices';

function courseSummary(course: CourseDoc, answers: TrainingAnswers, owner: string): CourseSummary {
  const tries = answers.tryStats(owner, course.id);
  let done = 0;
  let total = 0;
  const modules = course.modules.map((module) => ({
    id: module.id,
    title: module.title,
    lesson: module.lesson,
    items: module.items.map((item) => {
      const ref: TrainingRef = { kind: 'sandbox', courseId: course.id, taskId: item.task.id };
      const stats = tries.get(trainingRefKey(ref));
      total += 1;
      if (stats?.correct) done += 1;
      return {
        ref,
        promptPreview: promptPreview(item.task.prompt),
        attempts: stats?.attempts ?? 0,
        bestScore: stats?.bestScore ?? null,
        correct: stats?.correct ?? false,
      };
    }),
  }));
  return {
    id: course.id,
    title: course.title,
    description: course.description,
    modules,
    progress: { done, total },
  };
}

/**
 * A project open for shadowing (or closed with a set still to finish): the open set with how much
 * of it is answered here and revealed by the server, finished sets, and the mean revealed score.
 */
function shadowSummary(
  project: ShadowProjectDoc,
  sets: readonly ShadowSetDoc[],
  answers: TrainingAnswers,
  owner: string,
): ShadowSummary {
  let setsDone = 0;
  let openSet: ShadowSummary['openSet'] = null;
  const scores: number[] = [];
  for (const set of [...sets].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    for (const result of set.results) scores.push(result.feedback.score);
    const answered = answers.submittedIn(owner, 'shadow', set.id);
    if (answered >= set.items.length) {
      setsDone += 1;
      continue;
    }
    openSet ??= {
      id: set.id,
      first: {
        kind: 'shadow',
        setId: set.id,
        taskId: set.items[Math.min(answered, set.items.length - 1)]!.id,
      },
      answered,
      revealed: set.results.length,
      total: set.items.length,
    };
  }
  return {
    project,
    openSet,
    setsDone,
    meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
  };
}

/**
 * The Training area from what the last sync brought and the answers on this computer. Exam
 * standing is the server's own rule (shared/training/standing.ts), so attempts left and cool-downs
 * shown offline are what the server will enforce.
 */
export function trainingOverview(
  docs: TrainingDocs,
  answers: TrainingAnswers,
  owner: string,
  now: Date,
): TrainingOverview {
  const exams = docs.exams();
  const attempts = docs.attempts();
  const certificates = docs.certificates();
  const rounds = docs.rounds();
  const byTitle = (a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title);

  const examSummaries = [...exams].sort(byTitle).map((exam): ExamSummary => {
    const mine = attempts.filter((a) => a.examId === exam.id);
    const standing = examStanding(exam, mine, certificates, now);
    const open = mine.find((a) => a.state === 'open') ?? null;
    return {
      exam,
      attemptsUsed: standing.attemptsUsed,
      attemptsLeft: standing.attemptsLeft,
      nextAttemptAt: standing.nextAttemptAt,
      blockedReason: standingMessage(exam, standing),
      openAttempt: open && {
        id: open.id,
        deadline: open.deadline,
        answered: answers.submittedIn(owner, 'exam', open.id),
        total: open.items.length,
        unsent: answers.unsentIn(owner, 'exam', open.id),
      },
      attempts: [...mine].sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    };
  });

  // open rounds by due date, then revealed ones newest first
  const roundOrder = (a: CalibrationDoc, b: CalibrationDoc) => {
    if (a.reveal && b.reveal) return b.reveal.revealedAt.localeCompare(a.reveal.revealedAt);
    if (a.reveal || b.reveal) return a.reveal ? 1 : -1;
    return a.dueAt.localeCompare(b.dueAt);
  };
  return {
    courses: docs
      .courses()
      .sort(byTitle)
      .map((course) => courseSummary(course, answers, owner)),
    exams: examSummaries,
    certificates: [...certificates]
      .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt))
      .map((cert) => ({ ...cert, status: certificateStatus(cert, now) })),
    calibration: [...rounds].sort(roundOrder).map((round) => ({
      round,
      answered: answers.submittedIn(owner, 'calibration', round.id),
      total: round.items.length,
    })),
    shadowing: docs
      .shadowProjects()
      .map((project) => ({ project, sets: docs.shadowSets().filter((s) => s.projectId === project.id) }))
      .map(({ project, sets }) => shadowSummary(project, sets, answers, owner))
      .filter((summary) => summary.project.open || summary.openSet !== null)
      .sort((a, b) => a.project.name.localeCompare(b.project.name)),
    notices: trainingNotices({ exams, attempts, certificates, rounds }, now),
  };
}
