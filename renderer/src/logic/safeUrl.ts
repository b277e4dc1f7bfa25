/**
 * URL policy for untrusted Markdown: only http(s) and mailto survive (and are still never
 * navigated to); javascript:, data:, vbscript:, file:, relative and protocol-relative
 * addresses become '' so the renderer shows them as removed.
 */
const ALLOWED = /^(?:https?:\/\/|mailto:)/i;
// browsers ignore ASCII control characters and whitespace inside a scheme ("java\tscript:")
const CONTROL = /[\s\p{Cc}]/gu;

export function safeUrl(url: string): string {
  return ALLOWED.test(url.replace(CONTROL, '')) ? url.trim() : '';
}
