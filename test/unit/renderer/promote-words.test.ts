import { expect, it } from 'vitest';
import { promoteRefusalWords, promotedWords } from '../../../renderer/src/logic/promoteWords';

it('says what a promotion did', () => {
  expect(promotedWords({ to: 'golden-example', targetId: 'default', version: '1.1' }, 'Helpfulness')).toBe(
    'Published as Helpfulness v1.1: a golden example every reviewer gets at their next sync.',
  );
  expect(promotedWords({ to: 'exam-bank', targetId: 'e1', version: '7' }, 'Helpful exam')).toBe(
    'Added to the bank of the exam Helpful exam as item 7.',
  );
});

it("turns the server's refusals into what to do", () => {
  expect(promoteRefusalWords('guideline "default" already has an example "Ruling on q1"')).toBe(
    'This guideline already has an example called "Ruling on q1": give this one another title.',
  );
  expect(promoteRefusalWords('exam "e1" already has task "q1" in its bank')).toBe(
    'Task q1 is already in it: nothing was added.',
  );
  expect(promoteRefusalWords('escalation 4 has no ruling yet: rule on it first')).toBe(
    'This escalation has no ruling yet: rule on it first.',
  );
  expect(promoteRefusalWords('no course "x"')).toBe('no course "x"');
});
