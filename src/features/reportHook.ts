// The report's pre-commit-guard input in the Node build: where each folder's repository keeps its pre-commit hook
// (git says, core.hooksPath included) and whether it runs our check. The web build has no git and no hook.
import * as vscode from 'vscode';
import { GitUnavailableError, type GitRunner } from '../core/git';
import { locateHook, readExistingHook } from '../core/preCommitHook';
import type { HookState } from '../core/report/checklist';
import type { HookLookup } from './report';

export function gitHookLookup(git: GitRunner): HookLookup {
  return async (roots) => {
    // Finding the hook runs git, which an untrusted workspace's config could subvert.
    if (!vscode.workspace.isTrusted || roots.length === 0) return { hook: 'unknown' };
    const states: { hook: HookState; hookPath?: string }[] = [];
    for (const root of roots) {
      if (root.scheme !== 'file') {
        states.push({ hook: 'unknown' });
        continue;
      }
      try {
        const location = await locateHook(git, root.fsPath);
        if (!location) {
          states.push({ hook: 'no-repository' });
          continue;
        }
        const existing = await readExistingHook(location.hookPath);
        const hook: HookState = existing.kind === 'ours' ? 'installed' : existing.kind === 'none' ? 'missing' : 'foreign';
        states.push({ hook, hookPath: location.hookPath });
      } catch (error) {
        if (!(error instanceof GitUnavailableError)) console.error('Key hygiene report: could not locate the pre-commit hook', error);
        states.push({ hook: 'unknown' });
      }
    }
    // The weakest folder decides: one repository without the guard is enough to commit a key.
    const order: HookState[] = ['foreign', 'missing', 'unknown', 'no-repository', 'installed'];
    return states.sort((a, b) => order.indexOf(a.hook) - order.indexOf(b.hook))[0];
  };
}
