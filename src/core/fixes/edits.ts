// Text edits as plain offsets, the currency between the fix planners in core and their callers (the editor turns
// them into one WorkspaceEdit, the CLI applies them to the file text).

/** Replaces [start, end) of the original text with newText. Offsets are UTF-16 code units into the text the edit
 * was planned on; an insertion has start === end. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * Applies edits planned on the same original text. Edits may come in any order; insertions at the same offset keep
 * their given order. Throws when an edit is out of range or two edits overlap, because that is a planner bug and
 * guessing an order could garble code around a key.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map(({ edit }) => edit);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < 0 || edit.end > text.length || edit.start > edit.end) {
      throw new RangeError(`edit [${edit.start}, ${edit.end}) is outside the text (length ${text.length})`);
    }
    if (edit.start < cursor) throw new RangeError(`edits overlap at offset ${edit.start}`);
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/**
 * Combines the edits of several fixes planned on the same text: identical edits (two rewrites in one file each
 * adding the same `import os`) are kept once. Returns undefined when two different edits overlap (two keys in
 * one Dockerfile ENV instruction both rewriting it); re-plan one fix at a time on the edited text then, as the
 * CLI does.
 */
export function mergeEdits(edits: readonly TextEdit[]): TextEdit[] | undefined {
  const unique: TextEdit[] = [];
  for (const edit of edits) {
    if (!unique.some((kept) => kept.start === edit.start && kept.end === edit.end && kept.newText === edit.newText)) unique.push(edit);
  }
  const sorted = [...unique].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    // Two insertions at one offset would land in an arbitrary order, and a range cut by another is ambiguous.
    if (current.start < previous.end || (current.start === previous.start && current.start === current.end && previous.start === previous.end)) return undefined;
  }
  return unique;
}
