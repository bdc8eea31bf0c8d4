// destination.ts, the one order of storing keys, on a platform held in memory that judges ignore rules as the web
// build does (the .gitignore files alone; tracking never known). The Node build runs the same code through apply.ts,
// whose tests (apply.test.ts) do it on real files and real git.
import * as assert from 'node:assert/strict';
import { ChangedOnDiskError } from '../../../../src/core/fixes/fileErrors';
import { StoreRefusedError, openEnvDestination, withDestinationLock } from '../../../../src/core/fixes/destination';
import { utf8 } from '../../../../src/core/fixes/platform';
import { fakeKey } from '../../../support/fakeKeys';
import { memoryFixPlatform } from '../../../support/memoryFixPlatform';

const [key, other] = [fakeKey(8401), fakeKey(8402)];
const root = '/work/repo';

async function storeIn(platform: ReturnType<typeof memoryFixPlatform>, envPath: string, value = key) {
  return withDestinationLock(envPath, { platform, root }, async () => {
    const destination = await openEnvDestination(envPath, { platform, root });
    return destination.store([{ name: 'ANTHROPIC_API_KEY', value }]);
  });
}

async function refusal(promise: Promise<unknown>): Promise<StoreRefusedError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof StoreRefusedError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

describe('destination.ts on a platform where git cannot be asked (the web build)', () => {
  it('creates a new .env only after an exact .gitignore line makes it ignored, keeping every byte of .gitignore', async () => {
    const platform = memoryFixPlatform({ root, trackingNeverKnown: true });
    platform.write(`${root}/.gitignore`, 'node_modules/\r\ndist'); // CRLF, no final newline
    const result = await storeIn(platform, `${root}/pkg/.env`);
    // Its line endings and its final-newline state are kept too (envFile.ts' planGitignoreEntry).
    assert.equal(platform.read(`${root}/.gitignore`), 'node_modules/\r\ndist\r\n/pkg/.env');
    assert.equal(platform.read(`${root}/pkg/.env`), `ANTHROPIC_API_KEY=${key}\n`);
    assert.equal(result.created, true);
    assert.equal(result.ignore?.status, 'added');
  });

  it('refuses an existing .env that no rule ignores, as it may already be committed, and writes nothing (issue 19)', async () => {
    const platform = memoryFixPlatform({ root, trackingNeverKnown: true });
    platform.write(`${root}/.env`, 'DEBUG=1\n');
    const error = await refusal(storeIn(platform, `${root}/.env`));
    assert.equal(error.reason, 'tracking-unknown');
    assert.match(error.message, /cannot be known in the browser.*may already be committed/);
    assert.equal(platform.read(`${root}/.env`), 'DEBUG=1\n');
    assert.equal(platform.read(`${root}/.gitignore`), undefined, 'no .gitignore line either');
  });

  it('appends to an existing .env that the rules already ignore, keeping its bytes', async () => {
    const platform = memoryFixPlatform({ root, trackingNeverKnown: true });
    platform.write(`${root}/.gitignore`, '.env\n');
    platform.write(`${root}/.env`, `# mine\r\nANTHROPIC_API_KEY=${other}\r\n`);
    const destination = await openEnvDestination(`${root}/.env`, { platform, root });
    const stored = await destination.store([{ name: 'ANTHROPIC_API_KEY_2', value: key }]);
    assert.equal(platform.read(`${root}/.env`), `# mine\r\nANTHROPIC_API_KEY=${other}\r\nANTHROPIC_API_KEY_2=${key}\r\n`);
    assert.equal(stored.ignore?.status, 'already-ignored');
  });

  it('takes its .gitignore line out again when a deeper rule re-includes the file, and stores nothing (issue 12 #1)', async () => {
    const platform = memoryFixPlatform({ root, trackingNeverKnown: true });
    platform.write(`${root}/.gitignore`, 'build/\n');
    platform.write(`${root}/pkg/.gitignore`, '!.env\n');
    // The top's line is outranked by the deeper negation; the package folder's own .gitignore outranks it, so the line
    // goes there; it must come after the negation.
    const result = await storeIn(platform, `${root}/pkg/.env`);
    assert.equal(platform.read(`${root}/.gitignore`), 'build/\n', 'the line that did not work was taken out, byte for byte');
    assert.equal(platform.read(`${root}/pkg/.gitignore`), '!.env\n/.env\n');
    assert.equal(result.ignore?.status, 'added');
  });

  it('refuses, and restores the file, when the key does not read back as written', async () => {
    const platform = memoryFixPlatform({ root, trackingNeverKnown: true });
    platform.write(`${root}/.gitignore`, '.env\n');
    platform.write(`${root}/.env`, 'DEBUG=1\n');
    // A file system that keeps other bytes than it was given (a truncating proxy, a full quota).
    platform.beforeWrite = (path, bytes) => (path.endsWith('.env') ? bytes.subarray(0, bytes.length - 10) : bytes);
    const error = await refusal(storeIn(platform, `${root}/.env`));
    assert.equal(error.reason, 'read-back-failed');
    platform.beforeWrite = undefined;
    // The restore write went through the same broken path; what matters is that no source would be written: the
    // refusal came before any.
    assert.ok(!platform.read(`${root}/.env`)!.includes(key), 'the key is not left half-written');
  });

  it('refuses when the .env changed between being read for the plan and being written', async () => {
    const platform = memoryFixPlatform({ root, trackingNeverKnown: true });
    platform.write(`${root}/.gitignore`, '.env\n');
    platform.write(`${root}/.env`, 'DEBUG=1\n');
    const destination = await openEnvDestination(`${root}/.env`, { platform, root });
    platform.write(`${root}/.env`, 'DEBUG=2\n'); // saved by the user meanwhile
    const error = await refusal(destination.store([{ name: 'ANTHROPIC_API_KEY', value: key }]));
    assert.equal(error.reason, 'changed-on-disk');
    assert.equal(platform.read(`${root}/.env`), 'DEBUG=2\n');
    assert.ok(new ChangedOnDiskError('x').message.includes('Run the fix again'));
  });

  it('refuses a .env that is a link, naming it, and writes nothing', async () => {
    const platform = memoryFixPlatform({ root, trackingNeverKnown: true });
    platform.links.add(`${root}/.env`);
    const error = await refusal(storeIn(platform, `${root}/.env`));
    assert.equal(error.reason, 'unsafe-path');
    assert.match(error.message, /symbolic link/);
    assert.equal(platform.files_.size, 0);
  });

  it('refuses a template or a file outside the folder being fixed', async () => {
    const platform = memoryFixPlatform({ root, trackingNeverKnown: true });
    assert.equal((await refusal(storeIn(platform, `${root}/.env.example`))).reason, 'not-an-env-file');
    assert.equal((await refusal(storeIn(platform, `/elsewhere/.env`))).reason, 'outside-root');
  });
});

describe('destination.ts where git could answer later (an untrusted workspace)', () => {
  it('stores no key while tracking is unknown, even in a new file', async () => {
    const platform = memoryFixPlatform({ root, trackingKnown: false });
    const error = await refusal(storeIn(platform, `${root}/.env`));
    assert.equal(error.reason, 'tracking-unknown');
    assert.match(error.message, /untrusted workspace/);
    assert.equal(platform.files_.size, 0);
  });

  it('stores when git answers (tracking known) as it always has', async () => {
    const platform = memoryFixPlatform({ root, trackingKnown: true });
    await storeIn(platform, `${root}/.env`);
    assert.equal(platform.read(`${root}/.env`), `ANTHROPIC_API_KEY=${key}\n`);
    assert.equal(utf8.decode(platform.files_.get(`${root}/.gitignore`)!), '/.env\n');
  });
});
