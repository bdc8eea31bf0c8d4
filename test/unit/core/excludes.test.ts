// Exclude globs (files.exclude, anthropicKeyHygiene.exclude, --exclude), in VS Code's glob syntax, matched linearly;
// picomatch, which they replaced, is the reference wherever the two syntaxes agree.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import picomatch from 'picomatch';
import { createExcludeMatcher, expandBraces } from '../../../src/core/excludes';
import { compileGlob, globAcceptsPathOrFolder, requiredLiteral } from '../../../src/core/glob';

describe('createExcludeMatcher', () => {
  it('excludes a path a glob names, or any folder above it', () => {
    const excluded = createExcludeMatcher(['**/node_modules', 'dist/**', '*.min.js', 'src/{gen,vendor}/*.ts', 'docs/'])!;
    const verdicts = ['node_modules/x/y.js', 'a/node_modules/z.js', 'dist/a/b.js', 'app.min.js', 'lib/app.min.js', 'src/gen/a.ts', 'src/vendor/b.ts', 'src/app/c.ts', 'docs/a.md', 'src/app.ts'].map(
      (path) => `${path}: ${excluded(path)}`,
    );
    assert.deepEqual(verdicts, [
      'node_modules/x/y.js: true',
      'a/node_modules/z.js: true',
      'dist/a/b.js: true',
      'app.min.js: true',
      'lib/app.min.js: false',
      'src/gen/a.ts: true',
      'src/vendor/b.ts: true',
      'src/app/c.ts: false',
      'docs/a.md: true',
      'src/app.ts: false',
    ]);
    assert.equal(createExcludeMatcher([]), undefined);
  });

  it('excludes a folder named by `dir/**`, and everything in it, whatever `dir` is', () => {
    const excluded = createExcludeMatcher(['*/**', 'out/**'])!;
    assert.deepEqual(['a', 'a/b', 'out', 'out/x.js'].map((path) => excluded(path)), [true, true, true, true]);
  });

  it('agrees with picomatch on the syntax both share (property)', () => {
    const part = fc.constantFrom('a', 'b', '.c', '*', '**', '?', '[ab]', '{a,b}', 'a*', '*b');
    const glob = fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
    const path = fc.array(fc.constantFrom('a', 'b', 'ab', '.c', 'ba'), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
    fc.assert(
      // picomatch reads `x/**` as naming the folder x itself when x is literal but not when it is `*`; ours always.
      fc.property(glob.filter((pattern) => !pattern.endsWith('/**')), path, (pattern, candidate) => {
        // The prefix rule (a folder excludes what is inside it) is ours: compare whole paths, prefixes included.
        const ours = createExcludeMatcher([pattern])!;
        const reference = picomatch(pattern, { dot: true });
        const parts = candidate.split('/');
        const theirs = parts.some((_, i) => reference(parts.slice(0, i + 1).join('/')));
        assert.equal(ours(candidate), theirs, `${pattern} on ${candidate}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches in linear time globs that made picomatch run for minutes (issue 12 #18)', () => {
    const cases: Array<[string, string]> = [
      ['**/a*a*a*a*a*a*a*a*a*a*b', `x/${'a'.repeat(255)}`], // picomatch: over 60 s at 100 characters
      ['a/**/a/**/a/**/z', Array(2000).fill('a').join('/') + '/y'],
      ['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}*c', 'ab'.repeat(100)],
    ];
    for (const [pattern, path] of cases) {
      const excluded = createExcludeMatcher([pattern])!;
      const started = Date.now();
      excluded(path);
      assert.ok(Date.now() - started < 5000, `${pattern}: ${Date.now() - started} ms`);
    }
  });
});

describe('requiredLiteral (the substring search before the automaton, issue 15)', () => {
  it('names the longest literal run of a glob, without the `/` a `**/` may leave out', () => {
    const literals = ['**/node_modules', '**/.git', 'dist/**', '*.min.js', 'a/**/bcd', 'src/[ab]x/y?z', '\\*lit\\?', '**', '[unclosed'].map(
      (pattern) => `${pattern} -> ${requiredLiteral(pattern)}`,
    );
    assert.deepEqual(literals, [
      '**/node_modules -> node_modules',
      '**/.git -> .git',
      'dist/** -> dist/',
      '*.min.js -> .min.js',
      'a/**/bcd -> bcd',
      'src/[ab]x/y?z -> src/',
      '\\*lit\\? -> *lit?',
      '** -> ',
      '[unclosed -> ',
    ]);
  });

  it('is held by every path the glob matches, or one of whose folders it matches (property)', () => {
    const part = fc.constantFrom('a', 'b', 'ab', '.c', '*', '**', '?', '[ab]', '[!a]', 'a*', '*b', '\\*', 'x\\?y');
    const glob = fc.array(part, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
    const path = fc.array(fc.constantFrom('a', 'b', 'ab', '.c', 'ba', '*', 'x?y', 'abc'), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));
    let matched = 0;
    fc.assert(
      fc.property(glob, path, (pattern, candidate) => {
        const nfa = compileGlob(pattern);
        if (!nfa || !globAcceptsPathOrFolder(nfa, candidate)) return;
        matched++;
        assert.ok(candidate.includes(requiredLiteral(pattern)), `${pattern} matches ${candidate} without holding "${requiredLiteral(pattern)}"`);
      }),
      { numRuns: 5000 },
    );
    // The property is only worth something if many generated globs match.
    assert.ok(matched > 200, `only ${matched} matches`);
  });
});

describe('expandBraces', () => {
  it('expands alternatives, nested ones too, leaving escaped and comma-less braces alone', () => {
    assert.deepEqual(expandBraces('src/{a,b}/*.{ts,js}'), ['src/a/*.ts', 'src/a/*.js', 'src/b/*.ts', 'src/b/*.js']);
    assert.deepEqual(expandBraces('{a,{b,c}}x'), ['ax', 'bx', 'cx']);
    assert.deepEqual(expandBraces('\\{a,b}'), ['\\{a,b}']);
    assert.deepEqual(expandBraces('{single}'), ['{single}']);
  });

  it('refuses a glob that would expand to more than 256 alternatives', () => {
    assert.equal(expandBraces('{a,b}'.repeat(8))!.length, 256);
    assert.equal(expandBraces('{a,b}'.repeat(9)), undefined);
  });
});
