import { describe, expect, it } from 'vitest';
import {
  biasWords,
  coefficientWords,
  duration,
  freshness,
  interval,
  pct,
  proportion,
} from '../../../renderer/src/logic/metricsFormat';

describe('the dashboards in words', () => {
  it('formats shares, durations, intervals and proportions', () => {
    expect(pct(0.8125)).toBe('81%');
    expect(pct(0.8125, 1)).toBe('81.3%');
    expect(pct(null)).toBe('–');
    expect(duration(48_400)).toBe('48 s');
    expect(duration(125_000)).toBe('2 min 05 s');
    expect(duration(null)).toBe('–');
    expect(interval([0.62, 0.71])).toBe('62%–71%');
    expect(interval(null)).toBe('');
    expect(proportion({ successes: 6, total: 50, share: 0.12, ci95: [0.05, 0.24] })).toBe('12.0% (6 of 50)');
    expect(proportion({ successes: 0, total: 0, share: null, ci95: null })).toBe('no data');
  });

  it('keeps a coefficient that cannot be computed readable, with the reason', () => {
    const n = { items: 0, raters: 0, pairable: 0 };
    expect(
      coefficientWords({ value: null, observed: null, expected: null, n, reason: 'no overlap' }, 'α'),
    ).toBe('α – (no overlap)');
    expect(coefficientWords({ value: 0.6123, observed: 0.8, expected: 0.5, n, ci95: [0.5, 0.7] }, 'α')).toBe(
      'α 0.61 [0.50, 0.70]',
    );
  });

  it('says which side a position bias leans to, in points', () => {
    expect(biasWords(0.57)).toBe('7 pts toward the first shown');
    expect(biasWords(0.46)).toBe('4 pts toward the second shown');
    expect(biasWords(0.5)).toBe('none');
    expect(biasWords(null)).toBe('–');
  });

  it('labels figures with their age, and says when they are kept from before', () => {
    const now = Date.parse('2026-03-02T10:30:00Z');
    expect(freshness('2026-03-02T10:29:50Z', false, now)).toBe('Figures as of just now');
    expect(freshness('2026-03-02T10:18:00Z', false, now)).toBe('Figures as of 12 min ago');
    expect(freshness('2026-03-01T09:05:00Z', true, now)).toMatch(
      /^Offline: figures kept from 1 Mar, \d\d:05$/,
    );
  });
});
