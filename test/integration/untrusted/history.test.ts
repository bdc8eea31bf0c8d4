// Git history in an untrusted workspace (issue 16): never read. The history commands refuse with a reason and start
// no git process, the report says history is unknown, and "Rotate this key" is not offered.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RotateLeakedKeyResult, ScanHistoryResult } from '../../../src/features/gitHistory';
import type { InstallPrePushHookResult } from '../../../src/features/prePushHook';
import { keyHint } from '../../../src/core/hint';
import { fakeKey } from '../../support/fakeKeys';
import { activateExtension, workspaceFolder } from '../helpers';

describe('Git history in an untrusted workspace', () => {
  it('is never scanned: the commands refuse, and no git process starts', async () => {
    const root = workspaceFolder();
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    // The test (not the extension) makes a repository with a key in its history.
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root, env });
    writeFileSync(join(root, 'history.ts'), `export const k = '${fakeKey(8901)}';\n`);
    execFileSync('git', ['add', 'history.ts'], { cwd: root, env });
    execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-q', '-m', 'leak'], { cwd: root, env });
    const api = await activateExtension();
    assert.ok(api.gitInvocations, 'the git log is kept when VS Code runs the tests');

    const scan = await vscode.commands.executeCommand<ScanHistoryResult>('anthropicKeyHygiene.scanHistory', { interactive: false });
    assert.equal(scan.reason, 'untrusted-workspace');
    const rotate = await vscode.commands.executeCommand<RotateLeakedKeyResult>('anthropicKeyHygiene.rotateLeakedKey', { hint: keyHint(fakeKey(8901)), interactive: false });
    assert.equal(rotate.reason, 'untrusted-workspace');
    const hook = await vscode.commands.executeCommand<InstallPrePushHookResult>('anthropicKeyHygiene.installPrePushHook', { interactive: false });
    assert.equal(hook.reason, 'untrusted-workspace');
    const report = await vscode.commands.executeCommand<{ id: string; verdict: string }[]>('anthropicKeyHygiene.showReport', {});
    assert.equal(report.find((item) => item.id === 'no-key-in-history')?.verdict, 'unknown');
    assert.deepEqual(api.gitInvocations, [], 'no git process was started');
    // The other untrusted tests judge the files they write; this one's key must not be among them.
    rmSync(join(root, 'history.ts'));
  });
});
