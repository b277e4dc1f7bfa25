import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { weekLabel } from '../logic/metricsFormat';

export interface WeekSeries {
  label: string;
  values: readonly (number | null)[];
  /** how a value reads in the data table and the tooltip legend */
  format: (value: number | null) => string;
  /** a colour from the palette below, by index */
  color?: number;
  bars?: boolean;
}

const HALF_WEEK_S = 3.5 * 86_400;

/** Calm colours that stay apart for common colour blindness (Okabe–Ito). */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];

interface Props {
  title: string;
  /** Mondays, YYYY-MM-DD */
  weeks: readonly string[];
  series: readonly WeekSeries[];
  /** the y axis: a share (0..1, shown as percent) or a plain number */
  yShare?: boolean;
  /** how the y axis's ticks read when they are not shares (durations, counts) */
  yFormat?: (value: number) => string;
  height?: number;
}

/**
 * A chart of weekly figures (uPlot, canvas) and the same numbers as a table. The canvas is hidden
 * from assistive technology; the table, one click or Enter away, carries every value.
 */
export function WeekChart({ title, weeks, series, yShare = false, yFormat = String, height = 180 }: Props) {
  const id = useId();
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const xs = weeks.map((w) => Date.parse(`${w}T00:00:00Z`) / 1000);
    const bars = uPlot.paths.bars!({ size: [0.6, 40] });
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        // the key of the lines; the values under the cursor are the data table's job
        legend: { show: series.length > 1, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          // half a week of room at each end: the first and last bars are drawn whole
          x: { time: true, range: (_u, min, max) => [min - HALF_WEEK_S, max + HALF_WEEK_S] },
          y: yShare ? { range: [0, 1] } : { auto: true },
        },
        axes: [
          { stroke: '#555', grid: { stroke: '#eee' } },
          {
            stroke: '#555',
            grid: { stroke: '#eee' },
            size: 50,
            values: (_u, ticks) => ticks.map((t) => (yShare ? `${Math.round(t * 100)}%` : yFormat(t))),
          },
        ],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: PALETTE[(s.color ?? i) % PALETTE.length],
            fill: s.bars ? `${PALETTE[(s.color ?? i) % PALETTE.length]}55` : undefined,
            width: 1.5,
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => s.format(v),
            ...(s.bars ? { paths: bars, points: { show: false } } : {}),
          })),
        ],
      },
      [xs, ...series.map((s) => [...s.values])] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [weeks, series, yShare, yFormat, height]);
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      <div ref={holder} className="chart-canvas" aria-hidden="true" />
      <details className="chart-data">
        <summary>Data table</summary>
        <table className="data-table">
          <caption className="sr-only">{title}, by week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              {series.map((s) => (
                <th key={s.label} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week, row) => (
              <tr key={week}>
                <th scope="row">{weekLabel(week)}</th>
                {series.map((s) => (
                  <td key={s.label}>{s.format(s.values[row] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
