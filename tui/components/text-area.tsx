// The built-in multi-line editor, for when neither $VISUAL nor $EDITOR is set. Ctrl-S saves,
// Esc leaves without saving (the text is kept for the next try).
import { Box, Text, useInput } from 'ink';
import { useRef } from 'react';
import { splitKeys } from '../keys.js';
import { applyEditorOp, horizontalWindow, scrollToCursor, type EditorBuffer } from '../view-models/editor-buffer.js';
import { Txt } from './txt.js';

export interface TextAreaProps {
  buffer: EditorBuffer;
  onChange(buffer: EditorBuffer): void;
  /** Ctrl-S, with the latest text. */
  onSave(buffer: EditorBuffer): void;
  /** Esc, with the latest text. */
  onCancel(buffer: EditorBuffer): void;
  /** Lines to mark (errors), 0-based. */
  marked?: ReadonlySet<number>;
  width: number;
  height: number;
  focus: boolean;
}

export function TextArea({ buffer, onChange, onSave, onCancel, marked, width, height, focus }: TextAreaProps) {
  const bodyHeight = Math.max(1, height);
  // Keys can arrive faster than React re-renders: edit the latest buffer, not the last rendered one.
  const latest = useRef(buffer);
  latest.current = buffer;
  useInput(
    (chunk, rawKey) => {
      const start = latest.current;
      let b = start;
      const apply = (op: Parameters<typeof applyEditorOp>[1]) => {
        b = applyEditorOp(b, op, bodyHeight);
      };
      for (const [input, key] of splitKeys(chunk, rawKey)) {
        if (key.ctrl && input === 's') {
          if (b !== start) onChange(b);
          onSave(b);
          return;
        }
        if (key.escape) {
          if (b !== start) onChange(b);
          onCancel(b);
          return;
        }
        if (key.return) apply({ type: 'newline' });
        else if (key.backspace || key.delete) apply({ type: 'backspace' });
        else if (key.ctrl && input === 'd') apply({ type: 'delete' });
        else if (key.upArrow) apply({ type: 'move', direction: 'up' });
        else if (key.downArrow) apply({ type: 'move', direction: 'down' });
        else if (key.leftArrow) apply({ type: 'move', direction: 'left' });
        else if (key.rightArrow) apply({ type: 'move', direction: 'right' });
        else if (key.home || (key.ctrl && input === 'a')) apply({ type: 'move', direction: 'home' });
        else if (key.end || (key.ctrl && input === 'e')) apply({ type: 'move', direction: 'end' });
        else if (key.pageUp) apply({ type: 'move', direction: 'page-up' });
        else if (key.pageDown) apply({ type: 'move', direction: 'page-down' });
        else if (key.tab) apply({ type: 'insert', text: '  ' });
        else if (!key.ctrl && !key.meta && input) apply({ type: 'insert', text: input });
      }
      if (b !== start) {
        latest.current = b;
        onChange(b);
      }
    },
    { isActive: focus },
  );
  const gutter = String(buffer.lines.length).length + 1;
  const textWidth = Math.max(4, width - gutter - 1);
  // The cursor line is always on screen, whatever height the buffer was last scrolled for.
  const shown = scrollToCursor(buffer, bodyHeight);
  const visible = shown.lines.slice(shown.top, shown.top + bodyHeight);
  return (
    <Box flexDirection="column" width={width} height={bodyHeight} overflow="hidden">
      {visible.map((line, i) => {
        const row = shown.top + i;
        const isCursorRow = row === buffer.row;
        const win = horizontalWindow(line, isCursorRow ? buffer.col : 0, textWidth);
        const num = String(row + 1).padStart(gutter - 1);
        const isMarked = marked?.has(row) ?? false;
        if (!isCursorRow || !focus) {
          return (
            <Text key={row} wrap="truncate-end">
              <Txt tone={isMarked ? 'red' : undefined} dim={!isMarked} bold={isMarked}>{`${isMarked ? '›' : ' '}${num} `}</Txt>
              {win.text}
            </Text>
          );
        }
        const c = buffer.col - win.start;
        return (
          <Text key={row} wrap="truncate-end">
            <Txt tone={isMarked ? 'red' : undefined} bold>{`${isMarked ? '›' : ' '}${num} `}</Txt>
            {win.text.slice(0, c)}
            <Txt inverse>{win.text[c] ?? ' '}</Txt>
            {win.text.slice(c + 1)}
          </Text>
        );
      })}
    </Box>
  );
}
