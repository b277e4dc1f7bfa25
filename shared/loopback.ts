/**
 * Loopback addresses: the only places plain http:// may be used (a server on this computer, the
 * demo, tests). Anything else travels the network and needs TLS. Names other than `localhost` are
 * not loopback here: they may resolve anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255);
}

/** The host of an `http(s)://host[:port][/path]` address (brackets kept off IPv6), or null. */
export function urlHost(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(url.trim());
  return m ? m[1]!.replace(/^\[(.*)\]$/, '$1') : null;
}

/** A plain http:// address off this computer: refused everywhere (sign-in, IT config, --server). */
export function isPlainHttpOffLoopback(url: string): boolean {
  if (!/^http:\/\//i.test(url.trim())) return false;
  const host = urlHost(url);
  return host === null || !isLoopbackHost(host);
}

export const HTTPS_REQUIRED =
  'must start with https:// (plain http:// only for this computer: localhost, 127.x.x.x or [::1])';
