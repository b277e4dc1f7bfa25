import type { Flag, LeadAction, Thresholds } from './report';
import { HOLD_SCALING } from './report';
import { proportion } from './rates';

/**
 * Thresholds and flags (docs/metrics.md, "Thresholds and flags"): a reviewer or pod whose figures
 * over the rolling window cross a bar is flagged with the numbers that did it and the lead's
 * suggested actions. Pure: the server counts, this judges.
 */

/** The bars when a project sets none (the example values). */
export const DEFAULT_THRESHOLDS: Thresholds = {
  minAgreement: 0.6,
  maxGoldError: 0.2,
  maxPositionBias: 0.15,
  windowDays: 28,
  minN: 30,
  source: 'default',
};

/** What the flags look at: counts over the window, for one reviewer or one pod. */
export interface WindowCounts {
  /** (reviewer, co-rater) comparisons of implied preferences on overlap tasks, and how many agree */
  agreeing: number;
  compared: number;
  /** gold answers and correct ones; null when there is no gold data */
  gold: { correct: number; answered: number } | null;
  /** pairwise choices (not ties) and those for the response shown first */
  firstShown: number;
  decided: number;
}

export interface FlagSubject {
  subject: 'reviewer' | 'pod';
  podId: string | null;
  userId: string | null;
  username: string | null;
}

export interface Window {
  since: string;
  until: string;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The flags of one subject. A figure is judged only with at least `minN` observations behind it.
 * Suggested actions: reviewers below the agreement bar get coaching, and restriction when even the
 * interval's upper end is below (not noise); above the gold error bar, coaching and
 * re-certification, and restriction when the interval's lower end is above; position bias,
 * coaching. Pods: "hold scaling: fix guidelines first" (HOLD_SCALING) and coaching.
 */
export function flagsOf(who: FlagSubject, counts: WindowCounts, bars: Thresholds, window: Window): Flag[] {
  const flags: Flag[] = [];
  const base = { ...who, windowSince: window.since, windowUntil: window.until };
  const pod = who.subject === 'pod';
  const name = pod ? `pod ${who.podId}` : (who.username ?? who.userId ?? '?');
  const tail = pod ? `; ${HOLD_SCALING}` : '';
  const podActions: LeadAction[] = ['hold-scaling', 'coaching'];

  if (counts.compared >= bars.minN) {
    const share = proportion(counts.agreeing, counts.compared);
    if (share.share! < bars.minAgreement) {
      const clear = share.ci95 !== null && share.ci95[1] < bars.minAgreement;
      flags.push({
        ...base,
        metric: 'agreement',
        value: share.share!,
        threshold: bars.minAgreement,
        n: counts.compared,
        ci95: share.ci95,
        message: `${name}: agreement ${percent(share.share!)} over ${counts.compared} comparisons is below ${percent(bars.minAgreement)}${tail}`,
        actions: pod ? podActions : clear ? ['coaching', 'restriction'] : ['coaching'],
      });
    }
  }

  if (counts.gold && counts.gold.answered >= bars.minN) {
    const wrong = proportion(counts.gold.answered - counts.gold.correct, counts.gold.answered);
    if (wrong.share! > bars.maxGoldError) {
      const clear = wrong.ci95 !== null && wrong.ci95[0] > bars.maxGoldError;
      flags.push({
        ...base,
        metric: 'goldError',
        value: wrong.share!,
        threshold: bars.maxGoldError,
        n: counts.gold.answered,
        ci95: wrong.ci95,
        message: `${name}: gold error ${percent(wrong.share!)} over ${counts.gold.answered} gold tasks is above ${percent(bars.maxGoldError)}${tail}`,
        actions: pod
          ? podActions
          : clear
            ? ['coaching', 're-certification', 'restriction']
            : ['coaching', 're-certification'],
      });
    }
  }

  if (counts.decided >= bars.minN) {
    const first = proportion(counts.firstShown, counts.decided);
    const bias = Math.abs(first.share! - 0.5);
    if (bias > bars.maxPositionBias) {
      flags.push({
        ...base,
        metric: 'positionBias',
        value: bias,
        threshold: bars.maxPositionBias,
        n: counts.decided,
        ci95: first.ci95,
        message: `${name}: ${percent(first.share!)} of ${counts.decided} pairwise choices went to the response shown first (|share - 50%| ${percent(bias)} above ${percent(bars.maxPositionBias)})${tail}`,
        actions: pod ? podActions : ['coaching'],
      });
    }
  }
  return flags;
}
