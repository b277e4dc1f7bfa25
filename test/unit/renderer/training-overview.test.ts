import { describe, expect, it } from 'vitest';
import type { QueueSummary } from '../../../shared/queue';
import type { Task } from '../../../shared/task';
import { ExamDoc } from '../../../shared/training/docs';
import type { CourseSummary, ExamSummary, TrainingContext } from '../../../shared/training/workstation';
import { findSection, slugify, splitSections } from '../../../renderer/src/logic/guidelineSections';
import {
  calibrationRef,
  continueRef,
  examRules,
  isEmptyOverview,
  isReadOnly,
  landsOnTraining,
  promptPreview,
  resumeRef,
} from '../../../renderer/src/logic/trainingOverview';

const exam = ExamDoc.parse({
  kind: 'exam',
  id: 'e1',
  title: 'Helpfulness ranking',
  skill: 'helpfulness-ranking',
  draw: 10,
  passMark: 0.8,
  maxAttempts: 3,
  cooldownHours: 24,
  timeLimitMin: 30,
  validDays: 180,
  guidelineId: 'g1',
});

const task = (id: string): Task => ({
  id,
  kind: 'pairwise',
  prompt: `Prompt ${id}`,
  responses: [
    { id: 'a', text: 'A' },
    { id: 'b', text: 'B' },
  ],
});

const summary = (over: Partial<ExamSummary>): ExamSummary => ({
  exam,
  attemptsUsed: 0,
  attemptsLeft: 3,
  nextAttemptAt: null,
  blockedReason: null,
  openAttempt: null,
  attempts: [],
  ...over,
});

describe('exam rules in plain words', () => {
  it('names items, pass mark, time limit, wait and validity', () => {
    expect(examRules(exam)).toEqual([
      '10 items',
      'pass mark 80%',
      'time limit 30 min',
      '24 h wait between attempts',
      'certificate valid 180 days',
    ]);
    expect(examRules({ ...exam, draw: 1, timeLimitMin: null, cooldownHours: 0 })).toEqual([
      '1 item',
      'pass mark 80%',
      'no time limit',
      'no wait between attempts',
      'certificate valid 180 days',
    ]);
  });
});

describe('where Resume goes', () => {
  const open = { id: 'at1', deadline: null, answered: 2, total: 3, unsent: 1 };
  const attempt = {
    kind: 'attempt' as const,
    id: 'at1',
    examId: 'e1',
    number: 1,
    startedAt: '2026-11-29T09:00:00.000Z',
    deadline: null,
    items: [task('t1'), task('t2'), task('t3')],
    state: 'open' as const,
    result: null,
  };

  it('opens the first unanswered item of the open attempt', () => {
    expect(resumeRef(summary({ openAttempt: open, attempts: [attempt] }))).toEqual({
      kind: 'exam',
      attemptId: 'at1',
      taskId: 't3',
    });
    expect(resumeRef(summary({ openAttempt: { ...open, answered: 0 }, attempts: [attempt] }))?.taskId).toBe(
      't1',
    );
  });

  it('stays on the last item when every item is answered', () => {
    expect(resumeRef(summary({ openAttempt: { ...open, answered: 3 }, attempts: [attempt] }))?.taskId).toBe(
      't3',
    );
  });

  it('falls back to the item last on screen when the attempt is listed without its items', () => {
    const seen = { kind: 'exam' as const, attemptId: 'at1', taskId: 't2' };
    expect(resumeRef(summary({ openAttempt: open }), seen)).toEqual(seen);
    expect(resumeRef(summary({ openAttempt: open }), { ...seen, attemptId: 'other' })).toBeNull();
    expect(resumeRef(summary({ openAttempt: open }))).toBeNull();
  });

  it('has nothing to resume without an open attempt', () => {
    expect(resumeRef(summary({ attempts: [attempt] }))).toBeNull();
  });

  it('opens the first unanswered item of a calibration round', () => {
    const round = { id: 'cal1', items: [task('c1'), task('c2')] };
    expect(calibrationRef(round, 1)).toEqual({ kind: 'calibration', roundId: 'cal1', taskId: 'c2' });
    expect(calibrationRef({ id: 'cal1', items: [] }, 0)).toBeNull();
  });
});

describe('course progress', () => {
  const item = (taskId: string, correct: boolean) => ({
    ref: { kind: 'sandbox' as const, courseId: 'c', taskId },
    promptPreview: taskId,
    attempts: correct ? 1 : 0,
    bestScore: correct ? 1 : null,
    correct,
  });
  const course = (modules: boolean[][]): CourseSummary => ({
    id: 'c',
    title: 'Course',
    description: '',
    modules: modules.map((items, m) => ({
      id: `m${m}`,
      title: `M${m}`,
      lesson: '',
      items: items.map((correct, i) => item(`m${m}i${i}`, correct)),
    })),
    progress: { done: 0, total: 0 },
  });

  it('continues with the first item not yet answered correctly, across modules', () => {
    expect(continueRef(course([[true, false], [false]]))?.taskId).toBe('m0i1');
    expect(continueRef(course([[true, true], [false]]))?.taskId).toBe('m1i0');
    expect(continueRef(course([[true], [true]]))).toBeNull();
  });
});

describe('read-only training items', () => {
  const context = (over: Partial<TrainingContext>): TrainingContext => ({
    ref: { kind: 'sandbox', courseId: 'c', taskId: 't' },
    title: 'Course',
    section: null,
    position: { index: 1, count: 1 },
    deadline: null,
    locked: false,
    feedback: null,
    key: null,
    attempts: 0,
    next: null,
    ...over,
  });

  it('locks submitted exam and round answers and practice answers showing feedback', () => {
    expect(isReadOnly(undefined)).toBe(false);
    expect(isReadOnly(context({}))).toBe(false);
    expect(isReadOnly(context({ locked: true }))).toBe(true);
    const feedback = {
      score: 1,
      correct: true,
      judgement: {
        kind: 'pairwise' as const,
        correct: true,
        score: 1,
        directionCorrect: true,
        strengthInBand: null,
        expected: { preferred: null, strengths: [] },
        given: { preferred: null, choice: 'tie' as const, strength: null },
      },
      tags: { score: 1, checks: [], unmentioned: [] },
      explanation: 'x',
      responseNotes: {},
      guidelineSection: null,
    };
    expect(isReadOnly(context({ feedback }))).toBe(true);
  });
});

describe('landing after sign-in', () => {
  const counts = (pending: number, drafts: number): QueueSummary => ({
    pending,
    drafts,
    submitted: 0,
    escalated: 0,
    skipped: 0,
    total: pending + drafts,
    currentTaskId: null,
  });

  it('sends trainees without production work to Training, everyone else to the queue', () => {
    expect(landsOnTraining('trainee', counts(0, 0))).toBe(true);
    expect(landsOnTraining('trainee', null)).toBe(true);
    expect(landsOnTraining('trainee', counts(3, 0))).toBe(false);
    expect(landsOnTraining('trainee', counts(0, 1))).toBe(false);
    expect(landsOnTraining('reviewer', counts(0, 0))).toBe(false);
    expect(landsOnTraining(undefined, counts(0, 0))).toBe(false);
  });

  it('treats an overview with nothing in it as empty', () => {
    const empty = {
      courses: [],
      exams: [],
      certificates: [],
      calibration: [],
      shadowing: [],
      notices: ['x'],
    };
    expect(isEmptyOverview(empty)).toBe(true);
    expect(isEmptyOverview({ ...empty, exams: [summary({})] })).toBe(false);
    const shadowing = {
      project: { kind: 'shadow-project' as const, id: 'p', name: 'P', setSize: 5, open: true },
      openSet: null,
      setsDone: 0,
      meanScore: null,
    };
    expect(isEmptyOverview({ ...empty, shadowing: [shadowing] })).toBe(false);
  });
});

describe('prompt previews', () => {
  it('takes one line of a text prompt, or the first user message of a conversation', () => {
    expect(promptPreview('  What is\n\nthe capital?  ')).toBe('What is the capital?');
    expect(
      promptPreview([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ]),
    ).toBe('Hello there');
    expect(promptPreview('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('"Read the guideline section"', () => {
  const sections = splitSections('# Intro\nHello\n## Rank 1: Safety first\nText\n## Tie rules\nMore', [
    { title: 'Golden: a tie', markdown: 'x' },
  ]);

  it('finds a section by its heading text in any case, or by its slug', () => {
    expect(findSection(sections, 'Tie rules')?.title).toBe('Tie rules');
    expect(findSection(sections, 'tie RULES')?.title).toBe('Tie rules');
    expect(findSection(sections, 'rank-1-safety-first')?.title).toBe('Rank 1: Safety first');
    expect(findSection(sections, '#rank-1-safety-first')?.title).toBe('Rank 1: Safety first');
    expect(findSection(sections, 'Golden: a tie')?.kind).toBe('example');
  });

  it('finds nothing for an unknown or empty name', () => {
    expect(findSection(sections, 'Pairwise strength')).toBeNull();
    expect(findSection(sections, '  ')).toBeNull();
  });

  it('slugs headings as Markdown anchors do', () => {
    expect(slugify('Rank 1: Safety first')).toBe('rank-1-safety-first');
    expect(slugify('  Ünïcode — titles ')).toBe('ünïcode-titles');
  });
});
