// Polls an async source on an interval: one request at a time (the next waits for the previous,
// and a slow answer stretches the interval),
// the timer is cleared on unmount or when the key changes, and state is only set when the data
// really changed, so an idle screen does not re-render (no flicker, no garbage).
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Poll<T> {
  data: T | undefined;
  error: Error | null;
  /** A request for the current key is running and no data for this key has arrived yet. */
  loading: boolean;
  /** The data shown belongs to an older key (filters changed, answer pending). */
  stale: boolean;
  refresh(): void;
}

export interface PollOptions {
  intervalMs: number;
  /** Changing the key restarts polling at once (e.g. a new filter). */
  key: string;
  enabled?: boolean;
}

export function usePoll<T>(fetcher: () => Promise<T>, options: PollOptions): Poll<T> {
  const { intervalMs, key, enabled = true } = options;
  const [data, setData] = useState<T | undefined>(undefined);
  const [dataKey, setDataKey] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const lastJson = useRef<string | null>(null);
  const lastError = useRef<string | null>(null);
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!enabled) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let running = false;
    let again = false;
    const tick = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const started = Date.now();
      try {
        const value = await fetcherRef.current();
        if (cancelled) return;
        const json = JSON.stringify(value) ?? 'undefined';
        if (json !== lastJson.current) {
          lastJson.current = json;
          setData(value);
        }
        setDataKey(key);
        if (lastError.current !== null) {
          lastError.current = null;
          setError(null);
        }
      } catch (err) {
        if (cancelled) return;
        const e = err instanceof Error ? err : new Error(String(err));
        if (e.message !== lastError.current) {
          lastError.current = e.message;
          setError(e);
        }
      } finally {
        running = false;
        if (!cancelled) {
          if (again) {
            again = false;
            void tick();
          } else {
            // A slow source (a big state DB) is asked less often: never more than a third of the time busy.
            timer = setTimeout(() => void tick(), Math.max(intervalMs, (Date.now() - started) * 2));
          }
        }
      }
    };
    kick.current = () => void tick();
    void tick();
    return () => {
      cancelled = true;
      kick.current = () => undefined;
      if (timer) clearTimeout(timer);
    };
  }, [key, intervalMs, enabled]);

  const refresh = useCallback(() => kick.current(), []);
  const stale = dataKey !== key;
  return { data, error, loading: stale && error === null, stale, refresh };
}
