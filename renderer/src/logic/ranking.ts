/**
 * Ranking edits, pure. Ranks are dense (1, 1, 2 = a tie for first, then second) and keyed by
 * response id. The display list orders ranked responses by rank, ties by presentation
 * position, unranked ones last in presentation order.
 */
export type Ranks = Readonly<Record<string, number>>;

export interface RankEntry {
  id: string;
  rank: number | null;
  /** shares its rank with another response */
  tied: boolean;
}

export function rankList(ranks: Ranks, order: readonly string[]): RankEntry[] {
  const position = new Map(order.map((id, i) => [id, i]));
  const counts = new Map<number, number>();
  for (const id of order) {
    const r = ranks[id];
    if (r !== undefined) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return [...order]
    .sort((a, b) => {
      const ra = ranks[a] ?? Infinity;
      const rb = ranks[b] ?? Infinity;
      return ra !== rb ? ra - rb : position.get(a)! - position.get(b)!;
    })
    .map((id) => {
      const rank = ranks[id] ?? null;
      return { id, rank, tied: rank !== null && (counts.get(rank) ?? 0) > 1 };
    });
}

/** The starting point of a fresh ranking task: the presented order, which the reviewer is expected to change. */
export function presentedRanks(order: readonly string[]): Record<string, number> {
  return Object.fromEntries(order.map((id, i) => [id, i + 1]));
}

export function hasTies(ranks: Ranks): boolean {
  const values = Object.values(ranks);
  return new Set(values).size !== values.length;
}

/**
 * Moves `id` to `index` of the display list (drag and drop). Dropped between two responses
 * that share a rank, it joins their tie (when ties are allowed); otherwise it gets a rank of its
 * own and the others are renumbered. Unranked responses above the drop point become ranked.
 */
export function moveTo(
  ranks: Ranks,
  order: readonly string[],
  id: string,
  index: number,
  allowTies: boolean,
): Record<string, number> {
  const list = rankList(ranks, order).filter((e) => e.id !== id);
  const at = Math.max(0, Math.min(index, list.length));
  const prev = list[at - 1];
  const next = list[at];
  const join = allowTies && prev && next && prev.rank !== null && prev.rank === next.rank;
  const moved: RankEntry = { id, rank: join ? prev.rank : null, tied: false };
  list.splice(at, 0, moved);

  const out: Record<string, number> = {};
  let current = 0;
  let lastKey: string | undefined;
  list.forEach((entry, i) => {
    if (entry.rank === null && i > at) return; // unranked below the moved one stay unranked
    const key =
      entry === moved
        ? join
          ? `r${entry.rank}`
          : 'moved'
        : entry.rank === null
          ? `u${i}`
          : `r${entry.rank}`;
    if (key !== lastKey) {
      current += 1;
      lastKey = key;
    }
    out[entry.id] = current;
  });
  return out;
}

/** Digit key: `id` takes rank `rank` on its own; responses at that rank and below move down one. */
export function setRank(
  ranks: Ranks,
  order: readonly string[],
  id: string,
  rank: number,
): Record<string, number> {
  const others = rankList(ranks, order).filter((e) => e.id !== id && e.rank !== null);
  const distinct = [...new Set(others.map((e) => e.rank))];
  // index in the display list where the group currently holding `rank` (dense position) starts
  const groupsBefore = distinct.slice(0, Math.max(0, rank - 1));
  const index = others.filter((e) => groupsBefore.includes(e.rank)).length;
  return moveTo(ranks, order, id, index, false);
}

/** Shift+digit: `id` shares rank `rank` with whoever holds it; if nobody does, it goes there alone. */
export function tieWith(
  ranks: Ranks,
  order: readonly string[],
  id: string,
  rank: number,
): Record<string, number> {
  const others = rankList(ranks, order).filter((e) => e.id !== id && e.rank !== null);
  const distinct = [...new Set(others.map((e) => e.rank!))];
  const target = distinct[rank - 1];
  if (target === undefined) return setRank(ranks, order, id, rank);
  const joined: Record<string, number> = {};
  for (const e of others) joined[e.id] = e.rank!;
  joined[id] = target;
  return densify(joined, order);
}

/** Renumbers ranks 1, 2, 3… keeping their order and ties. */
export function densify(ranks: Ranks, order: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  let current = 0;
  let last: number | null = null;
  for (const entry of rankList(ranks, order)) {
    if (entry.rank === null) continue;
    if (entry.rank !== last) {
      current += 1;
      last = entry.rank;
    }
    out[entry.id] = current;
  }
  return out;
}
