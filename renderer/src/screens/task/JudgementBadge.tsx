import type { TaskKind } from '../../../../shared/task';
import { useWork } from '../../state/workStore';

/** The response's current rank, or its pairwise status, in words (never colour alone). */
export function JudgementBadge({
  kind,
  responseId,
  index,
}: {
  kind: TaskKind;
  responseId: string;
  index: number;
}) {
  const text = useWork((s) => {
    if (kind === 'ranking') {
      const rank = s.work.ranks[responseId];
      if (rank === undefined) return 'Unranked';
      const tied = Object.entries(s.work.ranks).some(([id, r]) => id !== responseId && r === rank);
      return `Rank ${rank}${tied ? ' (tie)' : ''}`;
    }
    const { choice } = s.work.pairwise;
    if (choice === null) return 'Not judged';
    if (choice === 'tie') return 'Tie';
    return (choice === 'A') === (index === 0) ? 'Preferred' : 'Not preferred';
  });
  const top = text === 'Rank 1' || text.startsWith('Rank 1 ') || text === 'Preferred';
  return <span className={`badge${top ? ' badge-top' : ''}`}>{text}</span>;
}
