import type { BootstrapOptions } from '../../shared/metrics/bootstrap';
import { sumOfUnits, withSumsInterval } from '../../shared/metrics/bootstrap';
import { nominalAgreementOfRuns } from '../../shared/metrics/count-runs';
import { PositionBias } from '../../shared/metrics/position-bias';
import { escalationRate, goldAccuracy, proportion, qaAgreement, skipRate } from '../../shared/metrics/rates';
import type { Coefficient } from '../../shared/metrics/result';
import { undefinedCoefficient } from '../../shared/metrics/result';
import type { CoefficientFigure, Figures } from '../../shared/metrics/report';
import { ActiveTime } from '../../shared/metrics/time';
import { CountsHistogram } from './histogram';
import type { TaskAgreement } from './task';
import type { QaPair } from './qa';
import { OUTCOMES } from './task';

/** How much interval work a group's figures get (docs/metrics.md, "Project metrics"). */
export interface FigureOptions {
  /** preference percent, alpha and Kendall's W intervals (false: none) */
  bootstrap: BootstrapOptions | false;
  /** per-tag coefficients: intervals (false: none) */
  tagBootstrap: BootstrapOptions | false;
  /** per-tag coefficients at all (reviewers have their own tag rows instead) */
  tags: boolean;
}

/** Agreement counts of one reviewer (or a pod's members) against their co-raters. */
export interface Comparisons {
  agreeing: number;
  compared: number;
}

/**
 * One group's figures (the scope, a pod, a reviewer, a week): labels counted by the database, then
 * one pass over the overlap tasks' labels. Memory: 8 bytes a label for active time, one number per overlap ranking task for
 * Kendall's W, and histograms (CountsHistogram) for agreement: flat in the number of labels.
 */
export class FiguresAccumulator {
  labels = 0;
  tasks = 0;
  overlapTasks = 0;
  escalated = 0;
  skipped = 0;
  gold: { correct: number; answered: number } | null = null;
  /** the members' labels beside their blind QA re-ratings */
  readonly qa: QaPair[] = [];
  readonly reviewers = new Set<string>();
  readonly time = new ActiveTime();
  readonly position = new PositionBias();
  /** raw agreement of the members with their co-raters (reviewer and pod rows, flags) */
  readonly comparisons: Comparisons = { agreeing: 0, compared: 0 };
  /** the same, and position bias, over the thresholds' rolling window */
  readonly window: Comparisons = { agreeing: 0, compared: 0 };
  readonly windowPosition = new PositionBias();
  /** per tag: comparisons on (task, response) that disagree on the tag's presence */
  readonly tagDisagreements = new Map<string, number>();
  /** comparisons on (task, response): the same denominator for every tag */
  tagCompared = 0;

  private readonly raters = new Set<string>();
  private readonly preferences = new CountsHistogram();
  /** (task, response) items by how many reviewers rated the task */
  private readonly responseItems = new Map<number, number>();
  /** per tag: the (task, response) items where someone put it, as counts [absent, present] */
  private readonly tagItems = new Map<string, CountsHistogram>();
  private readonly kendall: number[] = [];
  private readonly kendallJudges = new Set<string>();
  private kendallRankings = 0;

  /**
   * `keeps`: which per-task figures the group reports, so the others are not accumulated: tags
   * (the scope's and pods' per-tag agreement; reviewers have their own tag rows, weeks none) and
   * Kendall's W (not in the week rows).
   */
  constructor(private readonly keeps: { tags: boolean; kendall: boolean } = { tags: true, kendall: true }) {}

  /**
   * `labels` labels of one reviewer with one position code, counted by the database
   * (label-counts.ts), `inWindow` of them inside the group's window. Each counts as its own task
   * until sameTask says two of them share one. Their active times go to `time` (addAll).
   */
  addCounted(userId: string, labels: number, positionCode: string, inWindow: number): void {
    this.labels += labels;
    this.tasks += labels;
    this.reviewers.add(userId);
    this.position.addCode(positionCode, labels);
    this.windowPosition.addCode(positionCode, inWindow);
  }

  /** An overlap task with `labels` of its labels in this group: one task, not `labels`. */
  sameTask(labels: number): void {
    this.tasks -= labels - 1;
  }

  /**
   * An overlap task one of the group's members rated: its preference items that a member rated
   * (`members[i]`: label i is a member's), with every rating of those items; per-tag items over
   * every response shown; the task's Kendall's W.
   */
  addTask(task: TaskAgreement, members: readonly boolean[]): void {
    this.overlapTasks++;
    for (const row of task.labels) this.raters.add(row.userId);
    for (const item of task.preferences) {
      if (item.ratings.some((r) => members[r.label] === true)) this.preferences.add(item.counts);
    }
    const m = task.labels.length;
    if (this.keeps.tags) {
      this.responseItems.set(m, (this.responseItems.get(m) ?? 0) + task.responses);
      for (const use of task.tags) {
        let histogram = this.tagItems.get(use.tagId);
        if (!histogram) this.tagItems.set(use.tagId, (histogram = new CountsHistogram()));
        histogram.add([m - use.labels.length, use.labels.length]);
      }
    }
    if (task.kendallW !== null && this.keeps.kendall) {
      this.kendall.push(task.kendallW);
      for (const row of task.labels) {
        if (row.kind === 'ranking') {
          this.kendallJudges.add(row.userId);
          this.kendallRankings++;
        }
      }
    }
  }

  tagIds(): string[] {
    return [...this.tagItems.keys()];
  }

  figures(options: FigureOptions, tagIds: readonly string[]): Figures {
    const preferences = nominalAgreementOfRuns(this.preferences.runs(), this.raters.size, OUTCOMES, {
      bootstrap: options.bootstrap,
    });
    const pairwise = this.position.pairwise();
    const ranking = this.position.ranking();
    const time = this.time.summary();
    const finished = this.labels + this.escalated + this.skipped;
    const qa = this.qa.length > 0 ? qaAgreement(this.qa) : null;
    const hasQa = qa !== null && qa.tasks.total > 0;
    return {
      labels: this.labels,
      tasks: this.tasks,
      reviewers: this.reviewers.size,
      overlapTasks: this.overlapTasks,
      agreement: {
        pairwisePercent: coefficient(preferences.percent),
        alpha: coefficient(preferences.alpha),
        kendallW: coefficient(this.meanKendallW(options.bootstrap)),
        tags: options.tags ? tagIds.map((tagId) => this.tagAgreement(tagId, options.tagBootstrap)) : [],
      },
      gold: this.gold && this.gold.answered > 0 ? goldAccuracy(this.gold) : null,
      qa: hasQa ? qa : null,
      missing: {
        ...(this.gold && this.gold.answered > 0 ? {} : { gold: 'no gold tasks in this project' }),
        ...(hasQa ? {} : { qa: 'no QA re-ratings in this project' }),
      },
      positionBias: {
        pairwiseFirst: proportion(pairwise.firstShown, pairwise.decided),
        pairwiseTies: pairwise.ties,
        meanRankByPosition: ranking.map((p) => p.meanRank),
        expectedMeanRankByPosition: ranking.map((p) => p.expectedMeanRank),
        rankingsByPosition: ranking.map((p) => p.n),
      },
      activeTime: { medianMs: time.medianMs, p90Ms: time.p90Ms, n: time.count },
      escalation: escalationRate({ escalated: this.escalated, finished }),
      skip: skipRate({ skipped: this.skipped, finished }),
    };
  }

  /** Week rows: raw agreement and alpha without intervals. */
  agreementLite(): { raw: number | null; alpha: number | null; items: number } {
    const { percent, alpha } = nominalAgreementOfRuns(this.preferences.runs(), this.raters.size, OUTCOMES, {
      bootstrap: false,
    });
    return { raw: percent.value, alpha: alpha.value, items: percent.n.items };
  }

  private tagAgreement(tagId: string, bootstrap: BootstrapOptions | false) {
    // items where nobody put the tag: every (task, response) item minus those where someone did
    const used = this.tagItems.get(tagId) ?? new CountsHistogram();
    const usedByM = new Map<number, number>();
    const histogram = new CountsHistogram();
    for (const [key, times] of used.entries()) {
      const [absent, present] = key;
      usedByM.set(absent! + present!, (usedByM.get(absent! + present!) ?? 0) + times);
      histogram.addMany(key, times);
    }
    let ratings = 0;
    let present = 0;
    for (const [m, items] of this.responseItems) {
      histogram.addMany([m, 0], items - (usedByM.get(m) ?? 0));
      ratings += m * items;
    }
    for (const [key, times] of used.entries()) present += key[1]! * times;
    const agreement = nominalAgreementOfRuns(histogram.runs(), this.raters.size, 2, { bootstrap });
    return {
      tagId,
      prevalence: ratings ? present / ratings : 0,
      percent: coefficient(agreement.percent),
      alpha: coefficient(agreement.alpha),
    };
  }

  /** Kendall's W per overlap ranking task, averaged; the interval resamples tasks. */
  private meanKendallW(bootstrap: BootstrapOptions | false): Coefficient {
    const n = { items: this.kendall.length, raters: this.kendallJudges.size, pairable: this.kendallRankings };
    if (n.items === 0) return undefinedCoefficient('no task was ranked by two or more reviewers', n);
    const addUnit = (unit: number, out: Float64Array) => {
      out[0]! += this.kendall[unit]!;
      out[1]! += 1;
    };
    const finish = (sums: Float64Array) => sums[0]! / sums[1]!;
    const value = finish(sumOfUnits(n.items, 2, addUnit));
    return withSumsInterval<Coefficient>(
      { value, observed: null, expected: null, n },
      bootstrap,
      n.items,
      2,
      addUnit,
      finish,
    );
  }
}

/** The report's shape of a coefficient (level and disagreement details left out). */
function coefficient(c: Coefficient): CoefficientFigure {
  return {
    value: c.value,
    observed: c.observed,
    expected: c.expected,
    n: c.n,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.ci95 !== undefined ? { ci95: c.ci95 } : {}),
    ...(c.bootstrap !== undefined ? { bootstrap: c.bootstrap } : {}),
  };
}
