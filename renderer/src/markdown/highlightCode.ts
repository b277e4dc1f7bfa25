import type { Element, Root } from 'hast';
import type { LanguageFn } from 'highlight.js';
import { visit } from 'unist-util-visit';
import { GRAMMAR_LOADERS, grammarName } from './grammars';
import type { createLowlight, toText } from './lowlightCore';

/**
 * rehype plugin: syntax highlighting for fenced code that names its language (no guessing).
 * Same output as rehype-highlight, but with one shared highlighter (rehype-highlight builds a
 * fresh one per document, which dominated the time to show the next task), and with the
 * highlighter and each grammar loaded the first time a code block names it (issue 12: the 37
 * grammars registered up front were ~160 kB of the first task's JavaScript). Until a grammar is
 * here, its block renders as plain text in the same box (the `hljs` class is set either way, so
 * the colours arriving move nothing) and marked `data-grammar`, and markdown/CodeBlock.tsx
 * highlights it when the grammar arrives, without parsing the rest of the text again. Output is
 * a hast tree rendered by React: code text never becomes HTML.
 */
/** the highlighter and hast's text reader, loaded with the first grammar */
let engine: { lowlight: ReturnType<typeof createLowlight>; toText: typeof toText } | null = null;
/** grammar name -> its load, started once */
const loading = new Map<string, Promise<void>>();
const listeners = new Set<() => void>();
let loadedCount = 0;

/** Subscribes to "a grammar arrived": texts rendered before it may now be highlighted. */
export function onGrammarsLoaded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** How many grammars have arrived: a version number for views that cache rendered texts. */
export const grammarsLoaded = (): number => loadedCount;

async function loadGrammar(name: string): Promise<void> {
  const needs = GRAMMAR_LOADERS[name]!;
  const [core, grammar, ...embedded] = await Promise.all([
    import('./lowlightCore'),
    needs.load(),
    // languages this one embeds (<script> in HTML, a REPL's Python): highlighted inside it too
    ...needs.embeds.map((inner) => GRAMMAR_LOADERS[inner]!.load()),
  ]);
  engine ??= { lowlight: core.createLowlight(), toText: core.toText };
  const { lowlight } = engine;
  const register = (languageName: string, fn: LanguageFn) => {
    if (!lowlight.registered(languageName)) lowlight.register(languageName, fn);
  };
  needs.embeds.forEach((inner, i) => register(inner, embedded[i]!.default));
  register(name, grammar.default);
  loadedCount++;
  for (const listener of listeners) listener();
}

/**
 * Starts loading the grammar for `lang` (a name or alias) unless it is here or on its way.
 * Returns true when it is here now. A failed load (a missing chunk) leaves the code plain.
 */
export function ensureGrammar(lang: string): boolean {
  const name = grammarName(lang);
  if (!name) return false;
  if (engine?.lowlight.registered(name)) return true;
  if (!loading.has(name))
    loading.set(
      name,
      loadGrammar(name).catch(() => undefined),
    );
  return false;
}

/** `code` highlighted with a loaded grammar (name or alias) as hast nodes; null until it is here. */
export function highlightNow(lang: string, code: string): Root['children'] | null {
  const name = grammarName(lang);
  if (!name || !engine?.lowlight.registered(name)) return null;
  return engine.lowlight.highlight(name, code, { prefix: 'hljs-' }).children;
}

/** Resolves when every grammar asked for so far has loaded (or failed): for tests and preloading. */
export async function grammarsSettled(): Promise<void> {
  await Promise.all(loading.values());
}

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
      if (!lang || !grammarName(lang)) return;
      const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
      // the box is the highlighted one from the first render: colours arriving later move nothing
      node.properties.className = [...classes, 'hljs'];
      if (!ensureGrammar(lang) || !engine) {
        // CodeBlock highlights this one when the grammar arrives: the rest of the text is not parsed again
        node.properties.dataGrammar = lang;
        return;
      }
      const code = engine.toText(node, { whitespace: 'pre' });
      const result = engine.lowlight.highlight(grammarName(lang)!, code, { prefix: 'hljs-' });
      node.children = result.children as Element['children'];
    });
  };
}
