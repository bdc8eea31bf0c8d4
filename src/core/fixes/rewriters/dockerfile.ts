// Dockerfile: the key leaves ENV and ARG instructions (it would be baked into the image), with a comment on how
// to pass it at run time or as a build secret.

import type { TextEdit } from '../edits';
import { lineEndingOf } from '../imports';
import { lineEndOf, lineStartOf, replace, type FixPlan, type Site } from './common';

interface Instruction {
  /** Start of the instruction's first line. */
  start: number;
  /** End of its last line (before the line break). */
  end: number;
  keyword: string;
  /** Offset just past the keyword and its blanks. */
  argsStart: number;
}

function dockerInstructionAt(text: string, offset: number): Instruction | undefined {
  // Back over continued lines; Docker drops comment lines (and tolerates blank ones) inside a continuation.
  let start = lineStartOf(text, offset);
  for (let cursor = start; cursor > 0; ) {
    const previousStart = lineStartOf(text, cursor - 1);
    const previous = text.slice(previousStart, cursor - 1).replace(/\r$/, '');
    cursor = previousStart;
    if (/^\s*(?:#|$)/.test(previous)) continue;
    if (!/\\\s*$/.test(previous)) break;
    start = previousStart;
  }
  const keyword = /^\s*([A-Za-z]+)\s+/.exec(text.slice(start, lineEndOf(text, start)));
  if (!keyword) return undefined;
  // Forward to the line that does not continue.
  let end = lineEndOf(text, offset);
  while (/\\\s*$/.test(text.slice(lineStartOf(text, end), end))) {
    let next = text.indexOf('\n', end) + 1;
    while (next > 0 && next < text.length && /^\s*#/.test(text.slice(next, lineEndOf(text, next)))) next = text.indexOf('\n', next) + 1;
    if (next <= 0 || next >= text.length) break;
    end = lineEndOf(text, next);
  }
  return { start, end, keyword: keyword[1].toUpperCase(), argsStart: start + keyword[0].length };
}

/**
 * ENV bakes its value into every image layer and `docker history`, and ARG defaults are recorded too. The key
 * moves out of the instruction: an ENV pair is removed (the whole instruction when it was the only pair) with a
 * comment saying how to pass it at run time; an ARG keeps its name without the default.
 */
export function rewriteDockerfile(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  // A heredoc body (`RUN <<EOF`) is a script or a file's text, not an instruction.
  if (location.kind !== 'string' && location.kind !== 'bare') return undefined;
  const instruction = dockerInstructionAt(text, keyStart);
  if (!instruction || (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG')) return undefined;
  const eol = lineEndingOf(text);
  const indentation = /^[ \t]*/.exec(text.slice(instruction.start))![0];
  const args = text.slice(instruction.argsStart, keyStart);
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=(["']?)$/.exec(args);
  const legacy = instruction.keyword === 'ENV' && !pair ? /^([A-Za-z_][A-Za-z0-9_]*)\s+(["']?)$/.exec(args) : null;
  const match = pair ?? legacy;
  if (!match) return undefined;
  const [, name, quote] = match;
  const valueEnd = keyEnd + quote.length;
  if (text.slice(keyEnd, valueEnd) !== quote || !/^(?:\s|\\|$)/.test(text.slice(valueEnd, valueEnd + 1))) return undefined;
  const pairStart = keyStart - match[0].length;
  const runtime = name === variable ? `-e ${name}` : `-e ${name}="$${variable}"`;
  if (instruction.keyword === 'ARG') {
    const comment =
      `${indentation}# ${name} has no default: pass the key as a build secret (docker build --secret id=${name},env=${variable} ` +
      `with RUN --mount=type=secret,id=${name},env=${name} ...), not --build-arg${eol}`;
    return {
      edits: [replace(instruction.start, instruction.start, comment), replace(keyStart - 1 - quote.length, valueEnd, '')],
      title: `Remove the key from ARG ${name} (use a build secret)`,
      note: `Build arguments and their defaults are recorded in the image history. Pass the key as a build secret instead: docker build --secret id=${name},env=${variable} with RUN --mount=type=secret,id=${name},env=${name}.`,
    };
  }
  const comment = `${indentation}# ${name} is provided at run time: docker run ${runtime} ...`;
  const note =
    `ENV values are baked into the image layers, where anyone with the image can read them. Pass the key when the ` +
    `container starts (docker run ${runtime}, or env_file/environment in compose); if a build step needs it, ` +
    `use a build secret (RUN --mount=type=secret,id=${name},env=${name}).`;
  const title = `Remove the key from ENV ${name} (pass it at run time)`;
  const pairCount = (text.slice(instruction.argsStart, instruction.end).match(/(?:^|\s)[A-Za-z_][A-Za-z0-9_]*=/g) ?? []).length;
  if (legacy || pairCount <= 1) {
    return { edits: [replace(instruction.start, instruction.end, comment)], title, note };
  }
  return { edits: [replace(instruction.start, instruction.start, comment + eol), removePair(text, pairStart, valueEnd, instruction)], title, note };
}

/** Removes one `NAME=value` from a multi-pair ENV, leaving the continuation lines well-formed. */
function removePair(text: string, pairStart: number, pairEnd: number, instruction: Instruction): TextEdit {
  const lineStart = lineStartOf(text, pairStart);
  const lineEnd = lineEndOf(text, pairStart);
  const aloneOnLine = lineStart > instruction.start && text.slice(lineStart, pairStart).trim() === '' && /^[ \t]*\\?[ \t]*$/.test(text.slice(pairEnd, lineEnd));
  if (aloneOnLine) {
    const continues = /\\[ \t]*$/.test(text.slice(pairEnd, lineEnd));
    if (continues) {
      const next = text.indexOf('\n', lineEnd);
      return replace(lineStart, next < 0 ? text.length : next + 1, '');
    }
    // The last line of the instruction: drop it and the continuation that led to it.
    const previousLineEnd = lineStart - (text[lineStart - 2] === '\r' ? 2 : 1);
    const backslash = text.lastIndexOf('\\', previousLineEnd);
    const cut = /[ \t]*$/.exec(text.slice(0, backslash))!.index;
    return replace(cut, lineEnd, '');
  }
  const leading = /[ \t]*$/.exec(text.slice(instruction.argsStart, pairStart))![0].length;
  return replace(pairStart - leading, pairEnd, '');
}
