import { describe, expect, it } from 'vitest';
import { changedSections, markdownSections, replaceSections } from '../../../shared/guideline-diff';

const v1 = `Read this first.

# Criteria

Be factual.

## Safety

Refuse harm.

\`\`\`md
# not a heading inside a fence
\`\`\`

## Examples

One.
`;

describe('markdownSections', () => {
  it('splits at every heading level, keeps fenced "#" lines as text, names the preamble', () => {
    const sections = markdownSections(v1);
    expect(sections.map((s) => [s.heading, s.level])).toEqual([
      ['Introduction', 0],
      ['Criteria', 1],
      ['Safety', 2],
      ['Examples', 2],
    ]);
    expect(sections[2]!.body).toContain('# not a heading inside a fence');
  });

  it('has no introduction when the text starts with a heading', () => {
    expect(markdownSections('# A\n\ntext').map((s) => s.heading)).toEqual(['A']);
  });
});

describe('changedSections', () => {
  it('says nothing changed for the same text, or for trailing spaces and extra blank lines', () => {
    expect(changedSections({ markdown: v1 }, { markdown: v1 })).toEqual([]);
    const spaced = v1.replace('Be factual.', 'Be factual.   \n\n\n');
    expect(changedSections({ markdown: v1 }, { markdown: spaced })).toEqual([]);
  });

  it('names added, changed and removed sections by heading', () => {
    const v2 = v1
      .replace('Refuse harm.', 'Refuse harm; say why.')
      .replace('## Examples\n\nOne.\n', '## Citations\n\nQuote the passage.\n');
    expect(changedSections({ markdown: v1 }, { markdown: v2 })).toEqual([
      { heading: 'Safety', kind: 'section', change: 'changed' },
      { heading: 'Citations', kind: 'section', change: 'added' },
      { heading: 'Examples', kind: 'section', change: 'removed' },
    ]);
  });

  it('counts the introduction and a heading level change', () => {
    const v2 = v1.replace('Read this first.', 'Read this twice.').replace('## Safety', '# Safety');
    expect(changedSections({ markdown: v1 }, { markdown: v2 })).toEqual([
      { heading: 'Introduction', kind: 'section', change: 'changed' },
      { heading: 'Safety', kind: 'section', change: 'changed' },
    ]);
  });

  it('matches a repeated heading by occurrence', () => {
    const a = '## Note\n\nfirst\n\n## Note\n\nsecond';
    const b = '## Note\n\nfirst\n\n## Note\n\nsecond, edited';
    expect(changedSections({ markdown: a }, { markdown: b })).toEqual([
      { heading: 'Note', kind: 'section', change: 'changed' },
    ]);
    expect(changedSections({ markdown: a }, { markdown: '## Note\n\nfirst' })).toEqual([
      { heading: 'Note', kind: 'section', change: 'removed' },
    ]);
  });

  it('lists golden examples after sections, by title', () => {
    const before = { markdown: v1, examples: [{ title: 'Old', markdown: 'x' }] };
    const after = {
      markdown: v1,
      examples: [
        { title: 'Old', markdown: 'y' },
        { title: 'Invented citations', markdown: 'z' },
      ],
    };
    expect(changedSections(before, after)).toEqual([
      { heading: 'Old', kind: 'example', change: 'changed' },
      { heading: 'Invented citations', kind: 'example', change: 'added' },
    ]);
  });
});

describe('replaceSections', () => {
  it('replaces a section by heading, removes one with body null, appends a new one', () => {
    const next = replaceSections(v1, [
      { heading: 'safety', body: 'Refuse harm; say why.' },
      { heading: 'Examples', body: null },
      { heading: 'Citations', body: 'Quote the passage.' },
    ]);
    expect(changedSections({ markdown: v1 }, { markdown: next })).toEqual([
      { heading: 'Safety', kind: 'section', change: 'changed' },
      { heading: 'Citations', kind: 'section', change: 'added' },
      { heading: 'Examples', kind: 'section', change: 'removed' },
    ]);
    expect(next).toContain('## Safety\n\nRefuse harm; say why.');
    expect(next.startsWith('Read this first.\n\n# Criteria')).toBe(true);
  });
});
