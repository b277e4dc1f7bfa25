import type { Element, ElementContent, Root, RootContent } from 'hast';
import { splitMatches } from '../logic/guidelineSections';

/** rehype plugin: wraps case-insensitive matches of `query` in <mark> (guideline search). */
export function rehypeHighlightMatches(options: { query: string }) {
  const query = options.query.trim();
  return (tree: Root) => {
    if (!query) return;
    const walk = (node: Root | Element) => {
      const out: (RootContent | ElementContent)[] = [];
      for (const child of node.children) {
        if (child.type === 'text') {
          for (const part of splitMatches(child.value, query)) {
            out.push(
              part.match
                ? {
                    type: 'element',
                    tagName: 'mark',
                    properties: {},
                    children: [{ type: 'text', value: part.text }],
                  }
                : { type: 'text', value: part.text },
            );
          }
        } else {
          if (child.type === 'element') walk(child);
          out.push(child);
        }
      }
      node.children = out as typeof node.children;
    };
    walk(tree);
  };
}
