import { memo, useEffect, useState } from 'react';
import { markdownHead } from '../../logic/markdownHead';
import { isParsed, Markdown } from '../../markdown/Markdown';

/**
 * A response's Markdown. Parsed ahead (state/prepareNext.ts) it shows whole at once; a long text
 * the preparation has not reached yet shows its first blocks in the task's first frame (the card
 * shows only its top) and the whole text in the next idle slice, so a cache miss costs the parse of
 * what is on screen, not of four 2,000-word answers. Keyed by response id: a new task, a new one.
 */
export const ResponseText = memo(function ResponseText({ text }: { text: string }) {
  const [head] = useState(() => (isParsed(text) ? null : markdownHead(text)));
  const [whole, setWhole] = useState(head === null);
  useEffect(() => {
    if (whole) return;
    const idle = window.requestIdleCallback(() => setWhole(true), { timeout: 300 });
    return () => window.cancelIdleCallback(idle);
  }, [whole]);
  return <Markdown text={whole || head === null ? text : head} />;
});
