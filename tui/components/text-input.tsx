// A one-line, controlled text input (search, date, username, masked password). It only shows a
// window of the text around the cursor, so it never grows past its width.
import { useInput } from 'ink';
import { useRef } from 'react';
import { splitKeys } from '../keys.js';
import { Txt } from './txt.js';

export interface TextInputProps {
  value: string;
  onChange(value: string): void;
  onSubmit?(value: string): void;
  onCancel?(): void;
  /** Extra keys (e.g. ← → on the date field); return true when handled. */
  onKey?(input: string, key: { leftArrow: boolean; rightArrow: boolean; upArrow: boolean; downArrow: boolean; tab: boolean; shift: boolean }): boolean;
  focus: boolean;
  mask?: string;
  placeholder?: string;
  width: number;
  maxLength?: number;
}

export function TextInput({ value, onChange, onSubmit, onCancel, onKey, focus, mask, placeholder, width, maxLength = 200 }: TextInputProps) {
  // Keys can arrive faster than React re-renders: work on the latest value, not the last rendered one.
  const latest = useRef(value);
  latest.current = value;
  useInput(
    (chunk, rawKey) => {
      const before = latest.current;
      let current = before;
      for (const [input, key] of splitKeys(chunk, rawKey)) {
        if (onKey?.(input, key)) continue;
        if (key.return) {
          if (current !== before) {
            latest.current = current;
            onChange(current);
          }
          onSubmit?.(current);
          return;
        }
        if (key.escape) {
          onCancel?.();
          return;
        }
        if (key.backspace || key.delete) current = current.slice(0, -1);
        else if (key.ctrl && input === 'u') current = '';
        else if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) continue;
        else if (input) {
          const clean = [...input].filter((c) => c >= ' ' && c !== '\u007f').join('');
          if (clean) current = (current + clean).slice(0, maxLength);
        }
      }
      if (current !== before) {
        latest.current = current;
        onChange(current);
      }
    },
    { isActive: focus },
  );
  const shown = mask ? mask.repeat(value.length) : value;
  const room = Math.max(1, width - 1);
  const visible = shown.length > room ? `…${shown.slice(shown.length - room + 1)}` : shown;
  if (visible === '' && placeholder && !focus) return <Txt dim>{placeholder.slice(0, width)}</Txt>;
  return (
    <Txt>
      {visible}
      {focus ? <Txt inverse> </Txt> : null}
      {visible === '' && placeholder && focus ? <Txt dim>{placeholder.slice(0, Math.max(0, width - 1))}</Txt> : null}
    </Txt>
  );
}
