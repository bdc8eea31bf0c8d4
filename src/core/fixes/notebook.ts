// A key in a Jupyter notebook, fixed in the notebook's own JSON text: the CLI sees the .ipynb file, not cells.
// Code cells are Python (nbformat 4: `cells[i].source` is a string or a list of line strings, each line but the
// last ending in "\n"), so the key gets the Python rewrite applied to its cell's text; a key in a Markdown or raw
// cell, or in a code cell's comment, gets the redaction. Only the JSON strings an edit falls in are touched, and
// only between the edit's bounds: indentation, key order, the notebook's escapes (`\u00e9` or `é`), line endings
// and every other cell stay byte-identical, and the result must still parse.

import type { TextEdit } from './edits';
import { applyEdits } from './edits';
import { pythonImportsOs } from './imports';
import { keyLocation } from './lexer';
import { redactKey } from './redaction';
import { rewriteToEnvLookup, type FixPlan } from './rewrite';

/** A JSON string token: its raw content's bounds in the notebook text (quotes excluded) and its value. */
interface JsonString {
  start: number;
  end: number;
  value: string;
}

interface Cell {
  type: string | undefined;
  /** The source as JSON strings: one for a string source, one per line for a list. */
  source: JsonString[];
}

/**
 * Rewrites the key at [keyStart, keyEnd) of a notebook's JSON text: the environment lookup in a code cell (with
 * `import os` in that cell unless it or an earlier code cell imports os), the hint in a Markdown or raw cell or
 * a comment. Edits are on the notebook text. Undefined when the key is not in a cell's source, the notebook is
 * not JSON, the Python rewrite refuses, or an edit would span two source lines.
 */
export function rewriteNotebookKey(text: string, keyStart: number, keyEnd: number, variable: string, hint: string): FixPlan | undefined {
  const cells = notebookCells(text);
  if (!cells) return undefined;
  const cellIndex = cells.findIndex((cell) => cell.source.some((line) => line.start <= keyStart && keyEnd <= line.end));
  if (cellIndex < 0) return undefined;
  const cell = cells[cellIndex];
  // The key's characters ([A-Za-z0-9_-]) are never escaped, so its raw bytes are its value.
  if (cell.type !== 'code') return redactKey(text, keyStart, keyEnd, hint);
  const lines = cell.source.map((line) => decode(text, line));
  const cellText = lines.map((line) => line.value).join('');
  const lineIndex = cell.source.findIndex((line) => line.start <= keyStart && keyEnd <= line.end);
  const offset = lines.slice(0, lineIndex).reduce((sum, line) => sum + line.value.length, 0);
  const cellKeyStart = offset + lines[lineIndex].rawToValue(keyStart);
  const cellKeyEnd = cellKeyStart + (keyEnd - keyStart);
  if (keyLocation(cellText, cellKeyStart, cellKeyEnd, 'python').kind === 'comment') return redactKey(text, keyStart, keyEnd, hint);
  // An `import os` already run by this cell or one before it serves this one: rewrite as if the cell began with
  // it (the virtual line is never edited), so the rewrite adds none.
  const imported = cells.slice(0, cellIndex + 1).some((earlier) => earlier.type === 'code' && pythonImportsOs(earlier.source.map((line) => decode(text, line).value).join('')));
  const preamble = imported ? 'import os\n' : '';
  const plan = rewriteToEnvLookup(preamble + cellText, preamble.length + cellKeyStart, preamble.length + cellKeyEnd, variable, 'python', { fileName: 'cell.py' });
  if (!plan) return undefined;
  // A non-ASCII character written as \uXXXX (an unescaped backslash before the u) means the notebook was saved
  // with ensure_ascii; text the rewrite copies is then written the same way.
  const asciiOnly = /(?:^|[^\\])(?:\\\\)*\\u(?:00[89a-f][0-9a-f]|0[1-9a-f][0-9a-f]{2}|[1-9a-f][0-9a-f]{3})/i.test(text);
  const edits: TextEdit[] = [];
  for (const edit of plan.edits) {
    const mapped = toNotebookEdit(text, cell.source, lines, edit.start - preamble.length, edit.end - preamble.length, edit.newText, asciiOnly);
    if (!mapped) return undefined;
    edits.push(mapped);
  }
  // Belt and braces: the notebook must still be JSON.
  try {
    JSON.parse(applyEdits(text, edits));
  } catch {
    return undefined;
  }
  return { edits, title: plan.title, ...(plan.note === undefined ? {} : { note: plan.note }) };
}

// ---- Mapping cell edits onto the JSON text -----------------------------------------------------------------

interface Decoded {
  value: string;
  /** The value offset of a raw offset inside the token. */
  rawToValue(raw: number): number;
  /** The raw offset of a value offset (0..value.length). */
  valueToRaw(value: number): number;
}

/** Decodes a JSON string token (RFC 8259 §7), keeping the offset map between its raw text and its value. */
function decode(text: string, token: JsonString): Decoded {
  const rawOffsets: number[] = [];
  let value = '';
  for (let i = token.start; i < token.end; ) {
    rawOffsets.push(i);
    if (text[i] !== '\\') {
      value += text[i++];
      continue;
    }
    const escape = text[i + 1];
    if (escape === 'u') {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
      continue;
    }
    value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' } as Record<string, string>)[escape] ?? escape;
    i += 2;
  }
  rawOffsets.push(token.end);
  return {
    value,
    rawToValue: (raw) => {
      const index = rawOffsets.indexOf(raw);
      return index < 0 ? rawOffsets.findIndex((offset) => offset > raw) - 1 : index;
    },
    valueToRaw: (offset) => rawOffsets[offset],
  };
}

/** A JSON string's content for `value`, escaping only what JSON requires (and non-ASCII where the notebook
 * escapes it, as Python's json.dump with ensure_ascii does). */
function encode(value: string, asciiOnly: boolean): string {
  let encoded = JSON.stringify(value).slice(1, -1);
  if (asciiOnly) encoded = encoded.replace(/[\u0080-\uffff]/g, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'));
  return encoded;
}

/** The JSON-text edit for an edit of the cell's text [start, end), inside one source line's token. An insertion
 * of whole lines at a line start becomes new list elements, as Jupyter would write them. */
function toNotebookEdit(text: string, source: JsonString[], lines: Decoded[], start: number, end: number, newText: string, asciiOnly: boolean): TextEdit | undefined {
  let lineStart = 0;
  for (let index = 0; index < lines.length; index++) {
    const length = lines[index].value.length;
    const lineEnd = lineStart + length;
    if (start === end && start === lineStart && index > 0 && source.length > 1 && newText.endsWith('\n') && !newText.slice(0, -1).includes('\n')) {
      // A new line before this one: a new element `"import os\n",` written with the separator the list uses.
      const separator = text.slice(source[index - 1].end + 1, source[index].start - 1);
      const at = source[index].start - 1;
      return { start: at, end: at, newText: '"' + encode(newText, asciiOnly) + '"' + separator };
    }
    if (start === end && start === 0 && index === 0 && source.length > 1 && newText.endsWith('\n') && !newText.slice(0, -1).includes('\n')) {
      const separator = text.slice(source[0].end + 1, source[1].start - 1);
      const at = source[0].start - 1;
      return { start: at, end: at, newText: '"' + encode(newText, asciiOnly) + '"' + separator };
    }
    // Inside this line (an insertion at its very end belongs to it only when it is the last line).
    if (start >= lineStart && end <= lineEnd && (start < lineEnd || index === lines.length - 1)) {
      return { start: lines[index].valueToRaw(start - lineStart), end: lines[index].valueToRaw(end - lineStart), newText: encode(newText, asciiOnly) };
    }
    lineStart = lineEnd;
  }
  return undefined;
}

// ---- A JSON reader that keeps the offsets of strings -------------------------------------------------------

type JsonValue = JsonString | { object: Map<string, JsonValue> } | { array: JsonValue[] } | { other: true };

/** The cells of a notebook, or undefined when the text is not a JSON object with a `cells` list. */
function notebookCells(text: string): Cell[] | undefined {
  let root: JsonValue;
  try {
    JSON.parse(text);
    root = new JsonReader(text).read();
  } catch {
    return undefined;
  }
  if (!('object' in root)) return undefined;
  const cells = root.object.get('cells');
  if (!cells || !('array' in cells)) return undefined;
  return cells.array.map((cell) => {
    if (!('object' in cell)) return { type: undefined, source: [] };
    const type = cell.object.get('cell_type');
    const source = cell.object.get('source');
    const strings = !source ? [] : 'value' in source ? [source] : 'array' in source ? source.array.filter((line): line is JsonString => 'value' in line) : [];
    return { type: type && 'value' in type ? type.value : undefined, source: strings };
  });
}

/** A recursive-descent reader over text JSON.parse has already accepted; linear in the text. */
class JsonReader {
  private at = 0;
  constructor(private readonly text: string) {}

  read(): JsonValue {
    this.skipBlanks();
    const char = this.text[this.at];
    if (char === '{') return this.readObject();
    if (char === '[') return this.readArray();
    if (char === '"') return this.readString();
    // Numbers, true, false, null: up to the next delimiter.
    while (this.at < this.text.length && !',]}'.includes(this.text[this.at])) this.at++;
    return { other: true };
  }

  private skipBlanks(): void {
    while (this.at < this.text.length && ' \t\r\n'.includes(this.text[this.at])) this.at++;
  }

  private readString(): JsonString {
    const start = ++this.at;
    while (this.text[this.at] !== '"') this.at += this.text[this.at] === '\\' ? 2 : 1;
    const end = this.at++;
    return { start, end, value: JSON.parse(this.text.slice(start - 1, end + 1)) as string };
  }

  private readObject(): JsonValue {
    const object = new Map<string, JsonValue>();
    this.at++;
    this.skipBlanks();
    while (this.text[this.at] !== '}') {
      const key = this.readString().value;
      this.skipBlanks();
      this.at++; // ':'
      object.set(key, this.read());
      this.skipBlanks();
      if (this.text[this.at] === ',') this.at++;
      this.skipBlanks();
    }
    this.at++;
    return { object };
  }

  private readArray(): JsonValue {
    const array: JsonValue[] = [];
    this.at++;
    this.skipBlanks();
    while (this.text[this.at] !== ']') {
      array.push(this.read());
      this.skipBlanks();
      if (this.text[this.at] === ',') this.at++;
      this.skipBlanks();
    }
    this.at++;
    return { array };
  }
}
