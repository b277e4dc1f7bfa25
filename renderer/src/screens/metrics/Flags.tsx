import type { Flag, PodRow } from '../../../../shared/metrics/report';
import { HOLD_SCALING } from '../../../../shared/metrics/verdicts';

const ACTION_WORDS: Record<Flag['actions'][number], string> = {
  coaching: 'coaching note',
  restriction: 'restrict to lower-impact work',
  're-certification': 're-certification',
  'hold-scaling': 'hold scaling',
};

/** Reviewers and pods below a bar: the numbers that triggered it and what a lead can do. */
export function FlagList({
  flags,
  pods,
  admin,
}: {
  flags: readonly Flag[];
  pods: readonly PodRow[];
  admin: boolean;
}) {
  const holding = admin ? pods.filter((p) => p.holdScaling) : [];
  return (
    <section className="m-section" aria-labelledby="m-flags" data-testid="metric-flags">
      <h2 id="m-flags">Flags</h2>
      {holding.map((pod) => (
        <p key={pod.podId} className="hold-scaling" role="note" data-testid={`hold-${pod.podId}`}>
          <b>{pod.name}:</b> {HOLD_SCALING}.
        </p>
      ))}
      {flags.length === 0 ? (
        <p className="muted">Nobody is below a bar in this window.</p>
      ) : (
        <ul className="flags">
          {flags.map((flag, i) => (
            <li key={i} className={`flag flag-${flag.subject}`}>
              <span className="flag-who">{flag.subject === 'pod' ? `Pod ${flag.podId}` : flag.username}</span>{' '}
              {flag.message}
              <span className="flag-actions">
                {' '}
                Suggested: {flag.actions.map((a) => ACTION_WORDS[a]).join(', ')}.
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
