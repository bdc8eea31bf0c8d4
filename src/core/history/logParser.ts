// Reads `git log --raw -z` output as it streams: each commit's own fields, then the files it adds or changes.
//
// The log is run with the format LOG_FORMAT and `-z`, so every field is a NUL-terminated token:
//   C<id> NUL <parent ids, space-separated> NUL <author name> NUL <author time, Unix seconds> NUL <subject> NUL <message> NUL
// followed by the commit's raw diff entries (git-diff(1), "Raw output format"; with -z the path is its own token):
//   [\n]:<old mode> <new mode> <old id> <new id> <status> NUL <path> NUL
// and, for a merge with -c (the combined form, one colon and one old mode and id per parent):
//   [\n]::<mode p1> <mode p2> <new mode> <id p1> <id p2> <new id> <status per parent> NUL <path> NUL
// Git puts a newline before a commit's first entry. The commit fields come in a fixed number, so a message is always
// read as a message, whatever it holds; an entry's header is always followed by exactly one path (renames are off).
// Anything else is a protocol error, reported rather than guessed around.
//
// Paths are bytes in git; they are decoded as UTF-8 here, which shows a name that is not valid UTF-8 with U+FFFD
// (the name is only printed: nothing is opened by it).

/** The log's format: one token per field, the message last (it may hold newlines). */
export const LOG_FORMAT = 'C%H%x00%P%x00%an%x00%at%x00%s%x00%B';

export interface LogCommit {
  id: string;
  parents: string[];
  author: string;
  /** Unix seconds (the author date, as `git log` shows by default). */
  time: number;
  subject: string;
  message: string;
}

export interface LogEntry {
  /** The mode the commit gives the path: 100644/100755 file, 120000 symbolic link, 160000 submodule, 000000 deleted. */
  mode: string;
  /** The object at the path after the commit (all zeros when deleted). */
  id: string;
  /** What each parent had at the path, mode and object (one for a plain commit, one per parent for a merge; all zeros
   * when the path is new). */
  parents: Array<{ mode: string; id: string }>;
  path: string;
}

export interface LogHandlers {
  commit(commit: LogCommit): void;
  entry(entry: LogEntry, commit: LogCommit): void;
}

export class LogProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogProtocolError';
  }
}

const COMMIT_FIELD_COUNT = 6;
/** `C` + a SHA-1 (40) or SHA-256 (64) id in hex. */
const COMMIT_START = /^C(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const NUL = 0;
const NEWLINE = 0x0a;
const COLON = 0x3a;

/**
 * A push parser: feed it chunks of output in order, then call end(). Handlers run synchronously, in output order.
 * Memory: the unfinished last token of a chunk (a path or a message) is all it keeps between chunks.
 */
export class LogParser {
  /** The unfinished last token, in the pieces it arrived in (joined once its end arrives: linear however long). */
  private parts: Buffer[] = [];
  private fields: string[] = [];
  private current: LogCommit | undefined;
  private header: EntryHeader | undefined;
  private state: 'any' | 'fields' | 'path' = 'any';

  constructor(private readonly handlers: LogHandlers) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.parts.length > 0) {
      const nul = chunk.indexOf(NUL);
      if (nul < 0) {
        this.parts.push(chunk);
        return;
      }
      const token = Buffer.concat([...this.parts, chunk.subarray(0, nul)]);
      this.parts = [];
      this.token(token, 0, token.length);
      start = nul + 1;
    }
    for (let nul = chunk.indexOf(NUL, start); nul >= 0; nul = chunk.indexOf(NUL, start)) {
      this.token(chunk, start, nul);
      start = nul + 1;
    }
    if (start < chunk.length) this.parts.push(chunk.subarray(start));
  }

  end(): void {
    if (this.parts.length > 0) {
      // The last field of the last commit, when it had no entries and git ended without a terminator.
      const token = Buffer.concat(this.parts);
      this.parts = [];
      this.token(token, 0, token.length);
    }
    if (this.state === 'fields') throw new LogProtocolError(`git log output ended inside the fields of a commit`);
    if (this.state === 'path') throw new LogProtocolError(`git log output ended before the path of an entry`);
  }

  private token(data: Buffer, start: number, end: number): void {
    if (this.state === 'fields') {
      this.fields.push(data.toString('utf8', start, end));
      if (this.fields.length === COMMIT_FIELD_COUNT) this.finishCommit();
      return;
    }
    if (this.state === 'path') {
      const header = this.header!;
      this.state = 'any';
      this.header = undefined;
      this.handlers.entry({ ...header, path: data.toString('utf8', start, end) }, this.current!);
      return;
    }
    // Between records: separators, an entry's header, or the next commit.
    let from = start;
    while (from < end && data[from] === NEWLINE) from++;
    if (from === end) return;
    if (data[from] === COLON) {
      if (!this.current) throw new LogProtocolError('git log output has a file entry before any commit');
      this.header = parseEntryHeader(data.toString('latin1', from, end));
      this.state = 'path';
      return;
    }
    const text = data.toString('latin1', from, end);
    if (!COMMIT_START.test(text)) throw new LogProtocolError(`unexpected text in git log output: ${JSON.stringify(text.slice(0, 60))}`);
    this.fields = [text.slice(1)];
    this.state = 'fields';
  }

  private finishCommit(): void {
    const [id, parents, author, time, subject, message] = this.fields;
    this.fields = [];
    this.state = 'any';
    this.current = { id, parents: parents === '' ? [] : parents.split(' '), author, time: Number(time), subject, message };
    this.handlers.commit(this.current);
  }
}

export interface EntryHeader {
  mode: string;
  id: string;
  parents: Array<{ mode: string; id: string }>;
}

/** `:100644 100644 <old> <new> M` or the combined `::… MM`: the new mode and id, and each parent's. */
export function parseEntryHeader(header: string): EntryHeader {
  let colons = 0;
  while (header[colons] === ':') colons++;
  const parts = header.slice(colons).split(' ');
  // One old mode per parent, the new mode, one old id per parent, the new id, the status.
  if (colons === 0 || parts.length !== 2 * colons + 3) throw new LogProtocolError(`unexpected diff entry in git log output: ${JSON.stringify(header.slice(0, 80))}`);
  const parents = Array.from({ length: colons }, (_, i) => ({ mode: parts[i], id: parts[colons + 1 + i] }));
  return { mode: parts[colons], id: parts[2 * colons + 1], parents };
}
