// usePoll: one request at a time, no re-render when nothing changed, timers gone on unmount.
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { usePoll } from '../../tui/hooks/use-poll.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function Probe({ fetch, onRender, intervalMs = 20, pollKey = 'k' }: { fetch: () => Promise<unknown>; onRender: () => void; intervalMs?: number; pollKey?: string }) {
  const poll = usePoll(fetch, { intervalMs, key: pollKey });
  onRender();
  return <Text>{poll.error ? `error ${poll.error.message}` : JSON.stringify(poll.data ?? null)}</Text>;
}

describe('usePoll', () => {
  it('polls, but re-renders only when the data changed', async () => {
    let calls = 0;
    let renders = 0;
    const value = { a: 1 };
    const { lastFrame, unmount } = render(<Probe fetch={async () => (calls++, { ...value })} onRender={() => renders++} />);
    await sleep(250);
    expect(calls).toBeGreaterThan(5);
    expect(lastFrame()).toBe('{"a":1}');
    // First render, then data + key arrival: a handful, not one per poll.
    expect(renders).toBeLessThanOrEqual(4);
    value.a = 2;
    await sleep(60);
    expect(lastFrame()).toBe('{"a":2}');
    unmount();
  });

  it('never overlaps requests and stops completely on unmount', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const slow = async () => {
      calls++;
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(40);
      active--;
      return calls;
    };
    const { unmount } = render(<Probe fetch={slow} onRender={() => undefined} intervalMs={1} />);
    await sleep(200);
    expect(maxActive).toBe(1);
    unmount();
    await sleep(60);
    const after = calls;
    await sleep(150);
    expect(calls).toBe(after);
  });

  it('shows an error and recovers when the source answers again', async () => {
    let fail = true;
    const { lastFrame, unmount } = render(<Probe fetch={async () => { if (fail) throw new Error('state DB down'); return 'ok'; }} onRender={() => undefined} />);
    await sleep(60);
    expect(lastFrame()).toBe('error state DB down');
    fail = false;
    await sleep(60);
    expect(lastFrame()).toBe('"ok"');
    unmount();
  });
});
