// The suppression marker, written in the comment syntax of the file (or of the Markdown code fence) at the key.

import { SUPPRESSION_MARKER } from '../suppression';
import { lineEndingOf } from './imports';
import { commentSyntax, fixLanguageFor, type CommentSyntax, type FixLanguage } from './languages';
import { lineEndOf, lineStartOf, replace, type FixPlan, type RewriteOptions } from './rewriters/common';

/** Code fence info strings that are not file extensions. */
const FENCE_ALIASES: Record<string, string> = {
  python: 'x.py',
  python3: 'x.py',
  javascript: 'x.js',
  typescript: 'x.ts',
  shell: 'x.sh',
  console: 'x.sh',
  'shell-session': 'x.sh',
  ruby: 'x.rb',
  rust: 'x.rs',
  golang: 'x.go',
  kotlin: 'x.kt',
  csharp: 'x.cs',
  'c#': 'x.cs',
  dockerfile: 'Dockerfile',
  docker: 'Dockerfile',
};

/** The comment syntax of the fenced code block holding `offset` in Markdown, null outside any fence. */
function fenceCommentSyntax(text: string, offset: number): CommentSyntax | undefined | null {
  let fence: { marker: string; info: string } | undefined;
  const lineStart = lineStartOf(text, offset);
  for (const match of text.slice(0, lineStart).matchAll(/^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*$/gm)) {
    if (!fence) fence = { marker: match[1], info: match[2].toLowerCase() };
    else if (match[1][0] === fence.marker[0] && match[1].length >= fence.marker.length && match[2] === '') fence = undefined;
  }
  if (!fence) return null;
  if (!fence.info) return undefined;
  const fileName = FENCE_ALIASES[fence.info] ?? `x.${fence.info}`;
  return commentSyntax(fixLanguageFor(fileName), fileName);
}

/**
 * Adds the suppression marker in the file's comment syntax: on a line of its own above the key, indented like
 * the key's line; at the end of the key's line where a line above would not work (inside a backslash
 * continuation, which a comment line would cut) or would show (Markdown prose, where an HTML comment line
 * splits a paragraph). Undefined where the file has no comments (JSON, plain text).
 */
export function addSuppressionComment(text: string, keyStart: number, language: FixLanguage, options: RewriteOptions = {}): FixPlan | undefined {
  let syntax = commentSyntax(language, options.fileName, options.languageId);
  const isMarkdown = language === 'prose' && syntax !== undefined && 'block' in syntax && syntax.block[0] === '<!--';
  let endOfLine = isMarkdown;
  if (isMarkdown) {
    const fenced = fenceCommentSyntax(text, keyStart);
    if (fenced !== null) {
      syntax = fenced;
      endOfLine = false;
    }
  }
  if (!syntax) return undefined;
  const comment = 'line' in syntax ? `${syntax.line} ${SUPPRESSION_MARKER}` : `${syntax.block[0]} ${SUPPRESSION_MARKER} ${syntax.block[1]}`;
  const title = `Ignore this key here (add an ${SUPPRESSION_MARKER} comment)`;
  const lineStart = lineStartOf(text, keyStart);
  const lineEnd = lineEndOf(text, keyStart);
  const lineText = text.slice(lineStart, lineEnd);
  const previousLine = lineStart > 0 ? text.slice(lineStartOf(text, lineStart - 1), lineStart - 1).replace(/\r$/, '') : '';
  // Docker drops comment lines inside a continuation, so the line above is fine there.
  if (/\\$/.test(previousLine) && language !== 'dockerfile') endOfLine = true;
  if (!endOfLine) {
    const indentation = /^[ \t]*/.exec(lineText)![0];
    return { edits: [replace(lineStart, lineStart, indentation + comment + lineEndingOf(text))], title };
  }
  // A `#` after a backslash continuation would be part of the command in a Dockerfile, and nothing can follow
  // a line that itself continues.
  if (/\\\s*$/.test(lineText)) return undefined;
  return { edits: [replace(lineEnd, lineEnd, ' ' + comment)], title };
}
