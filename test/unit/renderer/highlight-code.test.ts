import type { Element, Root, Text } from 'hast';
import hljs from 'highlight.js/lib/core';
import { common } from 'lowlight';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { GRAMMAR_LOADERS, grammarName } from '../../../renderer/src/markdown/grammars';
import {
  grammarsLoaded,
  grammarsSettled,
  highlightNow,
  rehypeHighlightCode,
} from '../../../renderer/src/markdown/highlightCode';

/** Every `subLanguage` a grammar hands text to. */
function embedded(fn: (typeof common)[string]): Set<string> {
  const found = new Set<string>();
  const seen = new Set<object>();
  const walk = (mode: unknown) => {
    if (typeof mode !== 'object' || mode === null || seen.has(mode)) return;
    seen.add(mode);
    const m = mode as Record<string, unknown>;
    if (m.subLanguage) for (const s of [m.subLanguage].flat()) found.add(String(s));
    for (const key of ['contains', 'variants', 'starts']) {
      const inner = m[key];
      if (Array.isArray(inner)) inner.forEach(walk);
      else walk(inner);
    }
  };
  walk(fn(hljs));
  return found;
}

/** The code element of the first fenced block, as the Markdown view gets it (hast, rendered by React). */
function codeOf(markdown: string): Element {
  const processor = unified().use(remarkParse).use(remarkRehype).use(rehypeHighlightCode);
  const tree = processor.runSync(processor.parse(markdown)) as Root;
  const pre = tree.children.find((n): n is Element => n.type === 'element' && n.tagName === 'pre')!;
  return pre.children.find((n): n is Element => n.type === 'element' && n.tagName === 'code')!;
}

const texts = (node: Element | Root): string[] =>
  node.children.flatMap((n) =>
    n.type === 'text' ? [(n as Text).value] : n.type === 'element' ? texts(n) : [],
  );
const classesOf = (node: Element | Root): string[] =>
  node.children.flatMap((n) =>
    n.type === 'element' ? [...((n.properties.className as string[]) ?? []), ...classesOf(n)] : [],
  );
const elementsOf = (node: Element | Root): string[] =>
  node.children.flatMap((n) => (n.type === 'element' ? [n.tagName, ...elementsOf(n)] : []));

describe('code grammars loaded when a code block names them', () => {
  it('lists the same grammars, aliases and embedded languages as highlight.js', async () => {
    expect(Object.keys(GRAMMAR_LOADERS).sort()).toEqual(Object.keys(common).sort());
    for (const [name, entry] of Object.entries(GRAMMAR_LOADERS)) {
      const { default: fn } = await entry.load();
      const definition = fn(hljs);
      expect([...entry.aliases].sort(), name).toEqual([...(definition.aliases ?? [])].sort());
      const known = [...embedded(fn)].filter((lang) => lang !== name && lang in GRAMMAR_LOADERS);
      expect([...entry.embeds].sort(), name).toEqual(known.sort());
    }
  });

  it('names a grammar by any alias, in any case, and nothing else', () => {
    expect(grammarName('ts')).toBe('typescript');
    expect(grammarName('RS')).toBe('rust');
    expect(grammarName('html')).toBe('xml');
    expect(grammarName('cobol')).toBeNull();
    expect(grammarName('constructor')).toBeNull();
  });

  it('shows a rare language plain at once, highlighted once its grammar is here, and its text stays inert', async () => {
    const source = 'fun main() { val s = "<script>alert(1)</script><img src=x onerror=alert(2)>" }';
    const markdown = ['Before.', '', '```kotlin', source, '```'].join('\n');
    const before = grammarsLoaded();
    const first = codeOf(markdown);
    // plain, in the highlighted box already (the colours arriving later move nothing), and
    // marked for CodeBlock, which highlights it alone when the grammar arrives
    expect(first.properties.className).toEqual(['language-kotlin', 'hljs']);
    expect(first.properties.dataGrammar).toBe('kotlin');
    expect(elementsOf(first)).toEqual([]);
    expect(highlightNow('kotlin', source)).toBeNull();

    await grammarsSettled();
    expect(grammarsLoaded()).toBeGreaterThan(before);
    const alone = { type: 'root', children: highlightNow('kt', source)! } as Root;
    expect(classesOf(alone)).toContain('hljs-keyword');
    expect(texts(alone).join('')).toBe(source);
    // parsed again (a later task), the block comes highlighted and unmarked
    const later = codeOf(markdown);
    expect(later.properties.dataGrammar).toBeUndefined();
    expect(classesOf(later)).toContain('hljs-keyword');
    // every character is still text: the markup in the string is text nodes, never elements
    expect(texts(later).join('')).toBe(`${source}\n`);
    expect(elementsOf(later).every((tag) => tag === 'span')).toBe(true);
  });

  it('highlights HTML with the script grammar it embeds, the markup still text', async () => {
    const markdown = '```html\n<script>let x = 1;</script>\n```';
    codeOf(markdown);
    await grammarsSettled();
    const code = codeOf(markdown);
    expect(classesOf(code)).toContain('hljs-tag');
    // the JavaScript inside <script> came along with the HTML grammar
    expect(classesOf(code)).toContain('hljs-keyword');
    expect(texts(code).join('')).toBe('<script>let x = 1;</script>\n');
    expect(elementsOf(code).every((tag) => tag === 'span')).toBe(true);
  });

  it('leaves a language it does not know plain and without the highlight box', () => {
    const code = codeOf('```cobol\nDISPLAY "<b>hi</b>".\n```');
    expect(code.properties.className).toEqual(['language-cobol']);
    expect(texts(code).join('')).toBe('DISPLAY "<b>hi</b>".\n');
    expect(code.properties.dataGrammar).toBeUndefined();
  });
});
