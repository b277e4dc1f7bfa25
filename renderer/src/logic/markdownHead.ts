/** Below this many characters a text is parsed whole at once: its first frame needs all of it. */
export const HEAD_CHARS = 3000;

const FENCE = /^ {0,3}(```|~~~)/;

/**
 * The first blocks of a long Markdown text, about HEAD_CHARS characters of it, cut at a blank line
 * outside code fences (a table or a code block stays whole); null when the text is short enough
 * to show whole, or has no such cut. A response card's first frame shows only its top, so a text
 * not parsed ahead can be parsed for that top first and whole right after.
 */
export function markdownHead(text: string): string | null {
  if (text.length < HEAD_CHARS * 2) return null;
  let inFence = false;
  let offset = 0;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    offset += line.length + 1;
    if (offset >= text.length - HEAD_CHARS) return null;
    if (!inFence && offset >= HEAD_CHARS && line.trim() === '') return text.slice(0, offset);
  }
  return null;
}
