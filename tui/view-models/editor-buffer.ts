// The built-in multi-line editor (used when neither $VISUAL nor $EDITOR is set): a text buffer
// with a cursor, as a pure reducer. The component only draws it.

export interface EditorBuffer {
  lines: string[];
  row: number;
  col: number;
  /** First visible line. */
  top: number;
}

export function bufferFromText(text: string): EditorBuffer {
  return { lines: text.split('\n'), row: 0, col: 0, top: 0 };
}

export const bufferText = (b: EditorBuffer): string => b.lines.join('\n');

export type EditorOp =
  | { type: 'insert'; text: string }
  | { type: 'newline' }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'move'; direction: 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'page-up' | 'page-down' | 'top' | 'bottom' }
  | { type: 'goto'; row: number; col: number };

const clampCol = (b: EditorBuffer, row: number, col: number) => Math.max(0, Math.min(col, (b.lines[row] ?? '').length));

export function applyEditorOp(b: EditorBuffer, op: EditorOp, height: number): EditorBuffer {
  const line = b.lines[b.row] ?? '';
  let next: EditorBuffer;
  switch (op.type) {
    case 'insert': {
      // Pasted text may hold newlines: split into lines.
      const parts = op.text.replace(/\r\n?/g, '\n').replace(/\t/g, '  ').split('\n');
      const before = line.slice(0, b.col);
      const after = line.slice(b.col);
      const lines = [...b.lines];
      if (parts.length === 1) {
        lines[b.row] = before + parts[0] + after;
        next = { ...b, lines, col: b.col + (parts[0] ?? '').length };
      } else {
        const first = before + parts[0];
        const lastPart = parts[parts.length - 1] ?? '';
        lines.splice(b.row, 1, first, ...parts.slice(1, -1), lastPart + after);
        next = { ...b, lines, row: b.row + parts.length - 1, col: lastPart.length };
      }
      break;
    }
    case 'newline': {
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      const lines = [...b.lines];
      lines.splice(b.row, 1, line.slice(0, b.col), indent + line.slice(b.col));
      next = { ...b, lines, row: b.row + 1, col: indent.length };
      break;
    }
    case 'backspace': {
      if (b.col > 0) {
        const lines = [...b.lines];
        lines[b.row] = line.slice(0, b.col - 1) + line.slice(b.col);
        next = { ...b, lines, col: b.col - 1 };
      } else if (b.row > 0) {
        const lines = [...b.lines];
        const prev = lines[b.row - 1] ?? '';
        lines.splice(b.row - 1, 2, prev + line);
        next = { ...b, lines, row: b.row - 1, col: prev.length };
      } else next = b;
      break;
    }
    case 'delete': {
      if (b.col < line.length) {
        const lines = [...b.lines];
        lines[b.row] = line.slice(0, b.col) + line.slice(b.col + 1);
        next = { ...b, lines };
      } else if (b.row < b.lines.length - 1) {
        const lines = [...b.lines];
        lines.splice(b.row, 2, line + (lines[b.row + 1] ?? ''));
        next = { ...b, lines };
      } else next = b;
      break;
    }
    case 'move': {
      const last = b.lines.length - 1;
      const page = Math.max(1, height - 1);
      const to = (row: number, col: number) => {
        const r = Math.max(0, Math.min(last, row));
        return { ...b, row: r, col: clampCol(b, r, col) };
      };
      switch (op.direction) {
        case 'left':
          next = b.col > 0 ? { ...b, col: b.col - 1 } : b.row > 0 ? { ...b, row: b.row - 1, col: (b.lines[b.row - 1] ?? '').length } : b;
          break;
        case 'right':
          next = b.col < line.length ? { ...b, col: b.col + 1 } : b.row < last ? { ...b, row: b.row + 1, col: 0 } : b;
          break;
        case 'up':
          next = to(b.row - 1, b.col);
          break;
        case 'down':
          next = to(b.row + 1, b.col);
          break;
        case 'home':
          next = { ...b, col: 0 };
          break;
        case 'end':
          next = { ...b, col: line.length };
          break;
        case 'page-up':
          next = to(b.row - page, b.col);
          break;
        case 'page-down':
          next = to(b.row + page, b.col);
          break;
        case 'top':
          next = to(0, 0);
          break;
        case 'bottom':
          next = to(last, Number.MAX_SAFE_INTEGER);
          break;
      }
      break;
    }
    case 'goto': {
      const r = Math.max(0, Math.min(b.lines.length - 1, op.row));
      next = { ...b, row: r, col: clampCol(b, r, op.col) };
      break;
    }
  }
  return scrollToCursor(next, height);
}

/** Keeps the cursor row inside the visible window. */
export function scrollToCursor(b: EditorBuffer, height: number): EditorBuffer {
  const h = Math.max(1, height);
  let top = b.top;
  if (b.row < top) top = b.row;
  if (b.row >= top + h) top = b.row - h + 1;
  top = Math.max(0, Math.min(top, Math.max(0, b.lines.length - h)));
  return top === b.top ? b : { ...b, top };
}

/** Horizontal window of a long line so the cursor stays visible: [start, text]. */
export function horizontalWindow(line: string, col: number, width: number): { start: number; text: string } {
  if (line.length <= width) return { start: 0, text: line };
  const start = Math.max(0, Math.min(col - Math.floor(width * 0.75), line.length - width + 1));
  return { start, text: line.slice(start, start + width) };
}
