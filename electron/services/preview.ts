import type { Prompt } from '../../shared/task';

export const PREVIEW_LENGTH = 140;

/** One line of prompt text for queue lists: a chat prompt shows its last user turn. */
export function promptPreview(prompt: Prompt): string {
  let text: string;
  if (typeof prompt === 'string') text = prompt;
  else {
    const lastUser = [...prompt].reverse().find((m) => m.role === 'user');
    text = (lastUser ?? prompt[prompt.length - 1]!).content;
  }
  const line = text
    .slice(0, PREVIEW_LENGTH * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH - 1).trimEnd()}…` : line;
}
