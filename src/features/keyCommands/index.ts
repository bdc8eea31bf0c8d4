// The key vault's commands: Store, Verify, Remove, List and Rotate API Key, and Use Stored Key in Terminals, one
// module each beside this one. Each takes an optional argument object (see ./types.ts), so it can be bound to a key,
// scripted, or run by a test without any dialog, and returns a plain result object saying what happened.
//
// No key ever appears in a message, a result, or a command argument: only hints (`sk-ant-api03-R2D…igAA`).
import * as vscode from 'vscode';
import { KeyCommandContext, READ_ONLY_SCHEME, type KeyCommandDependencies } from './context';
import { list } from './list';
import { remove } from './remove';
import { rotate } from './rotate';
import { store } from './store';
import type { CommonArgs, RemoveKeyArgs, RotateKeyArgs, StoreKeyArgs, UseInTerminalsArgs, VerifyKeyArgs } from './types';
import { useInTerminals } from './useInTerminals';
import { verify } from './verify';

export type { KeyCommandDependencies } from './context';
export { KeyMessages } from './messages';
export { statusLabel } from './texts';
export type * from './types';

export function registerKeyCommands(dependencies: KeyCommandDependencies): vscode.Disposable {
  // The commands reach one another through the context (Store may hand over to Rotate, and so on).
  const context: KeyCommandContext = new KeyCommandContext(dependencies, {
    store: (args) => store(context, args),
    verify: (args) => verify(context, args),
    remove: (args) => remove(context, args),
    list: (args) => list(context, args),
    rotate: (args) => rotate(context, args),
    useInTerminals: (args) => useInTerminals(context, args),
  });
  const { commands } = context;
  return vscode.Disposable.from(
    context.readOnlyChanged,
    // Planned changes are shown read-only: an untitled document would ask to be saved when closed.
    vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, {
      onDidChange: context.readOnlyChanged.event,
      provideTextDocumentContent: (uri) => context.readOnlyContents.get(uri.toString()) ?? '',
    }),
    vscode.commands.registerCommand('anthropicKeyHygiene.storeKey', (args?: unknown) => commands.store(argsOf<StoreKeyArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.verifyKey', (args?: unknown) => commands.verify(argsOf<VerifyKeyArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.removeKey', (args?: unknown) => commands.remove(argsOf<RemoveKeyArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.listKeys', (args?: unknown) => commands.list(argsOf<CommonArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.rotateKey', (args?: unknown) => commands.rotate(argsOf<RotateKeyArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.useStoredKeyInTerminals', (args?: unknown) => commands.useInTerminals(argsOf<UseInTerminalsArgs>(args))),
  );
}

/** Menus pass a Uri, palettes nothing: only a plain object is an argument object. */
function argsOf<T>(value: unknown): T {
  return (value !== null && typeof value === 'object' && !(value instanceof vscode.Uri) && !Array.isArray(value) ? value : {}) as T;
}
