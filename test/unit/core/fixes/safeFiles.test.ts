// safeFiles.ts: reads and writes that never follow a link, never open a FIFO, never half-write, and never
// overwrite what changed underneath.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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
    // Either may take the lock first (both race for it at once); what matters is that they never interleave.
    assert.ok(
      JSON.stringify(order) === JSON.stringify(['first in', 'first out', 'second']) || JSON.stringify(order) === JSON.stringify(['second', 'first in', 'first out']),
      order.join(', '),
    );
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

  it('refuses, at once and by name, a lock that is a link, a folder or no lock of ours, and takes over an old one (red team F6)', async () => {
    const path = join(dir, '.env');
    const lock = lockPathFor(path);
    assert.doesNotMatch(lock, /\/\.env[^/]*$/, 'the lock is no .env* name a scan would flag');
    // A repository can commit anything at the lock's name: a link to a terminal must not be read (it would block).
    symlinkSync('/dev/stdin', lock);
    await assert.rejects(withFileLocks([path], async () => undefined, 200), (error) => error instanceof UnsafePathError && /symbolic link/.test(error.message));
    rmSync(lock);
    writeFileSync(lock, 'not a pid\n');
    await assert.rejects(withFileLocks([path], async () => undefined, 200), (error) => error instanceof UnsafePathError && /does not hold a process id/.test(error.message));
    // An empty lock is one whose holder has not written its pid yet (the race two fixes at once ran into): waited
    // for while fresh, refused once it is older than any holder takes to write.
    writeFileSync(lock, '');
    await assert.rejects(withFileLocks([path], async () => undefined, 200), (error) => error instanceof FileBusyError);
    const stale = new Date(Date.now() - 60 * 1000);
    utimesSync(lock, stale, stale);
    await assert.rejects(withFileLocks([path], async () => undefined, 200), (error) => error instanceof UnsafePathError && /does not hold a process id/.test(error.message));
    // A live process's lock (PID 1 is always alive) that is older than any fix takes is stale.
    writeFileSync(lock, '1\n');
    const old = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(lock, old, old);
    assert.equal(await withFileLocks([path], async () => 'ran', 200), 'ran');
  });

  it('removes what a killed writer left beside the file, and names its temporary files so scans flag them (red team F8)', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    // A process id that is certainly not running: one past the system's maximum.
    const deadPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
    const leftover = join(dir, `.env.anthropic-key-hygiene-${deadPid}-0123abcd.tmp`);
    writeFileSync(leftover, 'A=1\nSECRET=1\n');
    await writeFileAtomic(path, 'A=2\n', { expected: Buffer.from('A=1\n') });
    assert.deepEqual(readdirSync(dir), ['.env'], 'the leftover is gone');
  });

  it('keeps the owner of the file it replaces when run as root, and refuses another user’s file otherwise (red team F7)', async () => {
    if (process.getuid?.() === 0) {
      const path = join(dir, '.env');
      writeFileSync(path, 'A=1\n', { mode: 0o600 });
      chownSync(path, 65534, 65534);
      await writeFileAtomic(path, 'A=2\n', { expected: Buffer.from('A=1\n') });
      const stat = statSync(path);
      assert.deepEqual([stat.uid, stat.gid, stat.mode & 0o777], [65534, 65534, 0o600], 'still the user’s own, owner-only file');
      chownSync(dir, 65534, 65534);
      await writeFileAtomic(join(dir, 'fresh.env'), 'B=1\n', { expected: undefined });
      assert.equal(statSync(join(dir, 'fresh.env')).uid, 65534, 'a new file gets its folder’s owner');
    } else {
      // Not root: a file that belongs to someone else (root's /etc/hostname) is refused before anything is written.
      await assert.rejects(writeFileAtomic('/etc/hostname', 'x', { expected: readFileSync('/etc/hostname') }), (error) => error instanceof UnsafePathError && /another user/.test(error.message));
    }
  });
});
