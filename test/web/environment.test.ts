// The ground the rest of the web suite stands on: it really runs in a browser worker (no Node), and the extension
// running there is the web build, activated from the manifest's `browser` entry.
import * as vscode from 'vscode';
import * as assert from './assert';
import { EXTENSION_ID, activateExtension } from './helpers';

describe('The web worker extension host', () => {
  it('has no Node: process, Buffer and require are absent where these tests run', () => {
    // eslint-disable-next-line no-restricted-globals -- the point of the test
    assert.equal(typeof process, 'undefined');
    assert.equal(typeof (globalThis as { Buffer?: unknown }).Buffer, 'undefined');
    // A web worker's global scope, not a window and not Node's.
    assert.equal(typeof (globalThis as { importScripts?: unknown }).importScripts, 'function');
  });

  it('runs the extension from its browser entry, which exports the web build', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    assert.equal((extension.packageJSON as { browser?: string }).browser, './dist/web/extension.js');
    const api = await activateExtension();
    assert.equal(api.build, 'web');
    assert.ok(api.activationMs >= 0, 'activation time is measured');
  });
});
