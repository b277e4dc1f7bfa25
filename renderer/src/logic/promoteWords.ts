import type { PromoteResponse } from '../../../shared/lead';

/** What a promotion did, in plain words (docs/lead-workspace.md, "Promote a ruled task"). */
export function promotedWords(result: PromoteResponse, targetTitle: string): string {
  switch (result.to) {
    case 'golden-example':
      return `Published as ${targetTitle} v${result.version}: a golden example every reviewer gets at their next sync.`;
    case 'course':
      return `Added to the course ${targetTitle}, now version ${result.version}.`;
    case 'exam-bank':
      return `Added to the bank of the exam ${targetTitle} as item ${result.version}.`;
  }
}

/**
 * The server's refusal of a promotion, in the lead's terms: duplicate-example, duplicate-item,
 * not-ruled and no-ruling-label read as what to do; anything else comes in the server's words.
 */
export function promoteRefusalWords(message: string): string {
  const example = /already has an example "(.*)"/.exec(message);
  if (example)
    return `This guideline already has an example called "${example[1]}": give this one another title.`;
  const item = /already has task "(.*?)"/.exec(message);
  if (item) return `Task ${item[1]} is already in it: nothing was added.`;
  if (/has no ruling yet/.test(message)) return 'This escalation has no ruling yet: rule on it first.';
  if (/was returned to the reviewer/.test(message))
    return 'This task went back to the reviewer: only a ruling that became the label can be promoted.';
  return message;
}
