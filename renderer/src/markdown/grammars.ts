import type { LanguageFn } from 'highlight.js';

/**
 * The grammars code blocks may name: highlight.js's 37 common languages (those lowlight's
 * `common` set registered up front before issue 12), each a dynamic import Vite puts in a chunk
 * of its own, so a task without code loads none. `aliases` are the grammar's own (a fence may say
 * `ts` or `py`); they are listed here because the grammar is not loaded when the name must be
 * known. `embeds` are the languages it hands parts to (a `<script>` in HTML, a REPL's Python),
 * loaded with it. test/unit/renderer/grammars.test.ts checks both lists against the grammars.
 */
export interface GrammarLoader {
  load: () => Promise<{ default: LanguageFn }>;
  aliases: readonly string[];
  embeds: readonly string[];
}

export const GRAMMAR_LOADERS: Record<string, GrammarLoader> = {
  arduino: {
    load: () => import('highlight.js/lib/languages/arduino'),
    aliases: ['ino'],
    embeds: [],
  },
  bash: {
    load: () => import('highlight.js/lib/languages/bash'),
    aliases: ['sh', 'zsh'],
    embeds: [],
  },
  c: {
    load: () => import('highlight.js/lib/languages/c'),
    aliases: ['h'],
    embeds: [],
  },
  cpp: {
    load: () => import('highlight.js/lib/languages/cpp'),
    aliases: ['cc', 'c++', 'h++', 'hpp', 'hh', 'hxx', 'cxx'],
    embeds: [],
  },
  csharp: {
    load: () => import('highlight.js/lib/languages/csharp'),
    aliases: ['cs', 'c#'],
    embeds: [],
  },
  css: {
    load: () => import('highlight.js/lib/languages/css'),
    aliases: [],
    embeds: [],
  },
  diff: {
    load: () => import('highlight.js/lib/languages/diff'),
    aliases: ['patch'],
    embeds: [],
  },
  go: {
    load: () => import('highlight.js/lib/languages/go'),
    aliases: ['golang'],
    embeds: [],
  },
  graphql: {
    load: () => import('highlight.js/lib/languages/graphql'),
    aliases: ['gql'],
    embeds: [],
  },
  ini: {
    load: () => import('highlight.js/lib/languages/ini'),
    aliases: ['toml'],
    embeds: [],
  },
  java: {
    load: () => import('highlight.js/lib/languages/java'),
    aliases: ['jsp'],
    embeds: [],
  },
  javascript: {
    load: () => import('highlight.js/lib/languages/javascript'),
    aliases: ['js', 'jsx', 'mjs', 'cjs'],
    embeds: ['xml', 'css', 'graphql'],
  },
  json: {
    load: () => import('highlight.js/lib/languages/json'),
    aliases: ['jsonc', 'json5'],
    embeds: [],
  },
  kotlin: {
    load: () => import('highlight.js/lib/languages/kotlin'),
    aliases: ['kt', 'kts', 'ktm', 'ktx'],
    embeds: [],
  },
  less: {
    load: () => import('highlight.js/lib/languages/less'),
    aliases: [],
    embeds: [],
  },
  lua: {
    load: () => import('highlight.js/lib/languages/lua'),
    aliases: ['pluto'],
    embeds: [],
  },
  makefile: {
    load: () => import('highlight.js/lib/languages/makefile'),
    aliases: ['mk', 'mak', 'make'],
    embeds: [],
  },
  markdown: {
    load: () => import('highlight.js/lib/languages/markdown'),
    aliases: ['md', 'mkdown', 'mkd'],
    embeds: ['xml'],
  },
  objectivec: {
    load: () => import('highlight.js/lib/languages/objectivec'),
    aliases: ['mm', 'objc', 'obj-c', 'obj-c++', 'objective-c++'],
    embeds: [],
  },
  perl: {
    load: () => import('highlight.js/lib/languages/perl'),
    aliases: ['pl', 'pm'],
    embeds: [],
  },
  php: {
    load: () => import('highlight.js/lib/languages/php'),
    aliases: [],
    embeds: [],
  },
  'php-template': {
    load: () => import('highlight.js/lib/languages/php-template'),
    aliases: [],
    embeds: ['xml', 'php'],
  },
  plaintext: {
    load: () => import('highlight.js/lib/languages/plaintext'),
    aliases: ['text', 'txt'],
    embeds: [],
  },
  python: {
    load: () => import('highlight.js/lib/languages/python'),
    aliases: ['py', 'gyp', 'ipython'],
    embeds: [],
  },
  'python-repl': {
    load: () => import('highlight.js/lib/languages/python-repl'),
    aliases: ['pycon'],
    embeds: ['python'],
  },
  r: {
    load: () => import('highlight.js/lib/languages/r'),
    aliases: [],
    embeds: [],
  },
  ruby: {
    load: () => import('highlight.js/lib/languages/ruby'),
    aliases: ['rb', 'gemspec', 'podspec', 'thor', 'irb'],
    embeds: [],
  },
  rust: {
    load: () => import('highlight.js/lib/languages/rust'),
    aliases: ['rs'],
    embeds: [],
  },
  scss: {
    load: () => import('highlight.js/lib/languages/scss'),
    aliases: [],
    embeds: [],
  },
  shell: {
    load: () => import('highlight.js/lib/languages/shell'),
    aliases: ['console', 'shellsession'],
    embeds: ['bash'],
  },
  sql: {
    load: () => import('highlight.js/lib/languages/sql'),
    aliases: [],
    embeds: [],
  },
  swift: {
    load: () => import('highlight.js/lib/languages/swift'),
    aliases: [],
    embeds: [],
  },
  typescript: {
    load: () => import('highlight.js/lib/languages/typescript'),
    aliases: ['ts', 'tsx', 'mts', 'cts'],
    embeds: ['xml', 'css', 'graphql'],
  },
  vbnet: {
    load: () => import('highlight.js/lib/languages/vbnet'),
    aliases: ['vb'],
    embeds: [],
  },
  wasm: {
    load: () => import('highlight.js/lib/languages/wasm'),
    aliases: [],
    embeds: [],
  },
  xml: {
    load: () => import('highlight.js/lib/languages/xml'),
    aliases: ['html', 'xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf', 'svg'],
    embeds: ['css', 'javascript'],
  },
  yaml: {
    load: () => import('highlight.js/lib/languages/yaml'),
    aliases: ['yml'],
    embeds: ['ruby'],
  },
};

const byAlias = new Map<string, string>(
  Object.entries(GRAMMAR_LOADERS).flatMap(([name, { aliases }]) => [
    [name, name],
    ...aliases.map((alias): [string, string] => [alias, name]),
  ]),
);

/** The grammar a fence's language names (`ts` -> `typescript`), or null for one we do not highlight. */
export function grammarName(lang: string): string | null {
  return byAlias.get(lang.toLowerCase()) ?? null;
}
