import { useSession } from '../../state/sessionStore';

const TILES = [
  { key: 'pending', label: 'Pending', testId: 'count-pending' },
  { key: 'drafts', label: 'Drafts', testId: 'count-drafts' },
  { key: 'submitted', label: 'Submitted, not synced', testId: 'count-submitted' },
  { key: 'escalated', label: 'Escalated', testId: 'count-escalated' },
  { key: 'skipped', label: 'Skipped', testId: 'count-skipped' },
] as const;

export function QueueCounts() {
  const summary = useSession((s) => s.summary);
  return (
    <section className="counts" aria-labelledby="counts-heading">
      <h2 id="counts-heading" className="sr-only">
        Counts
      </h2>
      <dl className="count-tiles">
        {TILES.map((tile) => (
          <div key={tile.key} className={`count-tile count-${tile.key}`}>
            <dt>{tile.label}</dt>
            <dd data-testid={tile.testId}>{summary ? summary[tile.key] : '–'}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
