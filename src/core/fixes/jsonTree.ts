// A strict JSON parser (RFC 8259) that keeps where every value and member is, so that a fix can edit one member of a
// settings file and leave every other byte as it was. Claude Code's settings files are plain JSON; anything else
// (comments, trailing commas) is refused rather than guessed at, and the fix is then left to a human.
//
// Linear in the text; nesting is limited (MAX_DEPTH) so that a hostile file cannot exhaust the stack.

export type JsonNode = JsonObject | JsonArray | JsonScalar;

interface JsonBase {
  /** [start, end) of the value in the text. */
  start: number;
  end: number;
}

export interface JsonMember {
  name: string;
  /** Where the member begins (its name's opening quote) and ends (the end of its value). */
  start: number;
  end: number;
  value: JsonNode;
}

export interface JsonObject extends JsonBase {
  type: 'object';
  members: JsonMember[];
}

export interface JsonArray extends JsonBase {
  type: 'array';
  items: JsonNode[];
}

export interface JsonScalar extends JsonBase {
  type: 'string' | 'number' | 'boolean' | 'null';
  /** The decoded value. */
  value: string | number | boolean | null;
}

/** Deeper than any settings file; shallow enough that recursion stays far from the stack's limit. */
const MAX_DEPTH = 256;

class JsonSyntaxError extends Error {}

/** The value of `text` with positions, or undefined when it is not strict JSON. */
export function parseJsonTree(text: string): JsonNode | undefined {
  const parser = new Parser(text);
  try {
    // A byte order mark before the value is allowed (RFC 8259 §8.1 lets parsers ignore it).
    if (text.charCodeAt(0) === 0xfeff) parser.at = 1;
    const value = parser.value(0);
    parser.skipSpace();
    return parser.at === text.length ? value : undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return undefined;
    throw error;
  }
}

/** The member of `object` named `name` (the last one, as JSON.parse keeps the last of duplicates). */
export function memberNamed(object: JsonObject, name: string): JsonMember | undefined {
  for (let i = object.members.length - 1; i >= 0; i--) if (object.members[i].name === name) return object.members[i];
  return undefined;
}

class Parser {
  at = 0;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.at);
      if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) this.at++;
      else return;
    }
  }

  private fail(): never {
    throw new JsonSyntaxError();
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail();
    this.skipSpace();
    const start = this.at;
    const char = this.text[this.at];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return { type: 'string', start, value: this.string(), end: this.at };
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return { type: value === null ? 'null' : 'boolean', start, end: this.at, value };
      }
    }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = this.at;
    if (!number.test(this.text)) this.fail();
    this.at = number.lastIndex;
    return { type: 'number', start, end: this.at, value: Number(this.text.slice(start, this.at)) };
  }

  private object(depth: number): JsonObject {
    const start = this.at++;
    const members: JsonMember[] = [];
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return { type: 'object', start, end: this.at, members };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail();
      const memberStart = this.at;
      const name = this.string();
      this.skipSpace();
      if (this.text[this.at++] !== ':') this.fail();
      const value = this.value(depth + 1);
      members.push({ name, start: memberStart, end: value.end, value });
      this.skipSpace();
      const next = this.text[this.at++];
      if (next === '}') return { type: 'object', start, end: this.at, members };
      if (next !== ',') this.fail();
    }
  }

  private array(depth: number): JsonArray {
    const start = this.at++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return { type: 'array', start, end: this.at, items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.at++];
      if (next === ']') return { type: 'array', start, end: this.at, items };
      if (next !== ',') this.fail();
    }
  }

  /** A string at `at` (its opening quote), decoded; `at` ends after its closing quote. */
  private string(): string {
    const start = this.at;
    // One linear pass to the closing quote, then JSON.parse decodes the escapes (and rejects control characters).
    let i = start + 1;
    for (; i < this.text.length; i++) {
      const code = this.text.charCodeAt(i);
      if (code === 0x5c) i++;
      else if (code === 0x22) break;
    }
    if (i >= this.text.length) this.fail();
    this.at = i + 1;
    try {
      return JSON.parse(this.text.slice(start, this.at)) as string;
    } catch {
      this.fail();
    }
  }
}
