// Parses JSON an operator typed and, when it is broken, says where: line and column (1-based) and
// what was expected. JSON.parse's own messages and positions differ between Node 20, 22 and 24,
// so a small scanner finds the first error itself.

export type JsonTextResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; line: number; column: number; offset: number };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const describe = (ch: string | undefined) => (ch === undefined ? 'end of input' : ch === '\n' ? 'a line break' : `'${ch}'`);

type PathKey = string;
const keyOfPath = (path: ReadonlyArray<string | number>): PathKey => JSON.stringify(path);

class Scanner {
  i = 0;
  /** Where each value starts, by its path (['period', 'start'], ['identifier', 0]). */
  readonly starts = new Map<PathKey, number>();
  constructor(private readonly s: string) {}

  fail(message: string, at = this.i): never {
    throw new JsonSyntaxError(message, at);
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i += 1;
  }

  document(): void {
    this.ws();
    if (this.i >= this.s.length) this.fail('the text is empty: expected a JSON object');
    this.value([]);
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected ${describe(this.s[this.i])} after the end of the JSON value`);
  }

  value(path: Array<string | number>): void {
    this.starts.set(keyOfPath(path), this.i);
    const c = this.s[this.i];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    if (c === "'") this.fail("strings need double quotes (\"), not single quotes");
    if (c === undefined) this.fail('unexpected end of input: expected a value');
    this.fail(`unexpected ${describe(c)}: expected a value (object, array, string, number, true, false or null)`);
  }

  object(path: Array<string | number>): void {
    this.i += 1;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i += 1;
      return;
    }
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === '}') this.fail("trailing comma before '}'", this.i);
      if (c !== '"') this.fail(c === undefined ? "unexpected end of input: expected a property name or '}'" : `unexpected ${describe(c)}: expected a property name in double quotes`);
      const keyStart = this.i;
      this.string();
      const key = JSON.parse(this.s.slice(keyStart, this.i)) as string;
      this.ws();
      if (this.s[this.i] !== ':') this.fail(`unexpected ${describe(this.s[this.i])}: expected ':' after the property name`);
      this.i += 1;
      this.ws();
      // A property is found at its name, where an editor's eye goes.
      this.value([...path, key]);
      this.starts.set(keyOfPath([...path, key]), keyStart);
      this.ws();
      const next = this.s[this.i];
      if (next === ',') {
        this.i += 1;
        continue;
      }
      if (next === '}') {
        this.i += 1;
        return;
      }
      this.fail(next === undefined ? "unexpected end of input: expected ',' or '}'" : `unexpected ${describe(next)}: expected ',' or '}' after a property value`);
    }
  }

  array(path: Array<string | number>): void {
    this.i += 1;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i += 1;
      return;
    }
    for (let index = 0; ; index += 1) {
      this.ws();
      if (this.s[this.i] === ']') this.fail("trailing comma before ']'");
      this.value([...path, index]);
      this.ws();
      const next = this.s[this.i];
      if (next === ',') {
        this.i += 1;
        continue;
      }
      if (next === ']') {
        this.i += 1;
        return;
      }
      this.fail(next === undefined ? "unexpected end of input: expected ',' or ']'" : `unexpected ${describe(next)}: expected ',' or ']' after an array element`);
    }
  }

  string(): void {
    const start = this.i;
    this.i += 1;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('unterminated string (missing closing ")', start);
      if (c === '"') {
        this.i += 1;
        return;
      }
      if (c === '\n') this.fail('line break inside a string: close the string or write \\n', this.i);
      if (c < ' ') this.fail('control character inside a string', this.i);
      if (c === '\\') {
        const e = this.s[this.i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) this.i += 6;
        else this.fail(`invalid escape \\${e ?? ''} in a string`, this.i);
        continue;
      }
      this.i += 1;
    }
  }

  number(): void {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m || m[0] === '-') this.fail('invalid number');
    this.i += m[0].length;
    const next = this.s[this.i];
    if (next !== undefined && /[0-9A-Za-z.]/.test(next)) this.fail(`invalid number: unexpected ${describe(next)}`);
  }
}

/** 1-based line and column of a character offset (columns count UTF-16 units, as editors do for BMP text). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function parseJsonText(text: string): JsonTextResult {
  // A UTF-8 BOM some editors write is not an error.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    // Fall through to find where and why.
  }
  try {
    new Scanner(body).document();
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, message: err.message, offset: err.offset, ...lineColumn(body, err.offset) };
    throw err;
  }
  return { ok: false, message: 'invalid JSON', offset: 0, line: 1, column: 1 };
}

/**
 * Where a FHIRPath-like location ('Encounter.period.start', 'Encounter.identifier[0].value',
 * 'resourceType') is in the text: the property itself, or its nearest existing ancestor when it
 * is missing. Null for text that is not valid JSON.
 */
export function locatePath(text: string, fhirPath: string): { line: number; column: number } | null {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const scanner = new Scanner(body);
  try {
    scanner.document();
  } catch {
    return null;
  }
  const parts: Array<string | number> = [];
  for (const m of fhirPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  // 'Encounter.class' starts with the resource type; 'resourceType' does not.
  if (parts.length > 1 && typeof parts[0] === 'string' && /^[A-Z]/.test(parts[0])) parts.shift();
  for (let n = parts.length; n >= 0; n -= 1) {
    const at = scanner.starts.get(keyOfPath(parts.slice(0, n)));
    if (at !== undefined) return lineColumn(body, at);
  }
  return null;
}
