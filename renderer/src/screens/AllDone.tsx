import { useEffect, useRef } from 'react';
import { ExposureNotice } from '../components/ExposureNotice';
import { QueueCounts } from './queue/QueueCounts';
import { goToQueue } from '../state/actions';

/** The queue is empty: a calm stop, not an error. */
export function AllDone() {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <main id="main" className="all-done" data-testid="all-done" tabIndex={-1}>
      <h1>All done</h1>
      <p>There are no open tasks in your queue. Your work is saved on this computer.</p>
      <ExposureNotice />
      <QueueCounts />
      <button ref={ref} type="button" className="btn btn-primary" onClick={() => void goToQueue()}>
        Back to the queue <kbd>Q</kbd>
      </button>
    </main>
  );
}
