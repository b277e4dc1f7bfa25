import type { Root, RootContent } from 'mdast';

/**
 * remark plugin: raw HTML in untrusted Markdown is shown as literal code, never parsed. A
 * reviewer can then see that a response emitted markup (a formatting or safety problem)
 * while nothing of it runs or loads.
 */
export function remarkRawHtmlAsText() {
  return (tree: Root) => {
    const visit = (node: { children?: RootContent[] }, inline: boolean) => {
      if (!node.children) return;
      node.children = node.children.map((child): RootContent => {
        if (child.type === 'html') {
          return inline
            ? { type: 'inlineCode', value: child.value }
            : { type: 'code', value: child.value, lang: null, meta: null };
        }
        const isBlockContainer =
          child.type === 'blockquote' ||
          child.type === 'list' ||
          child.type === 'listItem' ||
          child.type === 'footnoteDefinition';
        visit(child as { children?: RootContent[] }, !isBlockContainer);
        return child;
      });
    };
    visit(tree, false);
  };
}
