// The errors a fix's file operations throw, whichever file system they run on (fs in the Node build, workspace.fs
// in the web build); the destination turns each into the refusal the user is shown (apply.ts, destination.ts).

/** A path the fix refuses to read or write, with the reason in words (`is a symbolic link`). */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} ${reason}`);
    this.name = 'UnsafePathError';
  }
}

/** The file no longer holds what the fix planned on: someone (an editor, another tool) changed it meanwhile. */
export class ChangedOnDiskError extends Error {
  constructor(readonly path: string) {
    super(`${path} changed while the fix was being prepared; nothing was written to it. Run the fix again.`);
    this.name = 'ChangedOnDiskError';
  }
}

/** Another fix holds the lock on the file. */
export class FileBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holder: string,
  ) {
    super(`${path} is being written by another fix (${holder}); try again when it has finished.`);
    this.name = 'FileBusyError';
  }
}
