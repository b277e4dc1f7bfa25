import { isLoopbackHost } from '../shared/loopback';

export interface ListenPlan {
  host: string;
  /** --tls-cert/--tls-key given: the server speaks https itself */
  tls: boolean;
  /** --trust-proxy: a TLS-terminating proxy in front forwards the requests */
  trustProxy: boolean;
}

/**
 * Why the server must not start on this address, in plain words; null when it may. Plain http is
 * only for loopback (this computer, the demo, tests): on a network, passwords, session tokens and
 * prompts would travel in clear. Behind a TLS-terminating proxy the operator says so explicitly.
 */
export function listenRefusal({ host, tls, trustProxy }: ListenPlan): string | null {
  if (tls || trustProxy || isLoopbackHost(host)) return null;
  return (
    `--host ${host} is reachable from the network, and without TLS passwords, session tokens and ` +
    `prompts would cross it in clear. Give --tls-cert FILE --tls-key FILE, or run behind a ` +
    `TLS-terminating proxy and start with --trust-proxy, or listen on 127.0.0.1.`
  );
}

/**
 * Fastify's trustProxy for --trust-proxy: the directly connected peer (hop 0) only. The client
 * address is then the one that proxy appended last to X-Forwarded-For; entries before it were sent
 * by the client and could be forged to dodge the per-address sign-in limits.
 */
export const trustOneProxy = (_address: string, hop: number): boolean => hop < 1;
