import { describe, expect, it } from 'vitest';
import {
  formatTimeLeft,
  humanizeTimes,
  spokenTimeLeft,
  timerAlert,
  untilWords,
} from '../../../renderer/src/logic/trainingTime';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('exam countdown', () => {
  it('shows minutes and seconds, hours when there are some, and 0:00 when over', () => {
    expect(formatTimeLeft(12 * M + 5 * S)).toBe('12:05');
    expect(formatTimeLeft(H + 2 * M + 3 * S)).toBe('1:02:03');
    expect(formatTimeLeft(59 * S)).toBe('0:59');
    expect(formatTimeLeft(0)).toBe('0:00');
    expect(formatTimeLeft(-5 * S)).toBe('0:00');
  });

  it('rounds up, so 0:00 only appears once the time is really up', () => {
    expect(formatTimeLeft(400)).toBe('0:01');
    expect(formatTimeLeft(M - 1)).toBe('1:00');
  });

  it('says the time left in words for screen readers', () => {
    expect(spokenTimeLeft(12 * M)).toBe('12 minutes left');
    expect(spokenTimeLeft(30 * S)).toBe('1 minute left');
    expect(spokenTimeLeft(H)).toBe('1 hour left');
    expect(spokenTimeLeft(2 * H + M)).toBe('2 hours 1 minute left');
    expect(spokenTimeLeft(0)).toBe('Time is up');
  });

  it('speaks once when crossing 5 minutes, 1 minute and the end', () => {
    expect(timerAlert(5 * M + S, 5 * M)).toBe('5 minutes left in the exam.');
    expect(timerAlert(5 * M, 5 * M - S)).toBeNull();
    expect(timerAlert(M + 500, M - 500)).toBe('1 minute left in the exam.');
    expect(timerAlert(S, 0)).toBe('Time is up. Answers given now count as late.');
    expect(timerAlert(10 * M, 10 * M - S)).toBeNull();
    expect(timerAlert(-S, -2 * S)).toBeNull();
  });

  it('says only the latest alert when several were crossed at once (a laptop woke up)', () => {
    expect(timerAlert(6 * M, 30 * S)).toBe('1 minute left in the exam.');
    expect(timerAlert(6 * M, -M)).toBe('Time is up. Answers given now count as late.');
  });
});

describe('moments ahead', () => {
  const now = Date.parse('2026-11-29T10:00:00.000Z');
  it('words how far away a moment is', () => {
    expect(untilWords('2026-11-29T10:20:00.000Z', now)).toBe('in 20 min');
    expect(untilWords('2026-11-29T13:20:00.000Z', now)).toBe('in 3 h 20 min');
    expect(untilWords('2026-11-29T15:00:00.000Z', now)).toBe('in 5 h');
    expect(untilWords('2026-12-01T10:00:00.000Z', now)).toBe('in 2 days');
    expect(untilWords('2026-11-30T10:00:00.000Z', now)).toBe('in 1 day');
    expect(untilWords('2026-11-29T09:00:00.000Z', now)).toBe('now');
    expect(untilWords('soon', now)).toBe('soon');
  });

  it('replaces ISO times in server sentences and leaves the rest', () => {
    const text = humanizeTimes('The next attempt can start at 2026-11-29T18:48:07.254Z.');
    expect(text).toMatch(/^The next attempt can start at 29 Nov, \d\d:48\.$/);
    expect(humanizeTimes('You have used all 3 attempts: ask your lead.')).toBe(
      'You have used all 3 attempts: ask your lead.',
    );
  });
});
