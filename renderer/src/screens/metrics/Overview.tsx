import { useMemo } from 'react';
import type { MetricsReport } from '../../../../shared/metrics/report';
import { WeekChart, type WeekSeries } from '../../charts/WeekChart';
import { duration, pct } from '../../logic/metricsFormat';
import { FlagList } from './Flags';
import { FigureTiles } from './Tiles';

const share = (v: number | null) => pct(v, 1);
const count = (v: number | null) => (v === null ? '–' : String(v));
const seconds = (v: number | null) => duration(v);
const axisSeconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** The pod (or project) overview: headline figures, the weekly trends, flags. */
export function Overview({ report, admin }: { report: MetricsReport; admin: boolean }) {
  const weeks = useMemo(() => report.weeks.map((w) => w.weekStart), [report]);
  const charts = useMemo(() => {
    const col = <K extends keyof MetricsReport['weeks'][number]>(key: K) => report.weeks.map((w) => w[key]);
    const agreement: WeekSeries[] = [
      { label: 'Raw agreement', values: col('agreementRaw'), format: share },
      { label: 'Gold accuracy', values: col('goldAccuracy'), format: share, color: 2 },
    ];
    const throughput: WeekSeries[] = [{ label: 'Labels', values: col('labels'), format: count, bars: true }];
    const time: WeekSeries[] = [
      { label: 'Median', values: col('medianActiveMs'), format: seconds },
      { label: 'p90', values: col('p90ActiveMs'), format: seconds, color: 1 },
    ];
    const rates: WeekSeries[] = [
      { label: 'Escalated', values: col('escalationRate'), format: share, color: 4 },
      { label: 'Skipped', values: col('skipRate'), format: share, color: 5 },
    ];
    return { agreement, throughput, time, rates };
  }, [report]);
  return (
    <div className="m-overview" data-testid="metrics-overview">
      <FigureTiles figures={report.overall} />
      <FlagList flags={report.flags} pods={report.pods} admin={admin} />
      <div className="chart-grid">
        <WeekChart
          title="Agreement and gold accuracy by week"
          weeks={weeks}
          series={charts.agreement}
          yShare
        />
        <WeekChart title="Throughput: labels per week" weeks={weeks} series={charts.throughput} />
        <WeekChart
          title="Time per task (active), by week"
          weeks={weeks}
          series={charts.time}
          yFormat={axisSeconds}
        />
        <WeekChart title="Escalation and skip rates by week" weeks={weeks} series={charts.rates} yShare />
      </div>
    </div>
  );
}
