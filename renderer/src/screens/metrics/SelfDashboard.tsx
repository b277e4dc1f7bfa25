import { useMemo } from 'react';
import type { SelfView } from '../../../../shared/metrics/dashboard';
import { WeekChart, type WeekSeries } from '../../charts/WeekChart';
import { biasWords, duration, pct } from '../../logic/metricsFormat';
import { FlagList } from './Flags';

const share = (v: number | null) => pct(v, 1);

/** A reviewer's own figures beside their pod's medians; nothing of any other reviewer. */
export function SelfDashboard({ view }: { view: SelfView }) {
  const me = view.me;
  const series = useMemo<WeekSeries[]>(
    () => [
      { label: 'My agreement', values: view.weeks.agreement, format: share },
      { label: 'My gold accuracy', values: view.weeks.goldAccuracy, format: share, color: 2 },
    ],
    [view],
  );
  const labels = useMemo<WeekSeries[]>(
    () => [
      {
        label: 'My labels',
        values: view.weeks.labels,
        format: (v) => (v === null ? '–' : String(v)),
        bars: true,
      },
    ],
    [view],
  );
  if (!me)
    return (
      <p className="muted" data-testid="metrics-self">
        No labels of yours in {view.projectName} yet: your figures appear once you have labeled here.
      </p>
    );
  const rows: [string, string, string][] = [
    ['Agreement with co-raters', pct(view.myAgreement), pct(view.pod.agreement)],
    ['Gold accuracy', pct(me.figures.gold?.share ?? null), pct(view.pod.goldAccuracy)],
    ['Time per task (median)', duration(me.figures.activeTime.medianMs), duration(view.pod.medianActiveMs)],
    ['Escalated', pct(me.figures.escalation.share, 1), pct(view.pod.escalationRate, 1)],
    ['Skipped', pct(me.figures.skip.share, 1), pct(view.pod.skipRate, 1)],
    [
      'First-shown chosen (pairwise)',
      pct(me.figures.positionBias.pairwiseFirst.share),
      pct(view.pod.pairwiseFirst),
    ],
  ];
  return (
    <div className="m-self" data-testid="metrics-self">
      <table className="data-table">
        <caption>Your figures beside your pod&apos;s medians ({view.pod.reviewers} reviewers)</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">You</th>
            <th scope="col">Pod median</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, mine, pod]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{mine}</td>
              <td>{pod}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Position bias: {biasWords(me.figures.positionBias.pairwiseFirst.share)}.</p>
      <FlagList flags={view.flags} pods={[]} admin={false} />
      <div className="chart-grid">
        <WeekChart
          title="My agreement and gold accuracy by week"
          weeks={view.weeks.weeks}
          series={series}
          yShare
        />
        <WeekChart title="My labels per week" weeks={view.weeks.weeks} series={labels} />
      </div>
    </div>
  );
}
