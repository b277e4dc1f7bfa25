import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs`: for "in 3 h" and "12 min left" texts. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}
