// Registers the key vault's commands (see ./index.ts): Store, Verify, Remove and List always; Rotate and Use Stored Key
// in Terminals where the build brings them (the Node build). Without them, the commands that hand over to Rotate
// (Store, List, Verify) get an answer that says it is not available here, and the build registers the two commands
// itself (the web build: src/features/web/nodeOnlyCommands.ts).
import * as vscode from 'vscode';
import { KeyCommandContext, READ_ONLY_SCHEME, type KeyCommandDependencies } from './context';
import { list } from './list';
import { remove } from './remove';
import { store } from './store';
import type { CommonArgs, RemoveKeyArgs, RotateKeyArgs, RotateKeyResult, StoreKeyArgs, UseInTerminalsArgs, UseInTerminalsResult, VerifyKeyArgs } from './types';
import { verify } from './verify';

/** The commands that need Node, each given the shared context. */
export interface NodeKeyCommands {
  rotate(context: KeyCommandContext, args: RotateKeyArgs): Promise<RotateKeyResult>;
  useInTerminals(context: KeyCommandContext, args: UseInTerminalsArgs): Promise<UseInTerminalsResult>;
}

/** What Rotate answers where it is not available (handed over from Store, List or Verify). */
export type Unavailable = (command: 'rotate' | 'useInTerminals') => string;

export function registerKeyCommandSet(dependencies: KeyCommandDependencies, nodeCommands: NodeKeyCommands | { unavailable: Unavailable }): vscode.Disposable {
  const node = 'rotate' in nodeCommands ? nodeCommands : undefined;
  const unavailable = (command: 'rotate' | 'useInTerminals') => context.fail('unavailable-in-browser', (nodeCommands as { unavailable: Unavailable }).unavailable(command));
  // The commands reach one another through the context (Store may hand over to Rotate, and so on).
  const context: KeyCommandContext = new KeyCommandContext(dependencies, {
    store: (args) => store(context, args),
    verify: (args) => verify(context, args),
    remove: (args) => remove(context, args),
    list: (args) => list(context, args),
    rotate: async (args) => (node ? node.rotate(context, args) : unavailable('rotate')),
    useInTerminals: async (args) => (node ? node.useInTerminals(context, args) : { ...unavailable('useInTerminals'), enabled: false, keys: [] }),
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
    ...(node
      ? [
          vscode.commands.registerCommand('anthropicKeyHygiene.rotateKey', (args?: unknown) => commands.rotate(argsOf<RotateKeyArgs>(args))),
          vscode.commands.registerCommand('anthropicKeyHygiene.useStoredKeyInTerminals', (args?: unknown) => commands.useInTerminals(argsOf<UseInTerminalsArgs>(args))),
        ]
      : []),
  );
}

/** Menus pass a Uri, palettes nothing: only a plain object is an argument object. */
function argsOf<T>(value: unknown): T {
  return (value !== null && typeof value === 'object' && !(value instanceof vscode.Uri) && !Array.isArray(value) ? value : {}) as T;
}
