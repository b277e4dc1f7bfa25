import type { Mutation } from './sync';

/**
 * A device's mutation history as a hash chain: the digest after mutation n is
 * H(digest after n-1 + "\n" + canonical JSON of mutation n), starting from "" before mutation 1.
 * The workstation computes each digest once, when it numbers a mutation, and sends it with the
 * push; the server stores the digest at the device's last id and compares (server/sync/history.ts).
 * A cloned install (same device id, different work) or a server restored from a backup (it holds
 * less than it acknowledged) then shows up as a mismatch instead of silently skipped mutations.
 * The hash function is injected (shared/ imports no node:*).
 */
export type Hasher = (text: string) => string;

/** the digest of an empty history (before mutation 1) */
export const EMPTY_HISTORY = '';

/** JSON with object keys sorted at every level: the same value gives the same text on both sides. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** the history digest after `mutation`, given the digest before it */
export const nextDigest = (hash: Hasher, previous: string, mutation: Mutation): string =>
  hash(`${previous}\n${canonicalJson(mutation)}`);

/** the digests after each of `mutations` (consecutive ids), starting from `previous` */
export function historyDigests(hash: Hasher, previous: string, mutations: readonly Mutation[]): string[] {
  const out: string[] = [];
  let digest = previous;
  for (const m of mutations) {
    digest = nextDigest(hash, digest, m);
    out.push(digest);
  }
  return out;
}
