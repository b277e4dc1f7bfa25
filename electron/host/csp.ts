/**
 * One CSP for both hosts (renderer/index.html carries the same policy as a <meta>): no
 * inline or eval'd script, no remote anything. Inline styles stay allowed because the
 * Markdown highlighter and React style props use them; styles cannot run code.
 * Pure module: browser mode imports it too.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
