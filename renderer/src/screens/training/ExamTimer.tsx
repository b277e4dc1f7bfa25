import { useEffect, useRef, useState } from 'react';
import { formatTimeLeft, spokenTimeLeft, timerAlert } from '../../logic/trainingTime';

const LOW_MS = 5 * 60_000;

/**
 * The exam countdown to the attempt's deadline (server time). The timer itself is not a live
 * region (a second-by-second voice would be unbearable); a polite status speaks at 5 and 1
 * minutes left and when the time is up.
 */
export function ExamTimer({ deadline }: { deadline: string }) {
  const end = Date.parse(deadline);
  const [left, setLeft] = useState(() => end - Date.now());
  const [alert, setAlert] = useState('');
  const before = useRef(left);
  useEffect(() => {
    before.current = end - Date.now();
    const id = window.setInterval(() => {
      const now = end - Date.now();
      const said = timerAlert(before.current, now);
      before.current = now;
      setLeft(now);
      if (said) setAlert(said);
    }, 1000);
    return () => window.clearInterval(id);
  }, [end]);
  if (Number.isNaN(end)) return null;
  const over = left <= 0;
  return (
    <span
      className={`exam-timer${over ? ' is-over' : left <= LOW_MS ? ' is-low' : ''}`}
      data-testid="exam-timer"
      title={spokenTimeLeft(left)}
    >
      <span role="timer" aria-label={`Exam time left: ${spokenTimeLeft(left)}`}>
        <span aria-hidden="true">{over ? 'Time is up' : `${formatTimeLeft(left)} left`}</span>
      </span>
      <span className="sr-only" role="status">
        {alert}
      </span>
    </span>
  );
}
