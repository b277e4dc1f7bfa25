import { describe, expect, it } from 'vitest';
import { HEAD_CHARS, markdownHead } from '../../../renderer/src/logic/markdownHead';
import { rankingTasksJsonl } from '../../fixtures/markdown';

const paragraph = (n: number) => `Paragraph ${n} ${'word '.repeat(60)}\n\n`;

describe('markdownHead', () => {
  it('leaves a short text whole', () => {
    expect(markdownHead(paragraph(1).repeat(3))).toBeNull();
  });

  it('cuts a long text at a blank line after about HEAD_CHARS characters', () => {
    const text = Array.from({ length: 60 }, (_, i) => paragraph(i)).join('');
    const head = markdownHead(text)!;
    expect(text.startsWith(head)).toBe(true);
    expect(head.length).toBeGreaterThanOrEqual(HEAD_CHARS);
    expect(head.length).toBeLessThan(HEAD_CHARS + 400);
    expect(head.endsWith('\n\n')).toBe(true);
  });

  it('never cuts inside a code fence, even at its blank lines', () => {
    const code = '```python\n' + 'x = 1\n\n'.repeat(600) + '```\n\n';
    const text = paragraph(0) + code + Array.from({ length: 60 }, (_, i) => paragraph(i)).join('');
    const head = markdownHead(text)!;
    expect(head.startsWith(paragraph(0) + code)).toBe(true);
  });

  it('cuts the long fixture responses (tables and code) outside their fences', () => {
    const task = JSON.parse(rankingTasksJsonl(1, 'long', 2000).split('\n')[0]!) as {
      responses: { text: string }[];
    };
    for (const { text } of task.responses) {
      const head = markdownHead(text)!;
      expect(head).not.toBeNull();
      expect((head.match(/^ {0,3}```/gm) ?? []).length % 2).toBe(0);
    }
  });
});
