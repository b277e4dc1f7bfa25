import type { Element, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import { common, createLowlight } from 'lowlight';
import { visit } from 'unist-util-visit';

/**
 * rehype plugin: syntax highlighting for fenced code that names its language (no guessing).
 * Same output as rehype-highlight, but with one shared highlighter: rehype-highlight builds a
 * fresh one (and recompiles every grammar) per Markdown document, which dominated the time to
 * show the next task.
 */
const lowlight = createLowlight(common);

function language(code: Element): string | null {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return null;
  for (const name of classes) {
    const value = String(name);
    if (value === 'no-highlight' || value === 'nohighlight') return null;
    if (value.startsWith('language-')) return value.slice('language-'.length);
    if (value.startsWith('lang-')) return value.slice('lang-'.length);
  }
  return null;
}

export function rehypeHighlightCode() {
  return (tree: Root) => {
    visit(tree, 'element', (node, _index, parent) => {
      if (node.tagName !== 'code' || !parent || parent.type !== 'element' || parent.tagName !== 'pre') return;
      const lang = language(node);
      if (!lang || !lowlight.registered(lang)) return;
      const result = lowlight.highlight(lang, toText(node, { whitespace: 'pre' }), { prefix: 'hljs-' });
      const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
      node.properties.className = [...classes, 'hljs'];
      node.children = result.children as Element['children'];
    });
  };
}
