import { type ReactElement, memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { safeUrl } from '../logic/safeUrl';
import { CodeBlock } from './CodeBlock';
import { rehypeHighlightCode } from './highlightCode';
import { rehypeHighlightMatches } from './highlightMatches';
import { remarkRawHtmlAsText } from './rawHtmlAsText';

/**
 * Markdown for untrusted text (prompts, responses) and guidelines: GFM tables, highlighted
 * code, and nothing that can run or load. No raw HTML (shown as literal code), links are inert
 * text with their address shown, images are never fetched, only http(s)/mailto addresses survive.
 */
const InertLink: Components['a'] = ({ href, children }) =>
  href ? (
    <span className="md-link" title={href}>
      <span className="md-link-text">{children}</span>
      <span className="md-url"> ({href})</span>
    </span>
  ) : (
    <span className="md-link md-link-removed">
      <span className="md-link-text">{children}</span>
      <span className="md-url"> [unsafe link removed]</span>
    </span>
  );

const NoImage: Components['img'] = ({ alt }) => (
  <span className="md-image">[image: {alt || 'no description'}]</span>
);

// Headings inside untrusted content look like headings but stay out of the page outline, so
// screen-reader heading navigation lists the workstation's own structure only.
const heading =
  (className: string): Components['h1'] =>
  ({ children }) => <p className={`md-heading ${className}`}>{children}</p>;

const components: Components = {
  a: InertLink,
  code: CodeBlock,
  img: NoImage,
  h1: heading('md-h1'),
  h2: heading('md-h2'),
  h3: heading('md-h3'),
  h4: heading('md-h4'),
  h5: heading('md-h5'),
  h6: heading('md-h6'),
};

const remarkPlugins = [remarkGfm, remarkRawHtmlAsText];

/** Parses to a React tree right away (react-markdown's sync API is a plain function, no hooks). */
function render(text: string, query: string): ReactElement {
  return ReactMarkdown({
    children: text,
    remarkPlugins,
    rehypePlugins: query ? [rehypeHighlightCode, [rehypeHighlightMatches, { query }]] : [rehypeHighlightCode],
    components,
    skipHtml: true,
    urlTransform: safeUrl,
  });
}

// Parsed trees are kept for re-opens and re-renders: parsing is the costly part of showing a task.
const CACHE_SIZE = 48;
const cache = new Map<string, ReactElement>();

function cached(text: string): ReactElement {
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const element = render(text, '');
  cache.set(text, element);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return element;
}

/**
 * Parses `text` into the cache now (idle time), so the screen that shows it next finds the tree
 * ready: the next task's prompt and responses are prepared while the reviewer works on this one.
 */
export function warmMarkdown(text: string): void {
  cached(text);
}

/** Whether `text` is in the cache already (parsed ahead): showing it costs no parse. */
export const isParsed = (text: string): boolean => cache.has(text);

export const Markdown = memo(function Markdown({
  text,
  highlight = '',
}: {
  text: string;
  highlight?: string;
}) {
  return <div className="markdown">{highlight ? render(text, highlight) : cached(text)}</div>;
});
