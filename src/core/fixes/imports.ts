// The one import each lookup needs, added only when the file lacks it and placed where the language's own
// tools would put it, touching no other line.
import type { TextEdit } from './edits';

/** The file's line ending, judged from its first line break (LF for a file without one). */
export function lineEndingOf(text: string): '\r\n' | '\n' {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

interface Line {
  start: number;
  /** Before the line break ('\r' excluded). */
  end: number;
  /** After the line break (the next line's start, or the text length). */
  next: number;
  text: string;
}

function* lines(text: string, from = 0): Generator<Line> {
  let start = from;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const next = newline < 0 ? text.length : newline + 1;
    const end = newline < 0 ? text.length : newline > start && text[newline - 1] === '\r' ? newline - 1 : newline;
    yield { start, end, next, text: text.slice(start, end) };
    start = next;
  }
}

// ---- Python ------------------------------------------------------------------------------------------------

/** Whether a module-level statement binds `os`: `import os`, `import os.path`, `import sys, os` (not `as`). */
export function pythonImportsOs(text: string): boolean {
  for (const match of text.matchAll(/^import[ \t]+([^#\r\n;]+)/gm)) {
    const bound = match[1].split(',').map((item) => item.trim());
    if (bound.some((item) => item === 'os' || (/^os\.[\w.]+$/.test(item) && !item.includes(' ')))) return true;
  }
  return false;
}

const PY_DOCSTRING_START = /^[rRuU]?("""|'''|"|')/;
const PY_FUTURE_IMPORT = /^from[ \t]+__future__[ \t]+import\b/;

/**
 * `import os` for a Python file that lacks it, placed before the first statement that follows the header: the
 * shebang and encoding lines, the module docstring and `from __future__` imports (which must stay first). When
 * that statement is an import, `import os` joins the import block; comments and blank lines stay where they are.
 */
export function pythonImportOsEdit(text: string): TextEdit | undefined {
  if (pythonImportsOs(text)) return undefined;
  const eol = lineEndingOf(text);
  let position = 0;
  let lineNumber = 0;
  for (const line of lines(text)) {
    if (lineNumber++ >= 2) break;
    const isHeader = (lineNumber === 1 && line.text.startsWith('#!')) || /^[ \t]*#.*coding[:=]/.test(line.text);
    if (!isHeader) break;
    position = line.next;
  }
  let statement = firstStatement(text, position);
  const docstring = PY_DOCSTRING_START.exec(text.slice(statement, statement + 4));
  if (docstring) {
    const quote = docstring[1];
    const close = findUnescaped(text, quote, statement + docstring[0].length);
    if (close < 0) return undefined; // an unterminated docstring: nothing sensible to do
    statement = firstStatement(text, endOfLineAfter(text, close + quote.length));
  }
  while (PY_FUTURE_IMPORT.test(text.slice(statement, statement + 40))) {
    statement = firstStatement(text, endOfLineAfter(text, statement));
  }
  // A byte order mark stays the first character.
  if (statement === 0 && text.startsWith('\uFEFF')) statement = 1;
  const needsLeadingBreak = statement === text.length && text.length > 0 && !text.endsWith('\n');
  return { start: statement, end: statement, newText: (needsLeadingBreak ? eol : '') + 'import os' + eol };
}

/** Start of the first line at or after `from` that is neither blank nor a comment (or the text length). */
function firstStatement(text: string, from: number): number {
  for (const line of lines(text, from)) {
    const trimmed = line.text.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return line.start;
  }
  return text.length;
}

/** Start of the line after the one holding `offset`. */
function endOfLineAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function findUnescaped(text: string, needle: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text.startsWith(needle, i)) return i;
    if (needle.length === 1 && text[i] === '\n') return -1;
  }
  return -1;
}

// ---- Go ----------------------------------------------------------------------------------------------------

const GO_IMPORT_LINE = /^[ \t]*(?:[\w.]+[ \t]+)?"([^"]+)"/;

/** Whether the file imports "os" under its own name. */
export function goImportsOs(text: string): boolean {
  if (/^import[ \t]+"os"/m.test(text)) return true;
  const block = goImportBlock(text);
  return block !== undefined && block.lines.some((line) => /^[ \t]*"os"/.test(line.text));
}

function goImportBlock(text: string): { open: Line; lines: Line[] } | undefined {
  let open: Line | undefined;
  const inside: Line[] = [];
  for (const line of lines(text)) {
    if (!open) {
      if (/^import[ \t]*\([ \t]*(?:\/\/.*)?$/.test(line.text)) open = line;
      continue;
    }
    if (/^[ \t]*\)/.test(line.text)) return { open, lines: inside };
    inside.push(line);
  }
  return undefined;
}

/**
 * `"os"` for a Go file that lacks it: into the first group of the first `import (` block in sorted position
 * (as gofmt keeps it), else `import "os"` after the last single-line import, else after the package clause.
 */
export function goImportOsEdit(text: string): TextEdit | undefined {
  if (goImportsOs(text)) return undefined;
  const eol = lineEndingOf(text);
  const block = goImportBlock(text);
  if (block) {
    const group: Line[] = [];
    for (const line of block.lines) {
      if (line.text.trim() === '') {
        if (group.length > 0) break;
        continue;
      }
      if (GO_IMPORT_LINE.test(line.text)) group.push(line);
      else if (!line.text.trim().startsWith('//')) break;
    }
    const indent = group.length > 0 ? /^[ \t]*/.exec(group[0].text)![0] : '\t';
    const before = group.find((line) => GO_IMPORT_LINE.exec(line.text)![1] > 'os');
    const position = before ? before.start : group.length > 0 ? group[group.length - 1].next : block.open.next;
    return { start: position, end: position, newText: `${indent}"os"${eol}` };
  }
  let lastImport: Line | undefined;
  let packageLine: Line | undefined;
  for (const line of lines(text)) {
    if (!packageLine && /^package[ \t]+\w+/.test(line.text)) packageLine = line;
    else if (packageLine && /^import[ \t]+(?:[\w.]+[ \t]+)?"/.test(line.text)) lastImport = line;
    else if (packageLine && /^(?:func|type|var|const)\b/.test(line.text)) break;
  }
  if (lastImport) {
    const atEnd = lastImport.next === lastImport.end;
    return { start: lastImport.next, end: lastImport.next, newText: `${atEnd ? eol : ''}import "os"${eol}` };
  }
  if (!packageLine) return undefined;
  return { start: packageLine.end, end: packageLine.end, newText: `${eol}${eol}import "os"` };
}

// ---- C# ----------------------------------------------------------------------------------------------------

/** `using System;` for a C# file that lacks it: before its first using directive, or at the top. Redundant
 * but harmless where the project has implicit usings. */
export function csharpUsingSystemEdit(text: string): TextEdit | undefined {
  if (/^[ \t]*(?:global[ \t]+)?using[ \t]+System[ \t]*;/m.test(text)) return undefined;
  const eol = lineEndingOf(text);
  const firstUsing = /^[ \t]*(?:global[ \t]+)?using[ \t]+[\w.]+[ \t]*;/m.exec(text);
  const position = firstUsing ? firstUsing.index : text.startsWith('\uFEFF') ? 1 : 0;
  return { start: position, end: position, newText: `using System;${eol}${firstUsing ? '' : eol}` };
}
