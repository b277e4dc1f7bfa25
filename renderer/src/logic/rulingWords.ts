import type { Label } from '../../../shared/label';
import { STRENGTH_LABELS } from '../../../shared/preference';
import type { Ruling } from '../../../shared/lead';
import { letterOf } from './letters';

/** What a lead decided, in one line for the reviewer who escalated. */
export function decisionWords(ruling: Pick<Ruling, 'decision' | 'lead'>): string {
  return ruling.decision === 'label'
    ? `${ruling.lead} ruled on it: their judgement is the task's label now.`
    : `${ruling.lead} sent it back to you: it is in your queue again.`;
}

/**
 * The lead's judgement in the letters this reviewer saw (presentation order), or by response id
 * where the order is not known here.
 */
export function judgementWords(
  label: Pick<Label, 'kind' | 'ranks' | 'pairwise'>,
  order: readonly string[] = [],
): string {
  const name = (id: string) => (order.includes(id) ? `Response ${letterOf(order, id)}` : `response "${id}"`);
  if (label.kind === 'ranking' && label.ranks) {
    const byRank = Object.entries(label.ranks).sort((a, b) => a[1] - b[1]);
    return `Ranked, best first: ${byRank.map(([id, rank]) => `${rank}. ${name(id)}`).join(', ')}`;
  }
  const p = label.pairwise;
  if (!p || p.preferredResponseId === null) return 'The responses are equally good (a tie).';
  return `${name(p.preferredResponseId)} is better${p.strength ? ` (${STRENGTH_LABELS[p.strength].toLowerCase()})` : ''}.`;
}
