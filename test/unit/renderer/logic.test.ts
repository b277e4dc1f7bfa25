import { describe, expect, it } from 'vitest';
import { IDLE_AFTER_MS, input, tick } from '../../../renderer/src/logic/activeTime';
import { filterSections, splitMatches, splitSections } from '../../../renderer/src/logic/guidelineSections';
import { relativeTime } from '../../../renderer/src/logic/relativeTime';
import { safeUrl } from '../../../renderer/src/logic/safeUrl';

describe('safeUrl', () => {
  it('keeps http(s) and mailto', () => {
    expect(safeUrl('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(safeUrl('HTTP://example.org')).toBe('HTTP://example.org');
    expect(safeUrl('mailto:someone@example.org')).toBe('mailto:someone@example.org');
  });

  it('drops script, data and every other address', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '//evil.example/x',
      '/relative/path',
      '#anchor',
      '',
    ]) {
      expect(safeUrl(url), url).toBe('');
    }
  });
});

describe('active time', () => {
  const start = { activeMs: 0, lastTick: 0, lastInput: 0 };

  it('counts attentive time since the last tick', () => {
    expect(tick(start, 1000, true).activeMs).toBe(1000);
  });

  it('does not count time while the page is hidden or unfocused', () => {
    expect(tick(start, 5000, false).activeMs).toBe(0);
  });

  it('stops counting once the reviewer has been idle for the idle limit', () => {
    const late = tick(start, IDLE_AFTER_MS + 30_000, true);
    expect(late.activeMs).toBe(IDLE_AFTER_MS);
    expect(tick(late, IDLE_AFTER_MS + 40_000, true).activeMs).toBe(IDLE_AFTER_MS);
  });

  it('resumes counting after new input', () => {
    const idle = tick(start, 2 * IDLE_AFTER_MS, true);
    const back = input(idle, 2 * IDLE_AFTER_MS + 1000);
    expect(tick(back, 2 * IDLE_AFTER_MS + 3000, true).activeMs).toBe(IDLE_AFTER_MS + 3000);
  });
});

describe('guideline sections', () => {
  const markdown = [
    'Intro text.',
    '# Ranking',
    'Rank by accuracy.',
    '```md',
    '# not a heading inside code',
    '```',
    '## Ties',
    'Ties are allowed when two answers are equally good.',
  ].join('\n');
  const sections = splitSections(markdown, [{ title: 'Golden: capital city', markdown: 'Canberra wins.' }]);

  it('splits on headings outside code fences and appends the examples', () => {
    expect(sections.map((s) => [s.title, s.kind])).toEqual([
      ['Introduction', 'section'],
      ['Ranking', 'section'],
      ['Ties', 'section'],
      ['Golden: capital city', 'example'],
    ]);
    expect(sections[1]!.markdown).toContain('# not a heading inside code');
  });

  it('filters by title or body, case-insensitively', () => {
    expect(filterSections(sections, 'EQUALLY').map((s) => s.title)).toEqual(['Ties']);
    expect(filterSections(sections, 'canberra').map((s) => s.title)).toEqual(['Golden: capital city']);
    expect(filterSections(sections, '  ')).toHaveLength(4);
  });

  it('splits text around matches for highlighting', () => {
    expect(splitMatches('Tie or tie', 'TIE')).toEqual([
      { text: 'Tie', match: true },
      { text: ' or ', match: false },
      { text: 'tie', match: true },
    ]);
  });
});

describe('relativeTime', () => {
  it('reads naturally', () => {
    expect(relativeTime(0, 500)).toBe('just now');
    expect(relativeTime(0, 12_000)).toBe('12s ago');
    expect(relativeTime(0, 3 * 60_000)).toBe('3 min ago');
    expect(relativeTime(0, 2 * 3_600_000)).toBe('2 h ago');
  });
});
