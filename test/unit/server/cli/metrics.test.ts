import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connect';
import { MetricsReportSchema } from '../../../../shared/metrics/report';
import { seedMetricsProject } from '../metrics/seed';
import { backends, cli } from './helpers';

// The seeded project (test/unit/server/metrics/seed.ts; figures worked out by hand in
// test/unit/server/metrics/compute.test.ts): percent agreement 7/12, 7 labels, cat 4/7 with co-raters.
const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
});

describe.each(all)('server CLI on $name: metrics', (backend) => {
  let db = '';
  beforeEach(async () => {
    db = await backend.fresh();
    const server = await openDatabase(db);
    await seedMetricsProject(server.db);
    await server.close();
  });

  it('prints the report as JSON, and one CSV row per pod and reviewer', async () => {
    const json = await cli(db, 'metrics', '--project', 'P', '--until', '2026-01-19');
    expect(json.code).toBe(0);
    const report = MetricsReportSchema.parse(JSON.parse(json.stdout));
    expect(report.scope.until).toBe('2026-01-20T00:00:00.000Z'); // a day includes that whole day
    expect(report.overall.labels).toBe(7);
    expect(report.overall.agreement.pairwisePercent.value).toBeCloseTo(7 / 12, 12);

    const csv = await cli(db, 'metrics', '--project', 'P', '--format', 'csv');
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('row,id,name,pod,labels,tasks,overlap_tasks,agreement_percent')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'scope,P,Project P,,7',
      'pod,pa,Pod A,pa,5',
      'pod,pb,Pod B,pb,2',
      'reviewer,id-ann,ann,pa,3',
      'reviewer,id-bob,bob,pa,2',
      'reviewer,id-cat,cat,pb,2',
    ]);
  });

  it('sets thresholds, and the report flags with them', async () => {
    const set = await cli(
      db,
      'metrics',
      'thresholds',
      '--project',
      'P',
      '--min-agreement',
      '0.6',
      '--min-n',
      '5',
      '--window-days',
      '3660',
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      projectId: 'P',
      pod: null,
      minAgreement: 0.6,
      maxGoldError: 0.2,
      maxPositionBias: 0.15,
      windowDays: 3660,
      minN: 5,
      source: 'project',
    });
    const csv = await cli(db, 'metrics', '--project', 'P', '--format', 'csv');
    const cat = csv.stdout
      .trimEnd()
      .split('\r\n')
      .find((l) => l.startsWith('reviewer,id-cat'))!;
    expect(cat.endsWith(',agreement:coaching')).toBe(true);
    const pod = csv.stdout.split('\r\n').find((l) => l.startsWith('pod,pb'))!;
    expect(pod.endsWith(',agreement:hold-scaling+coaching')).toBe(true);
  });

  it('refuses an unknown project or pod (exit 1) and bad dates or options (exit 2)', async () => {
    const unknown = await cli(db, 'metrics', '--project', 'nope');
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'error: no project "nope"']);
    expect((await cli(db, 'metrics', '--project', 'P', '--pod', 'nope')).code).toBe(1);
    expect((await cli(db, 'metrics', 'thresholds', '--project', 'nope')).code).toBe(1);
    const badDate = await cli(db, 'metrics', '--project', 'P', '--since', '2026-02-30');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--since: "2026-02-30" is not a date');
    expect((await cli(db, 'metrics', '--project', 'P', '--until', 'yesterday')).code).toBe(2);
    expect(
      (await cli(db, 'metrics', '--project', 'P', '--since', '2026-02-01', '--until', '2026-01-01')).code,
    ).toBe(2);
    expect((await cli(db, 'metrics', '--project', 'P', '--format', 'xml')).code).toBe(2);
    expect((await cli(db, 'metrics', 'thresholds', '--project', 'P', '--min-agreement', '1.5')).code).toBe(2);
  });
});
