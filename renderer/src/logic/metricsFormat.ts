import type { CoefficientFigure, ProportionFigure } from '../../../shared/metrics/report';

/** Plain words and numbers for the quality dashboards; pure, tested alone. */

export const pct = (share: number | null | undefined, digits = 0): string =>
  share === null || share === undefined ? '–' : `${(share * 100).toFixed(digits)}%`;

export const num = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined ? '–' : value.toFixed(digits);

/** 95% interval of a share, "62–71%"; empty when there is none. */
export const interval = (ci: readonly [number, number] | null | undefined, asPercent = true): string =>
  ci ? (asPercent ? `${pct(ci[0])}–${pct(ci[1])}` : `${num(ci[0])} to ${num(ci[1])}`) : '';

/** Active time: "48 s", "2 min 05 s". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** A proportion as "12% (6 of 50)". */
export const proportion = (p: ProportionFigure | null | undefined): string =>
  !p ? '–' : p.share === null ? 'no data' : `${pct(p.share, 1)} (${p.successes} of ${p.total})`;

/** A coefficient beside its raw agreement, as the practice reads it: "α 0.62 · raw 81%". */
export function coefficientWords(c: CoefficientFigure, symbol: string): string {
  if (c.value === null) return `${symbol} – (${c.reason ?? 'not enough data'})`;
  const ci = c.ci95 ? ` [${num(c.ci95[0])}, ${num(c.ci95[1])}]` : '';
  return `${symbol} ${num(c.value)}${ci}`;
}

/** Deviation of the share of first-shown choices from 0.5, in points: "7 pts toward the first shown". */
export function biasWords(share: number | null): string {
  if (share === null) return '–';
  const points = Math.round((share - 0.5) * 100);
  return points === 0
    ? 'none'
    : `${Math.abs(points)} pts toward the ${points > 0 ? 'first' : 'second'} shown`;
}

/** A Monday, "2026-01-05", as a short label: "5 Jan". */
export function weekLabel(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** How fresh the figures are, in words. */
export function freshness(fetchedAt: string, offline: boolean, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(fetchedAt)) / 60_000));
  const when = new Date(fetchedAt).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const ago = minutes < 1 ? 'just now' : minutes < 60 ? `${minutes} min ago` : when;
  return offline ? `Offline: figures kept from ${when}` : `Figures as of ${ago}`;
}
