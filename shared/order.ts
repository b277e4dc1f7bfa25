/**
 * Presentation order: a seeded shuffle per reviewer and task, so the same reviewer
 * always sees the same order for a task (reopen, crash) while position bias averages
 * out across reviewers. The seed is recorded in the label.
 */
export function orderSeed(reviewerId: string, taskId: string): string {
  return `${reviewerId}:${taskId}`;
}

/** cyrb53-style 32-bit string hash; pure and stable across platforms */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32 PRNG */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function presentationOrder(responseIds: readonly string[], seed: string): string[] {
  const order = [...responseIds];
  const next = prng(hash32(seed));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
