import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLfsPointer, readLfsObject, readLfsObjectSync, type LfsPointer } from '../../../src/core/lfs';

const pointerText = (oid: string, size: number, extra = '') => `version https://git-lfs.github.com/spec/v1\n${extra}oid sha256:${oid}\nsize ${size}\n`;

describe('Git LFS pointers', () => {
  const oid = 'ab'.repeat(32);

  it('parses a pointer as git-lfs writes it, with or without extension lines', () => {
    assert.deepEqual(parseLfsPointer(Buffer.from(pointerText(oid, 42))), { oid, size: 42 });
    assert.deepEqual(parseLfsPointer(Buffer.from(pointerText(oid, 7, 'ext-0-foo sha256:' + 'cd'.repeat(32) + '\n'))), { oid, size: 7 });
  });

  it('leaves ordinary contents alone: other text, a pointer quoted in a longer file, a bad oid', () => {
    assert.equal(parseLfsPointer(Buffer.from('hello\n')), undefined);
    assert.equal(parseLfsPointer(Buffer.from(pointerText(oid, 42) + 'x'.repeat(2000))), undefined);
    assert.equal(parseLfsPointer(Buffer.from('# docs\n' + pointerText(oid, 42))), undefined);
    assert.equal(parseLfsPointer(Buffer.from(pointerText('AB'.repeat(32), 42))), undefined);
    assert.equal(parseLfsPointer(Buffer.from(pointerText(oid.slice(2), 42))), undefined);
  });

  describe('reading the object', () => {
    let store: string;
    beforeEach(() => {
      store = mkdtempSync(join(tmpdir(), 'akh-lfs-'));
    });
    afterEach(() => rmSync(store, { recursive: true, force: true }));

    const put = (contents: string): LfsPointer => {
      const bytes = Buffer.from(contents);
      const id = createHash('sha256').update(bytes).digest('hex');
      mkdirSync(join(store, id.slice(0, 2), id.slice(2, 4)), { recursive: true });
      writeFileSync(join(store, id.slice(0, 2), id.slice(2, 4), id), bytes);
      return { oid: id, size: bytes.length };
    };
    const both = async (pointer: LfsPointer, max = 1 << 20) => {
      const [asyncRead, syncRead] = [await readLfsObject(store, pointer, max), readLfsObjectSync(store, pointer, max)];
      assert.deepEqual(syncRead, asyncRead, 'the two readers agree');
      return asyncRead;
    };

    it('returns the bytes of an object that hashes to its oid', async () => {
      const pointer = put('the contents\n');
      assert.deepEqual(await both(pointer), { bytes: Buffer.from('the contents\n') });
    });

    it('refuses an object that does not match its oid, a missing one, a symbolic link, an unknown store and an oversized one', async () => {
      const pointer = put('the contents\n');
      writeFileSync(join(store, pointer.oid.slice(0, 2), pointer.oid.slice(2, 4), pointer.oid), 'tampered\n');
      assert.match((await both(pointer) as { missing: string }).missing, /does not match its oid/);
      assert.match((await both({ oid: 'ef'.repeat(32), size: 3 }) as { missing: string }).missing, /not on this machine/);

      const linked = put('linked\n');
      const path = join(store, linked.oid.slice(0, 2), linked.oid.slice(2, 4), linked.oid);
      rmSync(path);
      writeFileSync(join(store, 'elsewhere'), 'linked\n');
      symlinkSync(join(store, 'elsewhere'), path);
      assert.ok('missing' in (await both(linked)), 'a symbolic link is not followed');

      assert.match((await readLfsObject(undefined, pointer, 1 << 20) as { missing: string }).missing, /unknown/);
      assert.deepEqual(await both(put('big contents\n'), 4), { tooLarge: true });
    });
  });
});
