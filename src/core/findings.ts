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

/** A credential found in a text: [start, end) offsets in the input (UTF-16 units for strings, bytes for Buffers). */
export interface CredentialMatch {
  start: number;
  end: number;
  kind: CredentialKind;
  /** 'high' for the published API/admin key formats; 'low' for token kinds whose lengths are not published, and
   * for API/admin-prefixed tokens off the published shape (e.g. more key characters glued on). */
  confidence: 'high' | 'low';
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
  /** For hardcoded-key: the credential kind and its display hint (`sk-ant-api03-R2D…igAA`). */
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
  /** keyDigest() of the key (keyDigest.ts): how a baseline recognises the key on any line. Never printed. Absent
   * where a finding was made without the key's text at hand. */
  digest?: string;
}
