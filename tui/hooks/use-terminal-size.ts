// The terminal's size, following resizes (SIGWINCH → stdout 'resize').
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { useTui } from '../context.js';

export interface Size {
  columns: number;
  rows: number;
}

export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const { size: pinned } = useTui();
  const read = (): Size => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState<Size>(read);
  useEffect(() => {
    if (pinned) return undefined;
    const onResize = () => {
      const next = read();
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, pinned]);
  return pinned ?? size;
}
