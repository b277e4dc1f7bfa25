import { type ComponentProps, type ReactNode, createElement, useSyncExternalStore } from 'react';
import type { Root } from 'hast';
import { grammarsLoaded, highlightNow, onGrammarsLoaded } from './highlightCode';

/** lowlight's output (spans with classes, and text) as React nodes: text stays text. */
function toReact(nodes: Root['children']): ReactNode[] {
  return nodes.map((node, i) => {
    if (node.type === 'text') return node.value;
    if (node.type !== 'element') return null;
    const classes = node.properties.className;
    const className = Array.isArray(classes) ? classes.join(' ') : undefined;
    return createElement(node.tagName, { key: i, className }, ...toReact(node.children));
  });
}

type CodeProps = ComponentProps<'code'> & { node?: unknown; 'data-grammar'?: string };

/**
 * A fenced block rendered before its grammar arrived (`data-grammar`, set by highlightCode)
 * highlights itself when it does; only this block renders again, not its whole Markdown text.
 * Every other `code` renders as it came.
 */
export function CodeBlock({ node: _node, 'data-grammar': grammar, children, ...props }: CodeProps) {
  // renders again when a grammar arrives (only blocks that wait for one subscribe)
  useSyncExternalStore(grammar ? onGrammarsLoaded : noSubscription, grammarsLoaded, grammarsLoaded);
  const highlighted = grammar ? highlightNow(grammar, String(children ?? '')) : null;
  return <code {...props}>{highlighted ? toReact(highlighted) : children}</code>;
}

const noSubscription = () => () => undefined;
