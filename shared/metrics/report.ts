import { z } from 'zod';

/**
 * A project's metrics report (issue 9, "Project metrics"): what `metrics --project P` prints and
 * what the dashboards draw. One producer (server/metrics/compute.ts, computeMetrics), so the CLI
 * and the dashboards show the same numbers. docs/metrics.md defines every figure.
 */

const Count = z.number().int().min(0);
const Share = z.number().min(0).max(1);
const Interval = z.tuple([z.number(), z.number()]);
/** An ISO-8601 UTC datetime (`Date.toISOString()`). */
const Instant = z.string();
/** A calendar day, YYYY-MM-DD (UTC). */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Sample size of a coefficient (shared/metrics/result.ts SampleSize). */
export const SampleSizeSchema = z.object({
  /** items that entered the coefficient */
  items: Count,
  /** distinct raters that gave a value */
  raters: Count,
  /** values in items with two or more values */
  pairable: Count,
});

/** A coefficient beside its raw agreement (shared/metrics/result.ts Coefficient). */
export const CoefficientSchema = z.object({
  /** the coefficient; null when undefined (see reason) */
  value: z.number().nullable(),
  /** raw (observed) agreement 0..1 */
  observed: z.number().nullable(),
  /** agreement expected by chance 0..1, where the coefficient defines one */
  expected: z.number().nullable(),
  n: SampleSizeSchema,
  /** why value is null */
  reason: z.string().optional(),
  /** percentile bootstrap 95% interval; null when none could be formed */
  ci95: Interval.nullable().optional(),
  /** resamples drawn (0 = none) and the generator's seed */
  bootstrap: z.object({ resamples: Count, seed: z.number() }).optional(),
});
export type CoefficientFigure = z.infer<typeof CoefficientSchema>;

/** A share with counts and Wilson 95% interval (shared/metrics/rates.ts Proportion). */
export const ProportionSchema = z.object({
  successes: Count,
  total: Count,
  /** successes / total; null when total is 0 */
  share: Share.nullable(),
  ci95: Interval.nullable(),
});
export type ProportionFigure = z.infer<typeof ProportionSchema>;

/** Agreement on one failure-mode tag: present/absent per (overlap task, response shown). */
export const TagAgreementSchema = z.object({
  tagId: z.string(),
  /** share of (task, response) ratings carrying the tag */
  prevalence: Share,
  /** percent agreement on present/absent */
  percent: CoefficientSchema,
  /** Krippendorff's alpha, nominal, on present/absent */
  alpha: CoefficientSchema,
});

/** Agreement of one reviewer with the co-raters of their overlap tasks on one tag. */
export const ReviewerTagAgreementSchema = z.object({
  tagId: z.string(),
  /** share of (reviewer, co-rater) comparisons on a (task, response) that agree on the tag's presence */
  agreement: Share.nullable(),
  /** comparisons */
  n: Count,
});

/** Agreement with the blind QA re-rater (shared/metrics/rates.ts QaAgreement). */
export const QaFigureSchema = z.object({
  /** tasks whose re-rating gives the same judgement */
  tasks: ProportionSchema,
  /** implied pair preferences in common over pairs both judged */
  pairs: ProportionSchema,
  /** mean Kendall tau-b over ranking pairs */
  meanTauB: z.number().nullable(),
});

export const FiguresSchema = z.object({
  /** labels in scope (latest revision each) */
  labels: Count,
  /** distinct tasks those labels are on */
  tasks: Count,
  /** distinct reviewers who wrote them */
  reviewers: Count,
  /** tasks in scope with two or more labels (the overlap tasks agreement is computed on) */
  overlapTasks: Count,
  agreement: z.object({
    /** percent agreement on implied pairwise preferences (item = task and response pair) */
    pairwisePercent: CoefficientSchema,
    /** Krippendorff's alpha, nominal (a / b / tie), on the same items */
    alpha: CoefficientSchema,
    /** Kendall's W: mean over overlap ranking tasks of the task's W (n.items = tasks) */
    kendallW: CoefficientSchema,
    /** per-tag agreement on overlap tasks */
    tags: z.array(TagAgreementSchema),
  }),
  /** gold accuracy: correct / answered gold tasks; null when there is no gold data (see missing) */
  gold: ProportionSchema.nullable(),
  /** agreement with the QA re-rater; null when there are no QA re-ratings (see missing) */
  qa: QaFigureSchema.nullable(),
  /** why a null figure (gold, qa) is null */
  missing: z.object({ gold: z.string().optional(), qa: z.string().optional() }),
  positionBias: z.object({
    /** pairwise labels: decided choices that went to the response shown first (0.5 = no bias) */
    pairwiseFirst: ProportionSchema,
    /** pairwise ties (left out of pairwiseFirst) */
    pairwiseTies: Count,
    /** rankings: mean rank given to the response in shown position 1, 2, … */
    meanRankByPosition: z.array(z.number()),
    /** the mean rank each position would get with no bias */
    expectedMeanRankByPosition: z.array(z.number()),
    /** rankings that had a response in each position */
    rankingsByPosition: z.array(Count),
  }),
  /** active time per label (measured, focused and not idle) */
  activeTime: z.object({ medianMs: z.number().nullable(), p90Ms: z.number().nullable(), n: Count }),
  /** escalated / finished (labels + escalations + skips) */
  escalation: ProportionSchema,
  /** skipped / finished */
  skip: ProportionSchema,
});
export type Figures = z.infer<typeof FiguresSchema>;

export const FLAG_METRICS = ['agreement', 'goldError', 'positionBias'] as const;
export const FlagMetric = z.enum(FLAG_METRICS);
export type FlagMetric = z.infer<typeof FlagMetric>;
export const LEAD_ACTIONS = ['coaching', 'restriction', 're-certification', 'hold-scaling'] as const;
export const LeadAction = z.enum(LEAD_ACTIONS);
export type LeadAction = z.infer<typeof LeadAction>;

/** The bars a project (or one of its pods) holds its reviewers to (shared/metrics/thresholds.ts). */
export const ThresholdsSchema = z.object({
  /** minimum raw pairwise agreement with co-raters, 0..1 */
  minAgreement: Share,
  /** maximum gold error rate (1 - gold accuracy), 0..1 */
  maxGoldError: Share,
  /** maximum |share of pairwise choices for the first shown - 0.5|, 0..0.5 */
  maxPositionBias: z.number().min(0).max(0.5),
  /** the rolling window the flags look at, in days, ending at the report's `until` (or now) */
  windowDays: z.number().int().min(1).max(3660),
  /** fewest observations (comparisons, gold answers, decided choices) a flag needs */
  minN: z.number().int().min(1),
  /** where these came from: the pod's row, the project's row, or the defaults */
  source: z.enum(['pod', 'project', 'default']),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/** A reviewer or pod below a bar, with the numbers that triggered it and what a lead can do. */
export const FlagSchema = z.object({
  subject: z.enum(['reviewer', 'pod']),
  podId: z.string().nullable(),
  /** reviewer flags only */
  userId: z.string().nullable(),
  username: z.string().nullable(),
  metric: FlagMetric,
  /** the figure in the window (agreement share, gold error rate, |first share - 0.5|) */
  value: z.number(),
  /** the bar it crossed */
  threshold: z.number(),
  /** observations behind value */
  n: Count,
  /** Wilson 95% interval of the underlying share, when there is one */
  ci95: Interval.nullable(),
  /** the window the value was computed over */
  windowSince: Instant,
  windowUntil: Instant,
  /** one line for the lead, numbers included */
  message: z.string(),
  /** suggested actions, most gentle first */
  actions: z.array(LeadAction),
});
export type Flag = z.infer<typeof FlagSchema>;

export { HOLD_SCALING } from './verdicts';

export const PodRowSchema = z.object({
  podId: z.string(),
  name: z.string(),
  figures: FiguresSchema,
  thresholds: ThresholdsSchema,
  flags: z.array(FlagSchema),
  /** true when the pod's own figures cross a bar: the admin view shows HOLD_SCALING */
  holdScaling: z.boolean(),
});

export const ReviewerRowSchema = z.object({
  userId: z.string(),
  username: z.string(),
  podId: z.string().nullable(),
  /** agreement figures are over the overlap items this reviewer rated (all raters' values) */
  figures: FiguresSchema,
  /** this reviewer's agreement with co-raters per tag */
  tags: z.array(ReviewerTagAgreementSchema),
  flags: z.array(FlagSchema),
});

/** One week (Monday 00:00 UTC to the next) of the scope's figures, for trend charts. */
export const WeekRowSchema = z.object({
  /** the Monday the week starts on */
  weekStart: Day,
  labels: Count,
  /** raw pairwise percent agreement and nominal alpha over items completed that week (no interval) */
  agreementRaw: z.number().nullable(),
  agreementAlpha: z.number().nullable(),
  /** preference items behind them */
  agreementItems: Count,
  goldAccuracy: z.number().nullable(),
  medianActiveMs: z.number().nullable(),
  p90ActiveMs: z.number().nullable(),
  escalationRate: z.number().nullable(),
  skipRate: z.number().nullable(),
});

/**
 * A pod chart's grid (weeks x reviewers), column arrays aligned with `weeks`: compact enough for
 * 52 weeks x 50 reviewers.
 */
export const WeekByReviewerSchema = z.object({
  /** Mondays, ascending, no gaps: the same as report.weeks[].weekStart */
  weeks: z.array(Day),
  reviewers: z.array(
    z.object({
      userId: z.string(),
      username: z.string(),
      podId: z.string().nullable(),
      /** labels per week */
      labels: z.array(Count),
      /** raw agreement with co-raters per week (null: no comparison) */
      agreement: z.array(Share.nullable()),
      /** comparisons behind agreement per week */
      agreementN: z.array(Count),
      /** gold accuracy per week (null: no gold answered) */
      goldAccuracy: z.array(Share.nullable()),
    }),
  ),
});

/** One overlap task, for the item disagreement explorer. */
export const DisagreedItemSchema = z.object({
  taskId: z.string(),
  kind: z.enum(['ranking', 'pairwise']),
  /** mean share of agreeing reviewer pairs over the task's response pairs */
  agreement: Share,
  /** labels on the task */
  labels: Count,
  usernames: z.array(z.string()),
});

/** A revealed calibration round of a pod in scope. */
export const CalibrationRowSchema = z.object({
  roundId: z.string(),
  podId: z.string(),
  title: z.string(),
  revealedAt: Instant,
  /** mean over members who answered of their agreement with the other members (null: none) */
  meanAgreement: Share.nullable(),
  /** members at publication */
  members: Count,
  /** members who answered at least one item */
  answered: Count,
});

export const MetricsReportSchema = z.object({
  projectId: z.string(),
  projectName: z.string(),
  /** the filters: pod id, reviewer username, received_at bounds (null = open) */
  scope: z.object({
    pod: z.string().nullable(),
    reviewer: z.string().nullable(),
    since: Instant.nullable(),
    until: Instant.nullable(),
  }),
  computedAt: Instant,
  /** the rolling window the flags were computed over (the project's thresholds' windowDays) */
  window: z.object({ since: Instant, until: Instant, days: z.number().int() }),
  /** the project-level bars (pods may override: pods[].thresholds) */
  thresholds: ThresholdsSchema,
  /** the whole scope */
  overall: FiguresSchema,
  pods: z.array(PodRowSchema),
  reviewers: z.array(ReviewerRowSchema),
  weeks: z.array(WeekRowSchema),
  byWeekByReviewer: WeekByReviewerSchema,
  /** lowest-agreement overlap tasks, lowest first (at most 50) */
  disagreedItems: z.array(DisagreedItemSchema),
  calibration: z.array(CalibrationRowSchema),
  /** every flag of pods and reviewers, pods first */
  flags: z.array(FlagSchema),
});
export type MetricsReport = z.infer<typeof MetricsReportSchema>;
export type PodRow = z.infer<typeof PodRowSchema>;
export type ReviewerRow = z.infer<typeof ReviewerRowSchema>;
export type WeekRow = z.infer<typeof WeekRowSchema>;
