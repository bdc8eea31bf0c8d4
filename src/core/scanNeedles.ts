// Every string whose absence from a file rules out every finding the content rules can make there: what git grep is
// asked for before the engine reads a file (issue 15). Declared here, once, from the needles the rules themselves
// search for, so a new rule's needle cannot be forgotten by the prefilter: a test checks each rule's examples.
//
// - `k-ant-`: every key written out, after an escape, split (the first piece holds it), in a Claude Code or MCP file;
// - the three base64 forms of `sk-ant-` (base64Keys.ts);
// - the client-exposure words (`AllowB` of dangerouslyAllowBrowser, `HROPIC` and `LAUDE` of the vendor names);
// - a NUL byte: UTF-16 text and binary data, where every rule's needles are spread out by zero bytes, are read whole
//   (git.ts's grepCandidates searches for it beside these).
// File-level rules (env files) are decided by name, not content, and need no needle.
import { BASE64_PREFIX_NEEDLES } from './base64Keys';
import { PREFILTER_NEEDLES as CLIENT_EXPOSURE_NEEDLES } from './clientExposure';

/** The ASCII needles, any of which makes a file worth reading. */
export const TEXT_NEEDLES: readonly string[] = ['k-ant-', ...BASE64_PREFIX_NEEDLES, ...CLIENT_EXPOSURE_NEEDLES];

/** Whether a file's bytes hold any needle (the reference for git's answer, and for the tests). */
export function holdsAnyNeedle(bytes: Buffer): boolean {
  return bytes.includes(0) || TEXT_NEEDLES.some((needle) => bytes.includes(needle, 0, 'latin1'));
}

