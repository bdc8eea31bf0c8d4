// The engine's vocabulary: plain records with offsets, shared by the CLI and the editor features.
// Nothing here knows about ranges, URIs or windows. What each rule means, and how bad it is, lives in rules.ts.
import type { MessageArgs, MessageId } from './messages';

/** Rule ids are public: they are the diagnostics' `code` and the CLI's `ruleId`. */
export const RULE_IDS = ['hardcoded-key', 'unignored-env-file', 'tracked-env-file', 'client-exposed-key'] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'error' | 'warning' | 'info';

/** What a `sk-ant-` token is, judged from its prefix. */
export type CredentialKind =
  | 'api-key' // sk-ant-api03-…, 108 characters, published format
  | 'admin-key' // sk-ant-admin01-…, published format
  | 'oauth-access-token' // sk-ant-oat01-…
  | 'oauth-refresh-token' // sk-ant-ort01-…
  | 'session-key' // sk-ant-sid01-…
  | 'other-token'; // any other sk-ant-<word><2 digits>- with a long key-alphabet body

/**
 * How a key was found when it is not written out whole: the base64 of a key (a Kubernetes Secret, an HTTP Basic
 * header, `echo … | base64`), or a key split into pieces (hard-wrapped across lines of a log, or built from adjacent
 * string literals). Such a finding's range covers the encoded form or every piece, not a key.
 */
export type KeyEncoding = 'base64' | 'split';

/** A credential found in a text: [start, end) offsets in the input (UTF-16 units for strings, bytes for Buffers). */
export interface CredentialMatch {
  start: number;
  end: number;
  kind: CredentialKind;
  /** 'high' for the published API/admin key formats; 'low' for token kinds whose lengths are not published, and
   * for API/admin-prefixed tokens off the published shape (e.g. more key characters glued on). */
  confidence: 'high' | 'low';
  /** Set when the range holds the key in another form (see KeyEncoding); the range is then not the key itself. */
  encoding?: KeyEncoding;
  /** With `encoding`: the key itself (decoded or joined), for its hint. Never printed. */
  key?: string;
}

/** One finding in one text, with offsets into that text (UTF-16 code units). */
export interface TextFinding {
  ruleId: RuleId;
  severity: Severity;
  start: number;
  end: number;
  /** Says what is wrong and what to do, in English; never contains a full key. */
  message: string;
  /** The same message as an id and arguments (messages.ts), for the editor to translate. */
  messageId: MessageId;
  messageArgs: MessageArgs;
  /** For hardcoded-key: the credential kind and its display hint (`sk-ant-api03-R2D…igAA`), and how it was written
   * when not as itself. */
  credential?: FindingCredential;
}

/** A finding located in a file, as the CLI and the workspace scan report it. Lines and columns are 1-based,
 * columns in UTF-16 code units (as VS Code counts them); endColumn is exclusive. */
export interface FileFinding {
  ruleId: RuleId;
  severity: Severity;
  /** Absolute path on disk. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  messageId: MessageId;
  messageArgs: MessageArgs;
  credential?: FindingCredential;
}

/** What a finding says of its key: never the key itself. */
export interface FindingCredential {
  kind: CredentialKind;
  /** The display hint (`sk-ant-api03-R2D…igAA`), the only form in which a key is shown. */
  hint: string;
  /** How the key was written when not as itself (base64, split across pieces). */
  encoding?: KeyEncoding;
  /** keyDigest() of the key (keyDigest.ts): how a baseline recognises the key on any line. Never printed. Absent
   * where a finding was made without the key's text at hand. */
  digest?: string;
}
