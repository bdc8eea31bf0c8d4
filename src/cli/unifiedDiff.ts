// A unified diff (the `diff -u` / `git diff` shape) of two versions of a text, for `fix --dry-run`. Lines are
// compared with Myers' O(ND) algorithm after trimming the common head and tail, which is where a fix leaves
// most of a file, so D stays small.

export interface DiffFile {
  /** Path shown in the headers (forward slashes). */
  path: string;
  /** undefined when the file does not exist yet. */
  before: string | undefined;
  after: string;
}

const CONTEXT = 3;
/** Beyond this many differing lines the middle is shown as removed-then-added rather than searched further. */
const MAX_EDIT_DISTANCE = 4000;
/** Appended to a last line that lacks its line break, so that adding one is a change like any other. */
const NO_NEWLINE = '\u0000no-newline';

type Kind = ' ' | '-' | '+';
interface Operation {
  kind: Kind;
  line: string;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_NEWLINE;
  return lines;
}

function diffLines(a: string[], b: string[]): Operation[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const same = (line: string): Operation => ({ kind: ' ', line });
  return [
    ...a.slice(0, head).map(same),
    ...myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map(same),
  ];
}

/** Myers' greedy shortest edit script, with the frontier saved per step for the walk back. */
function myers(a: string[], b: string[]): Operation[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const removedThenAdded = (): Operation[] => [
    ...a.map((line): Operation => ({ kind: '-', line })),
    ...b.map((line): Operation => ({ kind: '+', line })),
  ];
  if (n === 0 || m === 0) return removedThenAdded();
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  const takesDown = (frontier: Int32Array, k: number, d: number) =>
    k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1]);
  search: for (let d = 0; d <= max; d++) {
    if (d > MAX_EDIT_DISTANCE) return removedThenAdded();
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = takesDown(v, k, d) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break search;
    }
  }
  const reversed: Operation[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d];
    const k = x - y;
    const previousK = takesDown(frontier, k, d) ? k + 1 : k - 1;
    const previousX = frontier[offset + previousK];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      reversed.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (d === 0) break;
    if (x === previousX) reversed.push({ kind: '+', line: b[--y] });
    else reversed.push({ kind: '-', line: a[--x] });
  }
  return reversed.reverse();
}

/** `git diff`-style text for one file: headers and hunks with 3 lines of context; '' when nothing changed. */
export function unifiedDiff({ path, before, after }: DiffFile): string {
  if (before === after) return '';
  const operations = diffLines(splitLines(before ?? ''), splitLines(after));
  const positioned: Array<Operation & { oldLine: number; newLine: number }> = [];
  let oldLine = 1;
  let newLine = 1;
  for (const operation of operations) {
    positioned.push({ ...operation, oldLine, newLine });
    if (operation.kind !== '+') oldLine++;
    if (operation.kind !== '-') newLine++;
  }
  const changed = positioned.flatMap((entry, index) => (entry.kind === ' ' ? [] : [index]));
  if (changed.length === 0) return '';
  let out = `--- ${before === undefined ? '/dev/null' : `a/${path}`}\n+++ b/${path}\n`;
  for (let i = 0; i < changed.length; ) {
    const first = Math.max(0, changed[i] - CONTEXT);
    let last = Math.min(positioned.length - 1, changed[i] + CONTEXT);
    while (i + 1 < changed.length && changed[i + 1] - CONTEXT <= last + 1) last = Math.min(positioned.length - 1, changed[++i] + CONTEXT);
    i++;
    const hunk = positioned.slice(first, last + 1);
    const oldCount = hunk.filter((entry) => entry.kind !== '+').length;
    const newCount = hunk.filter((entry) => entry.kind !== '-').length;
    // An empty side names the line before the hunk, as diff does.
    const oldStart = oldCount === 0 ? hunk[0].oldLine - 1 : hunk[0].oldLine;
    const newStart = newCount === 0 ? hunk[0].newLine - 1 : hunk[0].newLine;
    out += `@@ -${oldStart}${oldCount === 1 ? '' : `,${oldCount}`} +${newStart}${newCount === 1 ? '' : `,${newCount}`} @@\n`;
    for (const entry of hunk) {
      const missingNewline = entry.line.endsWith(NO_NEWLINE);
      out += `${entry.kind}${missingNewline ? entry.line.slice(0, -NO_NEWLINE.length) : entry.line}\n`;
      if (missingNewline) out += '\\ No newline at end of file\n';
    }
  }
  return out;
}
