import type { Label } from '../label';
import { kendallTauB } from './kendall';
import { preferencesOfLabel } from './preferences';
import type { JudgedLabel } from './preferences';
import { wilsonInterval } from './wilson';

/** A share with its counts and Wilson 95% interval; share and interval null when total is 0. */
export interface Proportion {
  successes: number;
  total: number;
  share: number | null;
  ci95: [number, number] | null;
}

export function proportion(successes: number, total: number): Proportion {
  return {
    successes,
    total,
    share: total > 0 ? successes / total : null,
    ci95: wilsonInterval(successes, total),
  };
}

/** Escalated tasks over tasks finished (submitted + escalated + skipped). */
export const escalationRate = (c: { escalated: number; finished: number }) =>
  proportion(c.escalated, c.finished);
/** Skipped tasks over tasks finished (submitted + escalated + skipped). */
export const skipRate = (c: { skipped: number; finished: number }) => proportion(c.skipped, c.finished);
/** Gold items answered correctly over gold items answered. */
export const goldAccuracy = (c: { correct: number; answered: number }) => proportion(c.correct, c.answered);

export interface QaAgreement {
  /** tasks where the re-rater's judgement equals the reviewer's (same preferred response; same ranking) */
  tasks: Proportion;
  /** implied pairwise preferences the two share, over all pairs both judged */
  pairs: Proportion;
  /** mean Kendall tau-b between the rankings (null: no ranking pair with tau-b defined) */
  meanTauB: number | null;
}

type Judged = JudgedLabel & Pick<Label, 'taskId'>;

/** Agreement of reviewers' labels with a blind QA re-rating of the same tasks. */
export function qaAgreement(pairs: Iterable<{ original: Judged; rerate: Judged }>): QaAgreement {
  let tasks = 0;
  let sameTasks = 0;
  let pairCount = 0;
  let samePairs = 0;
  let tauSum = 0;
  let tauCount = 0;
  for (const { original, rerate } of pairs) {
    const mine = new Map(preferencesOfLabel(original).map((p) => [`${p.a} ${p.b}`, p.outcome]));
    const theirs = preferencesOfLabel(rerate);
    let compared = 0;
    let agreeing = 0;
    for (const p of theirs) {
      const outcome = mine.get(`${p.a} ${p.b}`);
      if (outcome === undefined) continue;
      compared++;
      if (outcome === p.outcome) agreeing++;
    }
    if (compared === 0) continue;
    tasks++;
    if (agreeing === compared && compared === mine.size && compared === theirs.length) sameTasks++;
    pairCount += compared;
    samePairs += agreeing;
    if (original.kind === 'ranking' && original.ranks && rerate.ranks) {
      const tau = kendallTauB(original.ranks, rerate.ranks);
      if (tau !== null) {
        tauSum += tau;
        tauCount++;
      }
    }
  }
  return {
    tasks: proportion(sameTasks, tasks),
    pairs: proportion(samePairs, pairCount),
    meanTauB: tauCount ? tauSum / tauCount : null,
  };
}
