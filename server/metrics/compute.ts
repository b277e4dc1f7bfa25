import { PostgresAdapter } from 'kysely';
import type { Kysely } from 'kysely';
import type { BootstrapOptions } from '../../shared/metrics/bootstrap';
import type { Flag, MetricsReport, PodRow, ReviewerRow, Thresholds } from '../../shared/metrics/report';
import { flagsOf } from '../../shared/metrics/thresholds';
import type { WindowCounts } from '../../shared/metrics/thresholds';
import { mondaysBetween, weekStart } from '../../shared/metrics/weeks';
import type { Dialect } from '../db/dialect';
import type { Database } from '../db/schema';
import type { FigureOptions } from './accumulator';
import { FiguresAccumulator } from './accumulator';
import { calibrationResults } from './calibration';
import { countTaskEvents } from './events';
import { countGoldAnswers } from './gold';
import { readQaPairs } from './qa';
import { countLabels, overlapTaskIds } from './label-counts';
import type { LabelRange, MetricLabelRow } from './read-labels';
import { iterateOverlapTasks } from './read-labels';
import { loadThresholds } from './thresholds-store';
import { decodeTaskSummary, iterateTaskSummaries } from './task-summary';
import { taskAgreement } from './task';
import type { TaskAgreement } from './task';
import { WeekGrid } from './week-grid';

export interface MetricsOptions {
  projectId: string;
  /** only this pod's reviewers (pod id) */
  pod?: string | null;
  /** only this reviewer (username) */
  reviewer?: string | null;
  /** labels received at or after (ISO instant) */
  since?: string | null;
  /** labels received before (ISO instant) */
  until?: string | null;
  /** the clock (the flags' window ends at `until`, else now) */
  now?: Date;
  /** bootstrap of the scope's and the pods' coefficients (default 1000 resamples, seed 1) */
  bootstrap?: BootstrapOptions;
}

/** A project, pod or reviewer the options name does not exist. */
export class MetricsScopeError extends Error {}

const DISAGREED_ITEMS = 50;
const DAY_MS = 86_400_000;
/** Resamples for the pods' coefficients and the scope's tags: dozens of coefficients must stay quick. */
const SMALL_RESAMPLES = 200;

export const dialectOf = (db: Kysely<Database>): Dialect =>
  db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';

interface Member {
  userId: string;
  username: string;
  podId: string | null;
}

/**
 * Every figure of a project (docs/metrics.md, "Project metrics") from stored labels, skips and
 * escalations, gold answers and calibration rounds, in one pass over the labels in task order.
 * The one code path behind `metrics --project` and the dashboards.
 *
 * Scope: --pod and --reviewer choose whose figures are reported; agreement still compares them
 * with every co-rater of their overlap tasks (inside the date range), whoever that is.
 */
export async function computeMetrics(db: Kysely<Database>, options: MetricsOptions): Promise<MetricsReport> {
  const now = options.now ?? new Date();
  const range: LabelRange = { since: options.since ?? null, until: options.until ?? null };
  const project = await db
    .selectFrom('projects')
    .select(['id', 'name'])
    .where('id', '=', options.projectId)
    .executeTakeFirst();
  if (!project) throw new MetricsScopeError(`no project "${options.projectId}"`);
  const pods = await db.selectFrom('pods').select(['id', 'name']).orderBy('id').execute();
  const users = await db.selectFrom('users').select(['id', 'username', 'pod_id']).execute();
  const pod = options.pod ?? null;
  const reviewer = options.reviewer ?? null;
  if (pod !== null && !pods.some((p) => p.id === pod)) throw new MetricsScopeError(`no pod "${pod}"`);
  if (reviewer !== null && !users.some((u) => u.username === reviewer)) {
    throw new MetricsScopeError(`no user "${reviewer}"`);
  }
  const members = new Map<string, Member>();
  for (const u of users) {
    if ((pod === null || u.pod_id === pod) && (reviewer === null || u.username === reviewer)) {
      members.set(u.id, { userId: u.id, username: u.username, podId: u.pod_id });
    }
  }

  const thresholds = await loadThresholds(db, project.id);
  const windowUntil = range.until ?? now.toISOString();
  const windowSince = (bars: Thresholds) => {
    const start = new Date(Date.parse(windowUntil) - bars.windowDays * DAY_MS).toISOString();
    return range.since !== null && range.since > start ? range.since : start;
  };
  const podWindow = new Map<string | null, string>();
  const windowOf = (podId: string | null) => {
    let since = podWindow.get(podId);
    if (since === undefined) podWindow.set(podId, (since = windowSince(thresholds.of(podId))));
    return since;
  };
  const inWindow = (at: string, podId: string | null) => at >= windowOf(podId) && at < windowUntil;

  const overall = new FiguresAccumulator();
  const podGroups = new Map<string, FiguresAccumulator>();
  const reviewerGroups = new Map<string, FiguresAccumulator>();
  const weekGroups = new Map<string, FiguresAccumulator>();
  const grid = new WeekGrid();
  // what each kind of group reports (FiguresAccumulator's keeps): weeks no tags nor Kendall's W,
  // reviewers no per-tag coefficients (their tag rows come from the comparisons)
  const keeps = new Map<Map<string, FiguresAccumulator>, { tags: boolean; kendall: boolean }>([
    [weekGroups, { tags: false, kendall: false }],
    [reviewerGroups, { tags: false, kendall: true }],
  ]);
  const groupOf = (map: Map<string, FiguresAccumulator>, key: string) => {
    let group = map.get(key);
    if (!group) map.set(key, (group = new FiguresAccumulator(keeps.get(map))));
    return group;
  };
  if (pod !== null) groupOf(podGroups, pod);
  const usernames = new Map(users.map((u) => [u.id, u.username]));
  const disagreed = new LowestAgreement(DISAGREED_ITEMS, (id) => usernames.get(id) ?? id);

  // What each label adds on its own, counted by the database (label-counts.ts): labels, tasks,
  // active time, position bias (over the windows too) and the week grid's labels.
  const windowStarts = [...new Set([windowOf(null), ...[...members.values()].map((m) => windowOf(m.podId))])];
  const windows = windowStarts.map((since) => ({ since, until: windowUntil }));
  const dialect = dialectOf(db);
  for (const member of members.values()) {
    const counts = await countLabels(db, dialect, project.id, member.userId, range, windows);
    if (counts.length === 0) continue; // no row, no group: as before, reviewers without labels are not listed
    const reviewerGroup = groupOf(reviewerGroups, member.userId);
    const podGroup = member.podId !== null ? groupOf(podGroups, member.podId) : null;
    // the reviewer's active times in one array, week after week (rows come in week order)
    const times = new Float64Array(counts.reduce((sum, c) => sum + c.labels, 0));
    let at = 0;
    let weekFrom = 0;
    for (const [k, count] of counts.entries()) {
      at = parseJoined(count.activeMs, times, at);
      const within = (podId: string | null) => count.inWindow[windowStarts.indexOf(windowOf(podId))]!;
      const podWindowed = within(member.podId);
      const weekGroup = groupOf(weekGroups, count.week);
      overall.addCounted(member.userId, count.labels, count.positionCode, within(null));
      podGroup?.addCounted(member.userId, count.labels, count.positionCode, podWindowed);
      reviewerGroup.addCounted(member.userId, count.labels, count.positionCode, podWindowed);
      weekGroup.addCounted(member.userId, count.labels, count.positionCode, 0);
      grid.cell(member.userId, count.week).labels += count.labels;
      if (counts[k + 1]?.week !== count.week) {
        weekGroup.time.addAll(times.subarray(weekFrom, at));
        weekFrom = at;
      }
    }
    for (const group of [overall, podGroup, reviewerGroup]) group?.time.addAll(times.subarray(0, at));
  }

  /**
   * An overlap task (two or more labels in range): a task once per group, and its agreement
   * (taskAgreement of its rows, or the summary kept when its labels landed).
   */
  const addTask = (rows: readonly { userId: string; receivedAt: string }[], task: TaskAgreement | null) => {
    const perGroup = new Map<FiguresAccumulator, number>();
    const count = (group: FiguresAccumulator) => perGroup.set(group, (perGroup.get(group) ?? 0) + 1);
    for (const row of rows) {
      const member = members.get(row.userId);
      if (!member) continue;
      count(overall);
      if (member.podId !== null) count(groupOf(podGroups, member.podId));
      count(groupOf(reviewerGroups, member.userId));
      count(groupOf(weekGroups, weekStart(row.receivedAt)));
    }
    for (const [group, labels] of perGroup) group.sameTask(labels);
    if (task === null || task.labels.length < 2) return;
    const inScope = task.labels.map((row) => members.has(row.userId));
    if (!inScope.includes(true)) return;
    overall.addTask(task, inScope);
    groupOf(weekGroups, weekStart(task.completedAt)).addTask(task, inScope);
    const byPod = new Map<string, boolean[]>();
    inScope.forEach((isMember, i) => {
      if (!isMember) return;
      const member = members.get(task.labels[i]!.userId)!;
      if (member.podId !== null) {
        let podLabels = byPod.get(member.podId);
        if (!podLabels) byPod.set(member.podId, (podLabels = []));
        podLabels[i] = true;
      }
      const own: boolean[] = [];
      own[i] = true;
      groupOf(reviewerGroups, member.userId).addTask(task, own);
      addComparisons(task, i, member);
    });
    for (const [podId, podLabels] of byPod) groupOf(podGroups, podId).addTask(task, podLabels);
    if (task.agreement !== null) disagreed.offer(task);
  };

  /** Label i's agreement with its co-raters: preferences and tags. */
  const addComparisons = (task: TaskAgreement, i: number, member: Member) => {
    const row = task.labels[i]!;
    let agreeing = 0;
    let compared = 0;
    for (const item of task.preferences) {
      const mine = item.ratings.find((r) => r.label === i);
      if (!mine) continue;
      agreeing += item.counts[mine.outcome]! - 1;
      compared += item.ratings.length - 1;
    }
    const m = task.labels.length;
    const targets = [groupOf(reviewerGroups, member.userId)];
    if (member.podId !== null) targets.push(groupOf(podGroups, member.podId));
    const windowed = inWindow(row.receivedAt, member.podId);
    for (const group of targets) {
      group.comparisons.agreeing += agreeing;
      group.comparisons.compared += compared;
      if (windowed) {
        group.window.agreeing += agreeing;
        group.window.compared += compared;
      }
    }
    const cell = grid.cell(member.userId, weekStart(row.receivedAt));
    cell.agreeing += agreeing;
    cell.compared += compared;
    const reviewerGroup = targets[0]!;
    reviewerGroup.tagCompared += task.responses * (m - 1);
    for (const use of task.tags) {
      const k = use.labels.length;
      const disagreeing = use.labels.includes(i) ? m - k : k;
      reviewerGroup.tagDisagreements.set(
        use.tagId,
        (reviewerGroup.tagDisagreements.get(use.tagId) ?? 0) + disagreeing,
      );
    }
  };

  if (range.since === null && range.until === null) {
    // every label counts: each overlap task's agreement as kept when its labels landed
    for await (const page of iterateTaskSummaries(db, project.id))
      for (const { taskId, summary } of page) {
        const { rows, task } = decodeTaskSummary(taskId, summary);
        addTask(rows, task);
      }
  } else {
    // a date range may leave out some labels of a task: its labels in range are read and compared
    let current: MetricLabelRow[] = [];
    const add = () => addTask(current, current.length >= 2 ? taskAgreement(current) : null);
    const overlap = await overlapTaskIds(db, project.id, range);
    for await (const page of iterateOverlapTasks(db, project.id, range, overlap)) {
      for (const row of page) {
        if (current.length > 0 && current[0]!.taskId !== row.taskId) {
          add();
          current = [];
        }
        current.push(row);
      }
    }
    if (current.length > 0) add();
  }

  for (const event of await countTaskEvents(db, project.id, range)) {
    const member = members.get(event.userId);
    if (!member) continue;
    const groups = [
      overall,
      groupOf(reviewerGroups, member.userId),
      groupOf(weekGroups, weekStart(event.day)),
    ];
    if (member.podId !== null) groups.push(groupOf(podGroups, member.podId));
    for (const group of groups) {
      if (event.type === 'skip') group.skipped += event.count;
      else group.escalated += event.count;
    }
  }
  for (const gold of await countGoldAnswers(db, project.id, range)) {
    const member = members.get(gold.userId);
    if (!member) continue;
    const at = gold.day + 'T12:00:00.000Z';
    const groups = [overall, groupOf(reviewerGroups, member.userId), groupOf(weekGroups, weekStart(at))];
    if (member.podId !== null) groups.push(groupOf(podGroups, member.podId));
    for (const group of groups) {
      group.gold ??= { correct: 0, answered: 0 };
      group.gold.correct += gold.correct;
      group.gold.answered += gold.answered;
    }
    const cell = grid.cell(member.userId, weekStart(at));
    cell.goldCorrect += gold.correct;
    cell.goldAnswered += gold.answered;
  }

  for (const pair of await readQaPairs(db, project.id, range)) {
    const member = members.get(pair.userId);
    if (!member) continue;
    overall.qa.push(pair);
    if (member.podId !== null) groupOf(podGroups, member.podId).qa.push(pair);
    groupOf(reviewerGroups, member.userId).qa.push(pair);
  }

  // Interval work is bounded (docs/metrics.md, "Project metrics"): the scope's preference
  // coefficients get the full bootstrap; its tags and the pods' coefficients SMALL_RESAMPLES;
  // reviewers none (their flags carry the Wilson interval of their raw agreement instead).
  const bootstrap = options.bootstrap ?? {};
  const small = {
    ...bootstrap,
    resamples: Math.min(bootstrap.resamples ?? SMALL_RESAMPLES, SMALL_RESAMPLES),
  };
  const scopeOptions: FigureOptions = { bootstrap, tagBootstrap: small, tags: true };
  const podOptions: FigureOptions = { bootstrap: small, tagBootstrap: false, tags: true };
  const reviewerOptions: FigureOptions = { bootstrap: false, tagBootstrap: false, tags: false };
  const tagIds = overall.tagIds().sort();
  const windowCounts = (group: FiguresAccumulator): WindowCounts => {
    const first = group.windowPosition.pairwise();
    return { ...group.window, gold: null, firstShown: first.firstShown, decided: first.decided };
  };
  const windowFor = (podId: string | null) => ({ since: windowOf(podId), until: windowUntil });

  const podRows: PodRow[] = [...podGroups]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([podId, group]) => {
      const bars = thresholds.of(podId);
      const subject = { subject: 'pod' as const, podId, userId: null, username: null };
      const flags = flagsOf(subject, windowCounts(group), bars, windowFor(podId));
      return {
        podId,
        name: pods.find((p) => p.id === podId)?.name ?? podId,
        figures: group.figures(podOptions, tagIds),
        thresholds: bars,
        flags,
        holdScaling: flags.length > 0,
      };
    });
  const reviewerRows: ReviewerRow[] = [...reviewerGroups]
    .map(([userId, group]) => {
      const member = members.get(userId)!;
      const subject = { subject: 'reviewer' as const, ...member };
      return {
        userId,
        username: member.username,
        podId: member.podId,
        figures: group.figures(reviewerOptions, tagIds),
        tags: tagIds.map((tagId) => {
          const disagreeing = group.tagDisagreements.get(tagId) ?? 0;
          const n = group.tagCompared;
          return { tagId, agreement: n ? 1 - disagreeing / n : null, n };
        }),
        flags: flagsOf(subject, windowCounts(group), thresholds.of(member.podId), windowFor(member.podId)),
      };
    })
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));

  const weeks = weekRange(range, [...weekGroups.keys()], now);
  const weekRows = weeks.map((weekStart) => {
    const group = weekGroups.get(weekStart) ?? new FiguresAccumulator();
    const lite = group.agreementLite();
    const time = group.time.summary();
    const finished = group.labels + group.escalated + group.skipped;
    return {
      weekStart,
      labels: group.labels,
      agreementRaw: lite.raw,
      agreementAlpha: lite.alpha,
      agreementItems: lite.items,
      goldAccuracy: group.gold && group.gold.answered ? group.gold.correct / group.gold.answered : null,
      medianActiveMs: time.medianMs,
      p90ActiveMs: time.p90Ms,
      escalationRate: finished ? group.escalated / finished : null,
      skipRate: finished ? group.skipped / finished : null,
    };
  });

  const flags: Flag[] = [...podRows.flatMap((p) => p.flags), ...reviewerRows.flatMap((r) => r.flags)];
  const scopePods =
    pod !== null ? [pod] : [...new Set([...members.values()].flatMap((m) => (m.podId ? [m.podId] : [])))];
  return {
    projectId: project.id,
    projectName: project.name,
    scope: { pod, reviewer, since: range.since, until: range.until },
    computedAt: now.toISOString(),
    window: { since: windowOf(null), until: windowUntil, days: thresholds.project.windowDays },
    thresholds: thresholds.project,
    overall: overall.figures(scopeOptions, tagIds),
    pods: podRows,
    reviewers: reviewerRows,
    weeks: weekRows,
    byWeekByReviewer: grid.rows(weeks, reviewerRows),
    disagreedItems: disagreed.items(),
    calibration: await calibrationResults(db, reviewer === null ? scopePods.sort() : [], range),
    flags,
  };
}

/**
 * Numbers joined by ',' (a database's group_concat / string_agg of active ms) written into `into`
 * from `at`; returns where the next value goes. Whole numbers, as '61234' or SQLite's '61234.0',
 * are read digit by digit; anything else by Number().
 */
export function parseJoined(joined: string, into: Float64Array, at: number): number {
  if (joined === '') return at;
  let start = 0;
  for (;;) {
    const comma = joined.indexOf(',', start);
    const end = comma < 0 ? joined.length : comma;
    let value = 0;
    let i = start;
    for (; i < end; i++) {
      const digit = joined.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i < end && joined.charCodeAt(i) === 46 /* . */) {
      let j = i + 1;
      while (j < end && joined.charCodeAt(j) === 48 /* 0 */) j++;
      if (j === end && j > i + 1) i = end;
    }
    const whole = i === end && end > start && value <= Number.MAX_SAFE_INTEGER;
    into[at++] = whole ? value : Number(joined.slice(start, end));
    if (comma < 0) return at;
    start = comma + 1;
  }
}

/** The weeks of the report: from the range's (or the data's) first Monday to its last, no gaps. */
function weekRange(range: LabelRange, seen: string[], now: Date): string[] {
  if (seen.length === 0 && range.since === null) return [];
  const sorted = seen.sort();
  const first = range.since !== null ? weekStart(range.since) : sorted[0]!;
  const lastInstant = range.until !== null ? new Date(Date.parse(range.until) - 1).toISOString() : null;
  const last =
    lastInstant !== null
      ? weekStart(lastInstant)
      : (sorted[sorted.length - 1] ?? weekStart(now.toISOString()));
  return mondaysBetween(first, last);
}

/** The `size` overlap tasks of lowest agreement seen so far (lowest first; ties by task id). */
class LowestAgreement {
  private readonly kept: MetricsReport['disagreedItems'] = [];

  constructor(
    private readonly size: number,
    private readonly nameOf: (userId: string) => string,
  ) {}

  offer(task: TaskAgreement): void {
    const agreement = task.agreement!;
    const worst = this.kept[this.kept.length - 1];
    if (this.kept.length === this.size && worst && !before(agreement, task.taskId, worst)) return;
    const entry = {
      taskId: task.taskId,
      kind: task.kind,
      agreement,
      labels: task.labels.length,
      usernames: task.labels.map((r) => this.nameOf(r.userId)).sort(),
    };
    let at = this.kept.findIndex((k) => before(agreement, task.taskId, k));
    if (at < 0) at = this.kept.length;
    this.kept.splice(at, 0, entry);
    if (this.kept.length > this.size) this.kept.pop();
  }

  items(): MetricsReport['disagreedItems'] {
    return this.kept;
  }
}

const before = (agreement: number, taskId: string, other: { agreement: number; taskId: string }) =>
  agreement < other.agreement || (agreement === other.agreement && taskId < other.taskId);
