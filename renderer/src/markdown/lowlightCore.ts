/**
 * What highlighting needs besides a grammar, in one chunk highlightCode loads with the first
 * grammar. lowlight's highlighter alone: importing 'lowlight' itself there would keep its whole
 * namespace, with every grammar of highlight.js (`all`, ~770 kB) in the chunk; a static
 * re-export lets the bundler drop them.
 */
export { createLowlight } from 'lowlight';
export { toText } from 'hast-util-to-text';
