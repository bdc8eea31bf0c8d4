// Keys in the names of files and folders (red team F3). git records a path like contents: a cache file named after
// the key it belongs to (`keys/<key>.json`) is committed and pushed with the key in it, and no scan of contents sees
// it. Every path a scan lists is therefore searched too, as the part of it that git would commit.
//
// Decisions:
// - The name searched is the path below the folder the scan was asked for (or the base name of a file named on its
//   own): what lies above it is this machine's, not the repository's.
// - A finding is placed on the file's first line, at column 1 with nothing under it: there is no text to rewrite, so
//   the fix engine and the quick fixes leave it to a human (rename), and the message says so.
// - Same kinds, severities and digest as a key in the contents: a baseline that accepts the key accepts it here, and
//   the commit guard blocks it the same way. The name is shown masked (displayText), never as it is.
import { findCredentials } from './credentials';
import type { FileFinding } from './findings';
import { displayText, keyHint } from './hint';
import { keyDigest } from './keyDigest';
import { formatMessage } from './messages';
import { findingSeverity } from './rules';

/** The message id of a key in a name: the fix engine leaves these to a human. */
export const FILE_NAME_MESSAGE_ID = 'hardcoded-key.file-name';

/**
 * The keys in `name` (the committed part of `file`'s path, `/`-separated) as findings on `file`. Cheap when there is
 * none: the credential search starts with an indexOf of its prefix.
 */
export function findKeysInName(name: string, file: string): FileFinding[] {
  if (!name.includes('k-ant-')) return [];
  return findCredentials(name).map(({ kind, confidence, key, start, end }) => {
    const whole = key ?? name.slice(start, end);
    const hint = keyHint(whole);
    const message = { id: FILE_NAME_MESSAGE_ID, args: { kind, hint, name: displayText(name) } } as const;
    return {
      ruleId: 'hardcoded-key',
      severity: findingSeverity('hardcoded-key', confidence, kind),
      file,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      message: formatMessage(message),
      messageId: message.id,
      messageArgs: message.args,
      credential: { kind, hint, digest: keyDigest(whole) },
    };
  });
}
