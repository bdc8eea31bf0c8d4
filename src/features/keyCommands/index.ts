// The key vault's commands: Store, Verify, Remove, List and Rotate API Key, and Use Stored Key in Terminals, one
// module each beside this one. Each takes an optional argument object (see ./types.ts), so it can be bound to a key,
// scripted, or run by a test without any dialog, and returns a plain result object saying what happened.
//
// No key ever appears in a message, a result, or a command argument: only hints (`sk-ant-api03-R2D…igAA`).
// The registration itself is ./registration.ts, shared with the web build, which has no Rotate (its .env part
// writes files with Node) and no terminals.
import type * as vscode from 'vscode';
import type { KeyCommandDependencies } from './context';
import { registerKeyCommandSet } from './registration';
import { rotate } from './rotate';
import { useInTerminals } from './useInTerminals';

export type { KeyCommandDependencies } from './context';
export { KeyMessages } from './messages';
export { statusLabel } from './texts';
export type * from './types';

export function registerKeyCommands(dependencies: KeyCommandDependencies): vscode.Disposable {
  return registerKeyCommandSet(dependencies, { rotate, useInTerminals });
}
