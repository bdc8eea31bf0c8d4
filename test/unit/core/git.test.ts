// git as the scan runs it: what each failure becomes, and paths kept byte for byte. Real git, real repositories.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import {
  GitStateError,
  GitUnavailableError,
  createGitRunner,
  describeGitFailure,
  exactPathspec,
  findRepositoryRoot,
  grepCandidates,
  listRepositoryFiles,
  nulSplitter,
  queryPathStates,
  resolveGitExecutable,
  shellQuote,
  splitNul,
} from '../../../src/core/git';
import { TEXT_NEEDLES } from '../../../src/core/scanNeedles';
import { fakeKey } from '../../support/fakeKeys';
import { tempTree, type TempTree } from '../../support/tempRepo';

describe('git', () => {
  let tree: TempTree;
  const git = createGitRunner();
  afterEach(() => tree?.remove());

  describe('findRepositoryRoot', () => {
    it('gives the top of the repository, or undefined outside every repository', async () => {
      tree = tempTree({ gitInit: true });
      mkdirSync(join(tree.root, 'sub'));
      assert.equal(await findRepositoryRoot(git, join(tree.root, 'sub')), tree.root);
      const plain = tempTree({ gitInit: false });
      try {
        assert.equal(await findRepositoryRoot(git, plain.root), undefined);
      } finally {
        plain.remove();
      }
    });

    it('throws GitStateError when a .git is there but git cannot read it, rather than calling the folder plain', async () => {
      tree = tempTree({ gitInit: false });
      mkdirSync(join(tree.root, '.git')); // empty: git does not recognise it
      await assert.rejects(findRepositoryRoot(git, tree.root), (error: Error) => error instanceof GitStateError && /not a git repository/.test(error.message));
    });

    it('throws GitUnavailableError when git cannot be started, inside a repository or not (the caller decides)', async () => {
      tree = tempTree({ gitInit: true });
      const missing = createGitRunner('/nonexistent/git');
      await assert.rejects(findRepositoryRoot(missing, tree.root), GitUnavailableError);
      const plain = tempTree({ gitInit: false });
      try {
        await assert.rejects(findRepositoryRoot(missing, plain.root), GitUnavailableError);
      } finally {
        plain.remove();
      }
    });

    it('does not take a missing folder for a missing git', async () => {
      tree = tempTree({ gitInit: true });
      await assert.rejects(git.run(join(tree.root, 'no-such-folder'), ['status']), (error: Error) => !(error instanceof GitUnavailableError) && /no such folder/.test(error.message));
    });

    it('keeps a top whose name ends in spaces or holds a newline', async () => {
      tree = tempTree({ gitInit: false });
      for (const name of ['ends in spaces  ', 'new\nline']) {
        const top = join(tree.root, name);
        mkdirSync(top);
        await git.run(top, ['init', '-q']);
        assert.equal(await findRepositoryRoot(git, top), top);
      }
    });
  });

  describe('queryPathStates', () => {
    it('asks about names that are not UTF-8, or hold glob characters, by their exact bytes', async () => {
      tree = tempTree({ gitInit: true });
      tree.write('.gitignore', '*.log\n');
      const names = ['a\udcff.env', 'b*?[\\].env', 'c\udcfe*.log', 'c\udcfd*.log'];
      for (const name of names) writeFileSync(Buffer.from(`${tree.root}/${name}`.replace(/[\udc80-\udcff]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xdc00)), 'latin1'), 'x');
      tree.git('add', '-A', '--', '.');
      tree.git('add', '-f', '--', '.');
      // Untrack one of the two that differ only in a byte that is not UTF-8, by its exact bytes (a `?` pathspec
      // matches both: the answer must come from the exact match in git's output).
      const untrack = await git.run(tree.root, ['update-index', '-z', '--force-remove', '--stdin'], Buffer.from([0x63, 0xfd, 0x2a, 0x2e, 0x6c, 0x6f, 0x67, 0]));
      assert.equal(untrack.exitCode, 0, untrack.stderr);
      assert.equal(exactPathspec('c\udcfd*.log'), ':(top,glob)c?\\*.log');
      const states = await queryPathStates(git, tree.root, names);
      assert.deepEqual(Object.fromEntries(states), {
        'a\udcff.env': { ignored: false, tracked: true },
        'b*?[\\].env': { ignored: false, tracked: true },
        'c\udcfe*.log': { ignored: true, tracked: true },
        'c\udcfd*.log': { ignored: true, tracked: false },
      });
    });

    it('throws GitStateError when git fails, never answering "untracked"', async () => {
      tree = tempTree({ gitInit: true });
      tree.write('.git/index', 'garbage');
      await assert.rejects(queryPathStates(git, tree.root, ['.env']), GitStateError);
    });
  });

  describe('how git is started (red team F5, F14, F21)', () => {
    it('finds git on the absolute entries of PATH only, never in the folder it runs in', async () => {
      tree = tempTree({ gitInit: true });
      // What a hostile repository would commit: its own "git", found first if the working folder were searched.
      const fake = tree.write('git', `#!/bin/sh\ntouch '${join(tree.root, 'fake-git-ran')}'\nexit 0\n`);
      chmodSync(fake, 0o755);
      const realDir = dirname(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim());
      const env = { ...process.env, PATH: ['.', '', 'bin', realDir].join(delimiter) };
      assert.equal(resolveGitExecutable(env), join(realDir, 'git'));
      const saved = process.env.PATH;
      process.env.PATH = env.PATH;
      try {
        assert.equal(await findRepositoryRoot(createGitRunner(), tree.root), tree.root);
      } finally {
        process.env.PATH = saved;
      }
      assert.ok(!existsSync(join(tree.root, 'fake-git-ran')), 'the repository\'s own git never ran');
    });

    it('reads the objects a commit records, not what a replace ref substitutes', async () => {
      tree = tempTree({ gitInit: true });
      tree.write('a.txt', 'clean\n');
      tree.git('add', 'a.txt');
      tree.git('commit', '-q', '-m', 'clean');
      const clean = tree.git('rev-parse', 'HEAD:a.txt').trim();
      tree.write('a.txt', 'the real content\n');
      tree.git('add', 'a.txt');
      const staged = tree.git('rev-parse', ':a.txt').trim();
      tree.git('replace', staged, clean);
      const result = await git.run(tree.root, ['cat-file', '-p', staged]);
      assert.equal(result.stdout.toString('utf8'), 'the real content\n');
    });

    it('stops a git call that does not answer, as when a .gitignore is a FIFO, with an error that says why', async () => {
      tree = tempTree({ gitInit: true });
      execFileSync('mkfifo', [join(tree.root, '.gitignore')]);
      tree.write('a.js', 'x\n');
      const quick = createGitRunner('git', undefined, 1500);
      await assert.rejects(quick.run(tree.root, ['ls-files', '--others', '--exclude-standard']), (error: Error) => error instanceof GitStateError && /did not answer within 1.5 s.*named pipe \(FIFO\)/.test(error.message));
    });

    it('gives a streamed call (git grep) the same deadline, executable and environment as every other call', async () => {
      tree = tempTree({ gitInit: true });
      execFileSync('mkfifo', [join(tree.root, '.gitignore')]);
      tree.write('a.js', 'x\n');
      const quick = createGitRunner('git', undefined, 1500);
      assert.ok(quick.stream);
      await assert.rejects(quick.stream(tree.root, ['grep', '-l', '--untracked', '-e', 'x'], () => undefined), (error: Error) => error instanceof GitStateError && /did not answer within 1.5 s/.test(error.message));
      const seen: Buffer[] = [];
      await createGitRunner().stream!(tree.root, ['config', '--get-regexp', '^core\\.(fsmonitor|hookspath)$'], (chunk) => seen.push(chunk));
      assert.match(Buffer.concat(seen).toString('utf8'), /core\.fsmonitor false/);
    });
  });

  describe('spreading process starts over event-loop turns (issue 15, the extension host)', () => {
    /** Counts event-loop turns (an immediate that queues the next) until `stop`. */
    function turnCounter(): { now(): number; stop(): void } {
      let turn = 0;
      let ticking = true;
      const tick = () => {
        turn++;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      return { now: () => turn, stop: () => (ticking = false) };
    }

    /** Starts three calls at once; returns the event-loop turn at which each git process was started. */
    async function startTurns(spreadSpawns: boolean): Promise<number[]> {
      tree = tempTree({ gitInit: true });
      const turns = turnCounter();
      const started: number[] = [];
      const runner = createGitRunner('git', () => started.push(turns.now()), undefined, { spreadSpawns });
      try {
        await Promise.all([runner.run(tree.root, ['rev-parse', '--git-dir']), runner.stream!(tree.root, ['rev-parse', '--git-dir'], () => undefined), runner.run(tree.root, ['rev-parse', '--git-dir'])]);
      } finally {
        turns.stop();
      }
      return started;
    }

    it('starts one git process per turn when asked, so no turn pays for several forks', async () => {
      const turns = await startTurns(true);
      assert.equal(new Set(turns).size, 3, `started at turns ${turns.join(', ')}`);
    });

    it('does not delay a lone start by a turn (a pasted key waits for its file\'s state)', async () => {
      tree = tempTree({ gitInit: true });
      const turns = turnCounter();
      const started: number[] = [];
      const runner = createGitRunner('git', () => started.push(turns.now()), undefined, { spreadSpawns: true });
      try {
        // Two turns apart: each is the only start of its turn.
        for (let i = 0; i < 2; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          const askedAt = turns.now();
          await runner.run(tree.root, ['rev-parse', '--git-dir']);
          assert.equal(started[i], askedAt, `start ${i} waited ${started[i] - askedAt} turns`);
        }
      } finally {
        turns.stop();
      }
    });

    it('starts them all at once otherwise (the CLI)', async () => {
      const turns = await startTurns(false);
      assert.equal(new Set(turns).size, 1, `started at turns ${turns.join(', ')}`);
    });
  });

  describe('grepCandidates (issue 15)', () => {
    it('names the files holding a needle or a NUL byte, tracked or untracked, and no other, streaming each one', async () => {
      tree = tempTree({ gitInit: true });
      tree.write('key.ts', `const k = "${fakeKey(1)}";\n`);
      tree.write('b64.yaml', `k: ${Buffer.from(fakeKey(2)).toString('base64')}\n`);
      tree.write('web.ts', `const k = process.env.${['VITE', 'ANTHROPIC', 'KEY'].join('_')};\n`);
      tree.write('utf16.txt', Buffer.from(`k=${fakeKey(3)}`, 'utf16le'));
      tree.write('plain.ts', 'export {};\n');
      tree.write('ignored.log', `${fakeKey(4)}\n`);
      tree.write('.gitignore', '*.log\n');
      tree.git('add', 'key.ts', 'plain.ts', '.gitignore');
      const streamed: string[] = [];
      const found = await grepCandidates(git, tree.root, TEXT_NEEDLES, (path) => streamed.push(path));
      assert.deepEqual([...found!].sort(), ['b64.yaml', 'key.ts', 'utf16.txt', 'web.ts']);
      assert.deepEqual(streamed.sort(), [...found!].sort());
    });

    it('runs no textconv driver, filter or fsmonitor a repository configures, and searches files git calls binary', async () => {
      tree = tempTree({ gitInit: true });
      const marker = (name: string) => join(tree.root, `..`, `akh-pwned-${name}-${process.pid}`);
      tree.write('.gitattributes', '* diff=evil filter=evil -text binary\n');
      tree.git('config', 'diff.evil.textconv', `touch ${marker('textconv')}; cat`);
      tree.git('config', 'diff.evil.binary', 'true');
      tree.git('config', 'filter.evil.clean', `touch ${marker('clean')}; cat`);
      tree.git('config', 'filter.evil.smudge', `touch ${marker('smudge')}; cat`);
      tree.git('config', 'filter.evil.process', `touch ${marker('process')}`);
      tree.git('config', 'core.fsmonitor', `touch ${marker('fsmonitor')}`);
      tree.git('config', 'submodule.recurse', 'true');
      tree.git('config', 'grep.fullName', 'true');
      tree.git('config', 'color.grep', 'always');
      tree.write('src/key.ts', `const k = "${fakeKey(5)}";\n`);
      tree.git('-c', 'filter.evil.clean=cat', '-c', 'filter.evil.process=', '-c', 'core.fsmonitor=false', 'add', '.');
      for (const name of ['textconv', 'clean', 'smudge', 'process', 'fsmonitor']) rmSync(marker(name), { force: true });
      const found = await grepCandidates(git, join(tree.root, 'src'), TEXT_NEEDLES);
      // Relative to the folder asked about, uncoloured, whatever the repository's configuration says.
      assert.deepEqual([...found!], ['key.ts']);
      for (const name of ['textconv', 'clean', 'smudge', 'process', 'fsmonitor']) assert.equal(existsSync(marker(name)), false, `${name} ran`);
    });

    it('gives no answer when git grep fails, so that every file is read instead', async () => {
      tree = tempTree({ gitInit: true });
      tree.write('a.ts', 'x\n');
      tree.git('add', 'a.ts');
      const failing = { run: async () => ({ stdout: Buffer.alloc(0), exitCode: 128, stderr: 'fatal: cannot use Perl-compatible regexes when not compiled with USE_LIBPCRE\n' }) };
      assert.equal(await grepCandidates(failing, tree.root, TEXT_NEEDLES), undefined);
      const noisy = { run: async () => ({ stdout: Buffer.from('a.ts\0'), exitCode: 0, stderr: "error: 'b.ts': unable to read\n" }) };
      assert.equal(await grepCandidates(noisy, tree.root, TEXT_NEEDLES), undefined, 'a file git could not read is read by the scan, and reported');
    });
  });

  it('listRepositoryFiles flags tracked files git grep may not read from the work tree', async () => {
    tree = tempTree({ gitInit: true });
    for (const name of ['plain.ts', 'assumed.ts', 'sparse.ts', 'ignored.ts']) tree.write(name, 'x\n');
    tree.write('.gitignore', 'ignored.ts\n');
    tree.git('add', '-f', '.');
    tree.git('update-index', '--assume-unchanged', 'assumed.ts');
    tree.git('update-index', '--skip-worktree', 'sparse.ts');
    tree.write('untracked.ts', 'y\n');
    const listing = await listRepositoryFiles(git, tree.root);
    assert.deepEqual(listing.candidates.sort(), ['.gitignore', 'assumed.ts', 'ignored.ts', 'plain.ts', 'sparse.ts', 'untracked.ts']);
    assert.deepEqual([...listing.flagged].sort(), ['assumed.ts', 'sparse.ts']);
    assert.deepEqual([...listing.trackedIgnored], ['ignored.ts']);
  });

  it('listRepositoryFiles lists a path in a merge conflict once, flagged, though the index holds it three times', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('both.ts', 'base\n');
    tree.write('other.ts', 'x\n');
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'base');
    tree.git('checkout', '-q', '-b', 'side');
    tree.write('both.ts', 'side\n');
    tree.git('commit', '-q', '-am', 'side');
    tree.git('checkout', '-q', '-');
    tree.write('both.ts', 'main\n');
    tree.git('commit', '-q', '-am', 'main');
    assert.throws(() => tree.git('merge', '-q', 'side'), 'the merge stops on the conflict');
    assert.equal(tree.git('ls-files', '--stage', 'both.ts').trim().split('\n').length, 3);
    const listing = await listRepositoryFiles(git, tree.root);
    assert.deepEqual(listing.candidates.sort(), ['both.ts', 'other.ts']);
    assert.deepEqual([...listing.flagged], ['both.ts']);
  });

  it('nulSplitter joins paths cut across chunks and keeps their bytes', () => {
    const paths: string[] = [];
    const splitter = nulSplitter((path) => paths.push(path));
    const output = Buffer.concat([Buffer.from('first\0sec'), Buffer.from([0xc3]), Buffer.from([0xa9, 0]), Buffer.from('thi'), Buffer.from([0xff]), Buffer.from('rd')]);
    for (let at = 0; at < output.length; at += 3) splitter.push(output.subarray(at, Math.min(output.length, at + 3)));
    splitter.end();
    assert.deepEqual(paths, ['first', 'secé', 'thi\udcffrd']);
  });

  it('splitNul keeps every byte of every path, spaces and newlines included', () => {
    const output = Buffer.concat([Buffer.from(' lead\0trail \0new\nline\0'), Buffer.from([0x66, 0xff, 0])]);
    assert.deepEqual(splitNul(output), [' lead', 'trail ', 'new\nline', 'f\udcff']);
  });

  it('describeGitFailure names git\'s refusal of another user\'s repository and the exact command that trusts it', () => {
    const stderr = "fatal: detected dubious ownership in repository at '/srv/it's here'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory '/srv/it's here'\n";
    const message = describeGitFailure(['ls-files'], '/srv', { stdout: Buffer.alloc(0), exitCode: 128, stderr });
    assert.match(message, /^git refuses to read the repository at \/srv\/it's here because another user owns it/);
    assert.ok(message.endsWith(`git config --global --add safe.directory '/srv/it'\\''s here'`), message);
    assert.equal(
      describeGitFailure(['ls-files', '-z'], '/r', { stdout: Buffer.alloc(0), exitCode: 128, stderr: 'fatal: index file corrupt\n' }),
      'git ls-files failed in /r (exit code 128: index file corrupt), so which files git tracks and ignores there is unknown. Run git status there to see what git needs.',
    );
  });

  it('shellQuote leaves plain paths alone and single-quotes the rest', () => {
    assert.deepEqual(['/srv/repo', '/srv/my repo', "/a'b", '/x$(rm -rf ~)'].map(shellQuote), ['/srv/repo', "'/srv/my repo'", `'/a'\\''b'`, "'/x$(rm -rf ~)'"]);
  });
});
