// safeFiles.ts: reads and writes that never follow a link, never open a FIFO, never half-write, and never
// overwrite what changed underneath.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangedOnDiskError, FileBusyError, UnsafePathError, folderStaysInside, lockPathFor, readRegularFile, withFileLocks, writeFileAtomic } from '../../../../src/core/fixes/safeFiles';

describe('safeFiles', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'akh-safe-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file, says nothing is there for a missing one, and refuses links, folders and FIFOs', async () => {
    writeFileSync(join(dir, 'a'), 'x');
    assert.equal((await readRegularFile(join(dir, 'a')))?.toString(), 'x');
    assert.equal(await readRegularFile(join(dir, 'missing')), undefined);
    symlinkSync(join(dir, 'a'), join(dir, 'link'));
    mkdirSync(join(dir, 'folder'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    for (const [name, reason] of [['link', /symbolic link/], ['folder', /folder/], ['fifo', /FIFO/]] as const) {
      await assert.rejects(readRegularFile(join(dir, name)), (error) => error instanceof UnsafePathError && reason.test(error.message), name);
    }
  });

  it('replaces a file atomically, keeping its mode, and a new file is owner-only', async () => {
    const path = join(dir, 'env');
    writeFileSync(path, 'old', { mode: 0o640 });
    await writeFileAtomic(path, 'new', { expected: Buffer.from('old') });
    assert.equal(readFileSync(path, 'utf8'), 'new');
    assert.equal(statSync(path).mode & 0o777, 0o640);
    await writeFileAtomic(join(dir, 'fresh'), 'x', { expected: undefined });
    assert.equal(statSync(join(dir, 'fresh')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ['env', 'fresh'], 'no temporary file is left');
  });

  it('refuses to overwrite a file that no longer holds what was expected, or that appeared', async () => {
    const path = join(dir, 'env');
    writeFileSync(path, 'changed');
    await assert.rejects(writeFileAtomic(path, 'new', { expected: Buffer.from('old') }), ChangedOnDiskError);
    await assert.rejects(writeFileAtomic(path, 'new', { expected: undefined }), ChangedOnDiskError);
    assert.equal(readFileSync(path, 'utf8'), 'changed');
  });

  it('never writes through a link', async () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'kept');
    symlinkSync(target, join(dir, 'link'));
    await assert.rejects(writeFileAtomic(join(dir, 'link'), 'x', { expected: Buffer.from('kept') }), UnsafePathError);
    assert.equal(readFileSync(target, 'utf8'), 'kept');
  });

  it('serialises writers with a lock that is released afterwards, and waits for a live holder', async () => {
    const path = join(dir, 'env');
    const order: string[] = [];
    await Promise.all([
      withFileLocks([path], async () => {
        order.push('first in');
        await new Promise((resolveTurn) => setImmediate(resolveTurn));
        order.push('first out');
      }),
      withFileLocks([path], async () => {
        order.push('second');
      }),
    ]);
    assert.deepEqual(order, ['first in', 'first out', 'second']);
    assert.throws(() => statSync(lockPathFor(path)), /ENOENT/);
  });

  it('gives up on a lock a live process holds, naming it', async () => {
    const path = join(dir, 'env');
    // PID 1 is always alive.
    writeFileSync(lockPathFor(path), '1\n');
    await assert.rejects(withFileLocks([path], async () => undefined, 200), (error) => error instanceof FileBusyError && /process 1/.test(error.message));
  });

  it('tells whether a folder stays inside a root once links are resolved', async () => {
    mkdirSync(join(dir, 'root/sub'), { recursive: true });
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'root/out'));
    assert.equal(await folderStaysInside(join(dir, 'root/sub/.env'), join(dir, 'root')), true);
    assert.equal(await folderStaysInside(join(dir, 'root/new/deeper/.env'), join(dir, 'root')), true, 'a folder yet to be made');
    assert.equal(await folderStaysInside(join(dir, 'root/out/.env'), join(dir, 'root')), false);
  });
});
