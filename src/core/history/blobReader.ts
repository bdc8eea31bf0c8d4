// Reads blobs by id from one long-running `git cat-file --batch`, as a stream: ids go in as the log finds them, and
// each object's contents come back in the same order (git-cat-file(1), "BATCH OUTPUT": `<id> <type> <size>\n`, the
// contents, `\n`; or `<id> missing\n`). Nothing is read through a filter or textconv driver: plain --batch never runs
// one (only --filters and --textconv would).
//
// Decisions:
// - Each object is handed over as soon as its last byte arrives; contents that lie in one chunk of output are a view
//   of that chunk, not a copy. One blob at a time is held, so memory is the largest blob read, not the history.
// - A blob larger than the size limit is not held at all: its bytes are counted off the pipe and it is reported.
// - A corrupt object: a loose one comes back as `missing` and the stream goes on; a packed one makes git stop
//   ("fatal: packed object … is corrupt") after its header. Then the object being read is reported as unreadable,
//   a new cat-file starts, and the ids still waiting are asked again: one bad object costs one report, not the scan.
//   A git that fails before reading anything, several times in a row, is an error of its own (no endless restarts).
import type { GitSpawnObserver } from '../git';
import { gitErrorLine, startGit, type GitStream } from './gitProcess';

export type BlobOutcome =
  | { kind: 'blob'; bytes: Buffer }
  | { kind: 'too-large'; size: number }
  /** Not in the object store (absent, or a loose object too damaged to read its header), or not a blob. */
  | { kind: 'missing' }
  | { kind: 'not-a-blob'; type: string }
  | { kind: 'unreadable'; reason: string };

export interface BlobReaderOptions<T> {
  gitPath: string;
  cwd: string;
  observer?: GitSpawnObserver;
  /** Blobs larger than this many bytes are counted, not held. */
  maxSize: number;
  /** Called once per request, in request order, synchronously (the bytes are valid only during the call). */
  onBlob(request: T, outcome: BlobOutcome): void;
  /** Called when the reader can take more requests after `request` returned false. */
  onDrain(): void;
}

/** The same process failing this many times in a row without reading one object stops the scan. */
const MAX_FAILED_STARTS = 3;
const NEWLINE = 0x0a;

export class GitCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitCommandError';
  }
}

export class BlobReader<T extends { id: string }> {
  private stream: GitStream | undefined;
  /** Requests written to the current process and not yet answered, oldest first. */
  private queue: T[] = [];
  private queueHead = 0;
  /** Ids asked for and not yet written to git. */
  private outgoing = '';
  private ended = false;
  private failedStarts = 0;
  private stopped = false;
  // The object being read: its header is parsed, its contents are arriving.
  private reading: { request: T; type: string; size: number; received: number; parts: Buffer[] | undefined; discard: boolean } | undefined;
  private headerParts: Buffer[] = [];
  private finished: Promise<void>;
  private resolveFinished!: () => void;
  private rejectFinished!: (error: Error) => void;

  constructor(private readonly options: BlobReaderOptions<T>) {
    this.finished = new Promise((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // Whoever awaits `end()` sees the outcome; no unhandled rejection before that.
    this.finished.catch(() => undefined);
    this.start();
  }

  /** Asks for one blob; it goes to git with the next flush(). */
  request(request: T): void {
    this.queue.push(request);
    this.outgoing += request.id + '\n';
  }

  /**
   * Hands git the ids asked for since the last flush, in one write (one write per id cost more than the rest of the
   * bookkeeping together). False: git is behind; stop asking until onDrain.
   */
  flush(): boolean {
    if (this.outgoing === '') return true;
    const ids = this.outgoing;
    this.outgoing = '';
    return this.stream!.child.stdin.write(ids);
  }

  /** No more requests: resolves once every request has been answered. */
  end(): Promise<void> {
    this.flush();
    this.ended = true;
    this.stream?.child.stdin.end();
    return this.finished;
  }

  /** Stops at once (cancellation, or another stage failed). */
  stop(): void {
    this.stopped = true;
    this.stream?.kill();
    this.resolveFinished();
  }

  private start(): void {
    const stream = startGit(this.options.gitPath, this.options.cwd, ['cat-file', '--batch', '--buffer'], (chunk) => this.receive(chunk), this.options.observer);
    this.stream = stream;
    stream.child.stdin.on('drain', () => this.options.onDrain());
    // Ids asked of a process that died unanswered are asked of its successor.
    const pending = this.queue.slice(this.queueHead);
    this.queue = pending;
    this.queueHead = 0;
    this.outgoing = '';
    if (pending.length > 0) stream.child.stdin.write(pending.map((request) => request.id + '\n').join(''));
    if (this.ended) stream.child.stdin.end();
    stream.done.then(
      (result) => this.exited(stream, result.exitCode, result.stderr),
      (error: Error) => this.rejectFinished(error),
    );
  }

  private exited(stream: GitStream, exitCode: number | null, stderr: string): void {
    if (this.stopped || stream !== this.stream) return;
    const unanswered = this.queue.length - this.queueHead;
    if (exitCode === 0 && unanswered === 0 && !this.reading) {
      this.resolveFinished();
      return;
    }
    if (unanswered === 0 && !this.reading) {
      // Every request was answered, yet git failed: nothing is lost, but say so.
      this.rejectFinished(new GitCommandError(`git cat-file failed: ${gitErrorLine(stderr) || `exit code ${exitCode}`}`));
      return;
    }
    // git stopped while (or before) reading the oldest unanswered object: that one is reported, the rest asked again.
    const culprit = this.reading?.request ?? this.queue[this.queueHead];
    const progressed = this.reading !== undefined;
    this.reading = undefined;
    this.headerParts = [];
    this.queueHead++;
    this.failedStarts = progressed ? 0 : this.failedStarts + 1;
    if (this.failedStarts >= MAX_FAILED_STARTS) {
      this.rejectFinished(new GitCommandError(`git cat-file keeps failing: ${gitErrorLine(stderr) || `exit code ${exitCode}`}`));
      return;
    }
    this.options.onBlob(culprit, { kind: 'unreadable', reason: gitErrorLine(stderr) || `git cat-file stopped (exit code ${exitCode})` });
    this.start();
  }

  private receive(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.stopped) {
      const reading = this.reading;
      if (reading) {
        // Contents, then the newline git writes after them.
        const wanted = reading.size + 1 - reading.received;
        const available = Math.min(wanted, chunk.length - offset);
        if (!reading.discard) {
          if (reading.parts === undefined && available === wanted) {
            // The whole object is in this chunk: hand over a view, no copy.
            this.deliver(reading.request, { kind: 'blob', bytes: chunk.subarray(offset, offset + reading.size) });
            this.reading = undefined;
            offset += available;
            continue;
          }
          (reading.parts ??= []).push(chunk.subarray(offset, offset + available));
        }
        reading.received += available;
        offset += available;
        if (reading.received === reading.size + 1) {
          this.reading = undefined;
          if (reading.type !== 'blob') {
            this.deliver(reading.request, { kind: 'not-a-blob', type: reading.type });
          } else if (reading.discard) {
            this.deliver(reading.request, { kind: 'too-large', size: reading.size });
          } else {
            const bytes = Buffer.concat(reading.parts!);
            this.deliver(reading.request, { kind: 'blob', bytes: bytes.subarray(0, reading.size) });
          }
        }
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, offset);
      if (newline < 0) {
        this.headerParts.push(chunk.subarray(offset));
        return;
      }
      const header = Buffer.concat([...this.headerParts, chunk.subarray(offset, newline)]).toString('latin1');
      this.headerParts = [];
      offset = newline + 1;
      this.header(header);
    }
  }

  private header(header: string): void {
    const request = this.queue[this.queueHead];
    if (!request) {
      this.failProtocol(`git cat-file answered more than was asked: ${JSON.stringify(header.slice(0, 80))}`);
      return;
    }
    const [id, type, sizeText] = header.split(' ');
    if (id !== request.id) {
      this.failProtocol(`git cat-file answered ${JSON.stringify(id)} where ${request.id} was asked`);
      return;
    }
    if (type === 'missing' || type === 'ambiguous' || sizeText === undefined) {
      this.deliver(request, { kind: 'missing' });
      return;
    }
    const size = Number(sizeText);
    if (!Number.isSafeInteger(size) || size < 0) {
      this.failProtocol(`git cat-file gave an unreadable size for ${id}: ${JSON.stringify(sizeText)}`);
      return;
    }
    // Contents of anything but a blob small enough still follow: they are skipped, and the request is answered once
    // they have passed.
    const discard = type !== 'blob' || size > this.options.maxSize;
    this.reading = { request, type, size, received: 0, parts: undefined, discard };
  }

  private deliver(request: T, outcome: BlobOutcome): void {
    this.queueHead++;
    // Keep the queue's memory to what is waiting: drop the answered front now and then.
    if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.failedStarts = 0;
    this.options.onBlob(request, outcome);
  }

  private failProtocol(message: string): void {
    this.stopped = true;
    this.stream?.kill();
    this.rejectFinished(new GitCommandError(message));
  }
}
