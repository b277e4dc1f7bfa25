import { expect, it } from 'vitest';
import { MetricsReportSchema } from '../../../../shared/metrics/report';
import { computeMetrics, MetricsScopeError } from '../../../../server/metrics/compute';
import { saveThresholds } from '../../../../server/metrics/thresholds-store';
import { describeEachDb, useFreshDb } from '../each-db';
import { NOW, seedMetricsProject, seedQaRatings } from './seed';

// Hand-computed figures of the seeded project (seed.ts). Implied preferences (item = task and
// response pair; a = first id preferred, b = second, tie):
//   T1 (a<b<c ranks): ann a>b a>c b>c; bob the same; cat b>a a>c b>c
//     items ab {a:2, b:1}, ac {a:3}, bc {a:3}
//   T2 (pairwise a,b): ann a, cat b -> item ab {a:1, b:1}
// Percent agreement: per item agreeing pairs / all pairs: ab 2/6, ac 1, bc 1, T2 0 -> mean 7/12.
// Krippendorff alpha nominal: n = 11 values, n_a = 9, n_b = 2;
//   D_o = (1/11)(2*2*1/2 + 2*1*1/1) = 4/11; D_e = 2*9*2/(11*10) = 36/110; alpha = 1 - 40/36 = -1/9;
//   raw exact-match agreement 1 - D_o = 7/11.
// Kendall's W of T1: rank sums a 4, b 5, c 9, mean 6, S = 4 + 1 + 9 = 14,
//   W = 12 S / (m^2 (n^3 - n)) = 168 / (9 * 24) = 7/9 (no ties).
// Comparisons with co-raters (agreeing / compared): ann T1 1/2+2/2+2/2, T2 0/1 -> 5/7;
//   bob 5/6; cat T1 0/2+2/2+2/2, T2 0/1 -> 4/7; pod pa 10/13, pod pb 4/7.
// Position bias: pairwise decided choices 3 (ann T2 a shown first, ann T3 a first, cat T2 b
//   first), all first shown, 1 tie (bob T4). Rankings by shown position: ann 1,2,3; bob 2,1,3;
//   cat 3,1,2 -> mean ranks 2, 4/3, 8/3, expected 2 each.
// Active time (T5 withdrawn: left out): 30, 40, 50, 60, 70, 90, 120 s -> median 60 s;
//   p90 at position 6 * 0.9 = 5.4: 90 + 0.4 * 30 = 102 s.
// Rates: 7 labels + 2 skips + 1 escalation = 10 finished -> escalation 1/10, skip 2/10.
// Tag halluc: items (task, response): T1 a {absent 1, present 2}, T1 b, T1 c {3, 0}, T2 a, b {2, 0}
//   -> percent (2/6 + 4) / 5 = 13/15; prevalence 2 / 13 ratings.
//   ann: 3 * 2 + 2 * 1 = 8 comparisons, 1 disagreeing on halluc (cat, T1 a) -> 7/8.
// Calibration: ann a<b<c, bob a<c<b agree on 2 of 3 pairs -> mean agreement 2/3.

describeEachDb('computeMetrics', (dialect) => {
  const getDb = useFreshDb(dialect);
  const report = async (options: Partial<Parameters<typeof computeMetrics>[1]> = {}) => {
    await seedMetricsProject(getDb().db);
    return computeMetrics(getDb().db, { projectId: 'P', now: NOW, ...options });
  };

  it('computes the scope figures as worked out by hand', async () => {
    const r = MetricsReportSchema.parse(await report());
    const f = r.overall;
    expect([f.labels, f.tasks, f.reviewers, f.overlapTasks]).toEqual([7, 4, 3, 2]);
    expect(f.agreement.pairwisePercent.value).toBeCloseTo(7 / 12, 12);
    expect(f.agreement.pairwisePercent.n).toEqual({ items: 4, raters: 3, pairable: 11 });
    expect(f.agreement.alpha.value).toBeCloseTo(-1 / 9, 12);
    expect(f.agreement.alpha.observed).toBeCloseTo(7 / 11, 12);
    expect(f.agreement.alpha.bootstrap?.resamples).toBeGreaterThan(0);
    expect(f.agreement.kendallW.value).toBeCloseTo(7 / 9, 12);
    expect(f.agreement.kendallW.n).toEqual({ items: 1, raters: 3, pairable: 3 });
    const halluc = f.agreement.tags.find((t) => t.tagId === 'halluc')!;
    expect(halluc.percent.value).toBeCloseTo(13 / 15, 12);
    expect(halluc.prevalence).toBeCloseTo(2 / 13, 12);
    expect(f.agreement.tags.map((t) => t.tagId)).toEqual(['halluc', 'verbose']);
    expect(f.positionBias.pairwiseFirst).toMatchObject({ successes: 3, total: 3, share: 1 });
    expect(f.positionBias.pairwiseTies).toBe(1);
    expect(f.positionBias.meanRankByPosition.map((x) => +x.toFixed(6))).toEqual([2, 1.333333, 2.666667]);
    expect(f.positionBias.expectedMeanRankByPosition).toEqual([2, 2, 2]);
    expect(f.activeTime.medianMs).toBe(60_000);
    expect(f.activeTime.p90Ms).toBeCloseTo(102_000, 6);
    expect(f.activeTime.n).toBe(7);
    expect(f.escalation).toMatchObject({ successes: 1, total: 10 });
    expect(f.skip).toMatchObject({ successes: 2, total: 10 });
    expect(f.gold).toBeNull();
    expect(f.missing.gold).toBe('no gold tasks in this project');
    expect(f.qa).toBeNull();
  });

  it('gives reviewers and pods their own figures, tags, weeks and calibration', async () => {
    const r = await report();
    const byName = Object.fromEntries(r.reviewers.map((x) => [x.username, x]));
    expect(Object.keys(byName)).toEqual(['ann', 'bob', 'cat']);
    expect(byName.ann!.figures.labels).toBe(3);
    expect(byName.ann!.figures.skip).toMatchObject({ successes: 1, total: 4 });
    // bob rated T1 only: items ab {a:2,b:1}, ac, bc {a:3}: percent 7/9; alpha: n 9, n_a 8, n_b 1,
    // D_o = (1/9)(2*2*1/2) = 2/9 = D_e = 2*8*1/(9*8): alpha 0
    expect(byName.bob!.figures.agreement.pairwisePercent.value).toBeCloseTo(7 / 9, 12);
    expect(byName.bob!.figures.agreement.alpha.value).toBeCloseTo(0, 12);
    expect(byName.ann!.tags).toEqual([
      { tagId: 'halluc', agreement: 7 / 8, n: 8 },
      { tagId: 'verbose', agreement: 7 / 8, n: 8 },
    ]);
    expect(r.pods.map((p) => [p.podId, p.figures.labels])).toEqual([
      ['pa', 5],
      ['pb', 2],
    ]);

    expect(r.weeks.map((w) => [w.weekStart, w.labels])).toEqual([
      ['2026-01-05', 3],
      ['2026-01-12', 4],
    ]);
    expect(r.weeks[0]!.agreementRaw).toBeNull(); // T1 and T2 were completed in the second week
    expect(r.weeks[1]!.agreementRaw).toBeCloseTo(7 / 12, 12);
    expect(r.weeks[0]!.escalationRate).toBeCloseTo(1 / 6, 12);
    const ann = r.byWeekByReviewer.reviewers.find((x) => x.username === 'ann')!;
    expect(r.byWeekByReviewer.weeks).toEqual(['2026-01-05', '2026-01-12']);
    expect(ann.labels).toEqual([2, 1]);
    expect(ann.agreement).toEqual([5 / 7, null]);
    expect(ann.agreementN).toEqual([7, 0]);

    expect(r.disagreedItems.map((d) => [d.taskId, d.labels])).toEqual([
      ['T2', 2],
      ['T1', 3],
    ]);
    expect(r.disagreedItems[0]!.agreement).toBe(0);
    expect(r.disagreedItems[1]!.agreement).toBeCloseTo(7 / 9, 12);
    expect(r.disagreedItems[1]!.usernames).toEqual(['ann', 'bob', 'cat']);
    expect(r.calibration).toHaveLength(1);
    expect(r.calibration[0]!).toMatchObject({ roundId: 'round1', podId: 'pa', members: 2, answered: 2 });
    expect(r.calibration[0]!.meanAgreement).toBeCloseTo(2 / 3, 5);
  });

  it('gives agreement with the blind QA re-rater per reviewer and pod, with n', async () => {
    await seedMetricsProject(getDb().db);
    await seedQaRatings(getDb().db);
    const r = MetricsReportSchema.parse(await computeMetrics(getDb().db, { projectId: 'P', now: NOW }));
    // seed.ts seedQaRatings: ann T1 same (3/3 pairs, tau-b 1), ann T3 differs (0/1), bob T4 same
    // (1/1); cat's T5 is withdrawn
    expect(r.overall.qa).toMatchObject({
      tasks: { successes: 2, total: 3 },
      pairs: { successes: 4, total: 5 },
      meanTauB: 1,
    });
    expect(r.overall.missing.qa).toBeUndefined();
    const byName = Object.fromEntries(r.reviewers.map((x) => [x.username, x.figures.qa]));
    expect(byName.ann).toMatchObject({
      tasks: { successes: 1, total: 2 },
      pairs: { successes: 3, total: 4 },
    });
    expect(byName.ann!.tasks.share).toBe(0.5);
    expect(byName.bob).toMatchObject({
      tasks: { successes: 1, total: 1 },
      pairs: { successes: 1, total: 1 },
    });
    expect(byName.bob!.meanTauB).toBeNull();
    expect(byName.cat).toBeNull();
    const pods = Object.fromEntries(r.pods.map((p) => [p.podId, p.figures]));
    expect(pods.pa!.qa).toMatchObject({
      tasks: { successes: 2, total: 3 },
      pairs: { successes: 4, total: 5 },
    });
    expect(pods.pb!.qa).toBeNull();
    expect(pods.pb!.missing.qa).toBe('no QA re-ratings in this project');
    // the date range bounds the original labels: ann's T1 (Jan 5) only
    const early = await computeMetrics(getDb().db, {
      projectId: 'P',
      now: NOW,
      until: '2026-01-06T00:00:00.000Z',
    });
    expect(early.overall.qa).toMatchObject({
      tasks: { successes: 1, total: 1 },
      pairs: { successes: 3, total: 3 },
    });
  });

  it('flags reviewers and pods below the bars over the window, with the numbers', async () => {
    await seedMetricsProject(getDb().db);
    await saveThresholds(getDb().db, 'P', null, { minAgreement: 0.6, minN: 5 }, NOW);
    const r = await computeMetrics(getDb().db, { projectId: 'P', now: NOW });
    expect(r.thresholds).toMatchObject({ minAgreement: 0.6, minN: 5, windowDays: 28, source: 'project' });
    expect(r.flags.map((f) => [f.subject, f.podId, f.username, f.metric, f.n])).toEqual([
      ['pod', 'pb', null, 'agreement', 7],
      ['reviewer', 'pb', 'cat', 'agreement', 7],
    ]);
    expect(r.flags[1]!.value).toBeCloseTo(4 / 7, 12);
    expect(r.flags[1]!.actions).toEqual(['coaching']); // Wilson upper end 0.84 is above 0.6: not clear
    expect(r.flags[0]!.actions).toContain('hold-scaling');
    expect(r.flags[0]!.message).toContain('hold scaling: fix guidelines first');
    expect(r.pods.find((p) => p.podId === 'pb')!.holdScaling).toBe(true);
    expect(r.pods.find((p) => p.podId === 'pa')!.holdScaling).toBe(false);

    // a pod's own bars win; a 4-day window (from 2026-01-16) holds no label: no flag
    await saveThresholds(getDb().db, 'P', 'pb', { windowDays: 4 }, NOW);
    const later = await computeMetrics(getDb().db, { projectId: 'P', now: NOW });
    expect(later.flags).toEqual([]);
    expect(later.pods.find((p) => p.podId === 'pb')!.thresholds).toMatchObject({
      windowDays: 4,
      minN: 5,
      source: 'pod',
    });
  });

  it('scopes to a reviewer, a pod and dates; agreement still counts co-raters', async () => {
    const cat = await report({ reviewer: 'cat' });
    expect(cat.reviewers.map((x) => x.username)).toEqual(['cat']);
    expect(cat.overall.labels).toBe(2);
    expect(cat.overall.agreement.pairwisePercent.value).toBeCloseTo(7 / 12, 12);
    expect(cat.calibration).toEqual([]);

    const pa = await computeMetrics(getDb().db, { projectId: 'P', now: NOW, pod: 'pa' });
    expect(pa.pods.map((p) => p.podId)).toEqual(['pa']);
    expect(pa.overall.labels).toBe(5);

    // from 2026-01-12 only cat's half of T1 and T2 remains: no overlap task
    const late = await computeMetrics(getDb().db, {
      projectId: 'P',
      now: NOW,
      since: '2026-01-12T00:00:00.000Z',
    });
    expect([late.overall.labels, late.overall.overlapTasks]).toEqual([4, 0]);
    expect(late.overall.agreement.pairwisePercent.value).toBeNull();
    expect(late.overall.escalation.total).toBe(4); // the events of 2026-01-06 are outside
  });

  it('refuses an unknown project, pod or reviewer', async () => {
    await seedMetricsProject(getDb().db);
    for (const options of [
      { projectId: 'nope' },
      { projectId: 'P', pod: 'nope' },
      { projectId: 'P', reviewer: 'nope' },
    ]) {
      await expect(computeMetrics(getDb().db, { now: NOW, ...options })).rejects.toThrow(MetricsScopeError);
    }
  });
});
