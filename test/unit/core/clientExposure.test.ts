import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import {
  PUBLIC_ENV_PREFIXES,
  bufferMayContainClientExposure,
  bundlerForPrefix,
  findClientExposures,
  findClientExposuresInBuffer,
  mayContainClientExposure,
  type ClientExposure,
} from '../../../src/core/clientExposure';

/** The exposures as [matched text, kind, detail], which reads better in a table than offsets. */
function exposuresIn(text: string): Array<[string, ClientExposure['kind'], string]> {
  return findClientExposures(text).map((exposure) => [text.slice(exposure.start, exposure.end), exposure.kind, exposure.detail]);
}

describe('findClientExposures', () => {
  describe('dangerouslyAllowBrowser', () => {
    it('flags an Anthropic client created with dangerouslyAllowBrowser: true', () => {
      const text = 'const client = new Anthropic({ apiKey, dangerouslyAllowBrowser: true });'; // anthropic-key-hygiene-ignore: a fixture of the rule
      assert.deepEqual(findClientExposures(text), [
        { start: text.indexOf('dangerously'), end: text.indexOf(' })'), kind: 'dangerously-allow-browser', detail: 'Anthropic' },
      ]);
    });

    it('flags JSON options in a file that mentions Claude, with no callee to name', () => {
      assert.deepEqual(exposuresIn('{"model": "claude", "dangerouslyAllowBrowser": true}'), [ // anthropic-key-hygiene-ignore: a fixture of the rule
        ['"dangerouslyAllowBrowser": true', 'dangerously-allow-browser', ''],
      ]);
    });

    const positives: Array<[string, string, string]> = [
      ['a quoted option name with spaces around the colon', 'new Anthropic({\n  "dangerouslyAllowBrowser" : true\n})', '"dangerouslyAllowBrowser" : true'],
      ['a single-quoted option name', "new Anthropic({ 'dangerouslyAllowBrowser':true })", "'dangerouslyAllowBrowser':true"], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['the option on its own line after other options', 'new Anthropic({\n  apiKey: key,\n  dangerouslyAllowBrowser:\n    true,\n})', 'dangerouslyAllowBrowser:\n    true'],
      ['nested calls among the options', 'new Anthropic({ fetch: wrap(fetch, { retries: 2 }), dangerouslyAllowBrowser: true })', 'dangerouslyAllowBrowser: true'], // anthropic-key-hygiene-ignore: a fixture of the rule
    ];
    for (const [name, text, matched] of positives) {
      it(`flags ${name}`, () => {
        assert.deepEqual(exposuresIn(text), [[matched, 'dangerously-allow-browser', 'Anthropic']]);
      });
    }

    it('names Bedrock, Vertex and namespaced clients by their constructor', () => {
      assert.deepEqual(exposuresIn('new sdk.AnthropicBedrock({ dangerouslyAllowBrowser: true, awsRegion })'), [ // anthropic-key-hygiene-ignore: a fixture of the rule
        ['dangerouslyAllowBrowser: true', 'dangerously-allow-browser', 'sdk.AnthropicBedrock'],
      ]);
      assert.deepEqual(exposuresIn('new AnthropicVertex({ dangerouslyAllowBrowser: true })')[0][2], 'AnthropicVertex'); // anthropic-key-hygiene-ignore: a fixture of the rule
    });

    it('recognises a client class imported from @anthropic-ai under another name', () => {
      const esm = "import Client from '@anthropic-ai/sdk';\nconst c = new Client({ dangerouslyAllowBrowser: true });"; // anthropic-key-hygiene-ignore: a fixture of the rule
      assert.deepEqual(exposuresIn(esm)[0]?.[2], 'Client');
      const renamed = "import { Anthropic as Llm } from \"@anthropic-ai/sdk\";\nnew Llm({ dangerouslyAllowBrowser: true });"; // anthropic-key-hygiene-ignore: a fixture of the rule
      assert.deepEqual(exposuresIn(renamed)[0]?.[2], 'Llm');
      const cjs = "const { Anthropic: Api } = require('@anthropic-ai/sdk');\nnew Api({ dangerouslyAllowBrowser: true });"; // anthropic-key-hygiene-ignore: a fixture of the rule
      assert.deepEqual(exposuresIn(cjs)[0]?.[2], 'Api');
    });

    it('flags a standalone options object in a file that uses Anthropic', () => {
      const text = "import Anthropic from '@anthropic-ai/sdk';\nconst options = { dangerouslyAllowBrowser: true };\nnew Anthropic(options);"; // anthropic-key-hygiene-ignore: a fixture of the rule
      assert.deepEqual(exposuresIn(text), [['dangerouslyAllowBrowser: true', 'dangerously-allow-browser', '']]);
    });

    it('flags options passed to a helper function in a file that mentions Claude', () => {
      const text = '// Claude chat widget\nconst client = makeClient({ dangerouslyAllowBrowser: true });'; // anthropic-key-hygiene-ignore: a fixture of the rule
      assert.deepEqual(exposuresIn(text), [['dangerouslyAllowBrowser: true', 'dangerously-allow-browser', 'makeClient']]);
    });

    const negatives: Record<string, string> = {
      'another SDK client, even next to an Anthropic one':
        "import Anthropic from '@anthropic-ai/sdk';\nimport OpenAI from 'openai';\nnew Anthropic({ apiKey });\nnew OpenAI({ dangerouslyAllowBrowser: true });", // anthropic-key-hygiene-ignore: a fixture of the rule
      'a standalone options object in a file that never mentions Anthropic':
        'const options = { dangerouslyAllowBrowser: true };\nexport default options;', // anthropic-key-hygiene-ignore: a fixture of the rule
      'the option set to false': 'new Anthropic({ dangerouslyAllowBrowser: false })',
      'a value that only starts with true': 'new Anthropic({ dangerouslyAllowBrowser: trueish })',
      'a longer option name': 'new Anthropic({ notdangerouslyAllowBrowser: true })',
      'mismatched quotes': "new Anthropic({ \"dangerouslyAllowBrowser': true })",
      'a comment that names the option': '// Anthropic: never set dangerouslyAllowBrowser in production',
      'prose that quotes the option': 'The Anthropic client is created with dangerouslyAllowBrowser: true here.',
      'a Markdown mention of the option': 'Never pass `dangerouslyAllowBrowser: true` to Anthropic.',
      'commented-out code': 'new Anthropic({\n  // dangerouslyAllowBrowser: true,\n})',
    };
    for (const [name, text] of Object.entries(negatives)) {
      it(`does not flag ${name}`, () => {
        assert.deepEqual(findClientExposures(text), []);
      });
    }
  });

  describe('public env prefixes', () => {
    const positives: Array<[string, string, string]> = [
      ['process.env.NEXT_PUBLIC_ANTHROPIC_API_KEY', 'NEXT_PUBLIC_ANTHROPIC_API_KEY', 'NEXT_PUBLIC_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['process.env["NEXT_PUBLIC_ANTHROPIC_API_KEY"]', 'NEXT_PUBLIC_ANTHROPIC_API_KEY', 'NEXT_PUBLIC_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['const key = import.meta.env.VITE_ANTHROPIC_API_KEY;', 'VITE_ANTHROPIC_API_KEY', 'VITE_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['VITE_CLAUDE_KEY=abc123', 'VITE_CLAUDE_KEY', 'VITE_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['export REACT_APP_ANTHROPIC_KEY="x"', 'REACT_APP_ANTHROPIC_KEY', 'REACT_APP_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['EXPO_PUBLIC_CLAUDE_API_TOKEN=', 'EXPO_PUBLIC_CLAUDE_API_TOKEN', 'EXPO_PUBLIC_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ["import { PUBLIC_ANTHROPIC_SECRET } from '$env/static/public';", 'PUBLIC_ANTHROPIC_SECRET', 'PUBLIC_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['NUXT_PUBLIC_ANTHROPIC_API_KEY=', 'NUXT_PUBLIC_ANTHROPIC_API_KEY', 'NUXT_PUBLIC_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['GATSBY_ANTHROPIC_KEY=', 'GATSBY_ANTHROPIC_KEY', 'GATSBY_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['process.env.VUE_APP_CLAUDE_KEY', 'VUE_APP_CLAUDE_KEY', 'VUE_APP_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['curl -H "x-api-key: $VITE_ANTHROPIC_API_KEY"', 'VITE_ANTHROPIC_API_KEY', 'VITE_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ['VITE_MY_CLAUDE_ApiKey', 'VITE_MY_CLAUDE_ApiKey', 'VITE_'], // anthropic-key-hygiene-ignore: a fixture of the rule
    ];
    for (const [text, name, prefix] of positives) {
      it(`flags ${name} in ${JSON.stringify(text)}`, () => {
        assert.deepEqual(exposuresIn(text), [[name, 'public-env-prefix', prefix]]);
      });
    }

    const negatives = [
      'ANTHROPIC_API_KEY=abc',
      'process.env.CLAUDE_API_KEY',
      'NEXT_PUBLIC_ANTHROPIC_MODEL=claude-sonnet',
      'NEXT_PUBLIC_API_KEY=abc',
      'VITE_OPENAI_API_KEY=abc',
      'MY_VITE_ANTHROPIC_KEY=abc',
      'next_public_anthropic_key=abc',
      'SERVER_ANTHROPIC_KEY=abc',
      // Env names are upper case by convention; lower-case vendor words are not looked for.
      'import.meta.env.VITE_anthropicApiKey',
      'VITE_Claude_Key',
    ];
    for (const text of negatives) {
      it(`does not flag ${JSON.stringify(text)}`, () => {
        assert.deepEqual(findClientExposures(text), []);
      });
    }

    it('reports a name once however many vendor words it holds', () => {
      assert.deepEqual(exposuresIn('VITE_ANTHROPIC_CLAUDE_ANTHROPIC_KEY'), [ // anthropic-key-hygiene-ignore: a fixture of the rule
        ['VITE_ANTHROPIC_CLAUDE_ANTHROPIC_KEY', 'public-env-prefix', 'VITE_'], // anthropic-key-hygiene-ignore: a fixture of the rule
      ]);
    });

    it('knows the bundler behind every prefix', () => {
      for (const { prefix } of PUBLIC_ENV_PREFIXES) assert.ok(bundlerForPrefix(prefix));
      assert.equal(bundlerForPrefix('VITE_'), 'Vite');
      assert.equal(bundlerForPrefix('SERVER_'), undefined);
    });
  });

  it('treats ANTHROPIC_AUTH_TOKEN and CLAUDE_CODE_OAUTH_TOKEN as key variables under every public prefix (issue 13)', () => {
    for (const { prefix } of PUBLIC_ENV_PREFIXES) {
      for (const name of ['ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN']) {
        const variable = prefix + name;
        assert.deepEqual(exposuresIn(`const token = process.env.${variable};`), [[variable, 'public-env-prefix', prefix]]);
      }
    }
  });

  it('orders findings of both kinds by offset', () => {
    const text = [
      "import Anthropic from '@anthropic-ai/sdk';",
      'const client = new Anthropic({',
      '  apiKey: import.meta.env.VITE_ANTHROPIC_API_KEY,', // anthropic-key-hygiene-ignore: a fixture of the rule
      '  dangerouslyAllowBrowser: true,',
      '});',
    ].join('\n');
    assert.deepEqual(
      exposuresIn(text).map(([matched]) => matched),
      ['VITE_ANTHROPIC_API_KEY', 'dangerouslyAllowBrowser: true'], // anthropic-key-hygiene-ignore: a fixture of the rule
    );
  });

  it('finds nothing, quickly, in a text without the prefilter words', () => {
    assert.equal(mayContainClientExposure('const x = process.env.OPENAI_API_KEY;'), false);
    assert.deepEqual(findClientExposures('const x = process.env.OPENAI_API_KEY;'), []);
  });

  it('prefilters bytes the same way as text', () => {
    for (const text of ['plain', 'ANTHROPIC', 'anthropic', 'CLAUDE', 'claude', 'dangerouslyAllowBrowser']) {
      assert.equal(bufferMayContainClientExposure(Buffer.from(text)), mayContainClientExposure(text));
    }
  });

  it('lets through exactly the texts that hold one of the three words, in text and in bytes (property)', () => {
    const words = ['dangerouslyAllowBrowser', 'ANTHROPIC', 'CLAUDE'];
    const pieces = fc.constantFrom(...words, 'A', 'AA', 'Allow', 'dangerouslyA', 'llowBrowser', 'ANTHROP', 'NTHROPIC', 'HROPIC', 'CLA', 'LAUDE', 'AUDE', 'CL', 'é', ' ');
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ unit: fc.constantFrom('A', 'N', 'U', 'l', 'C', 'x'), maxLength: 4 })), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const expected = words.some((word) => text.includes(word));
        assert.equal(mayContainClientExposure(text), expected, text);
        assert.equal(bufferMayContainClientExposure(Buffer.from(text)), expected, text);
      }),
      { numRuns: 3000 },
    );
    assert.equal(mayContainClientExposure('A'.repeat(1_000_000) + 'CLAUDE'), true);
  });

  it('finds the same exposures in bytes, at byte offsets, as in their latin1 reading', () => {
    const pieces = fc.constantFrom(
      ...['dangerouslyAllowBrowser', ': true', '{', '(', 'new Anthropic', 'VITE_', 'NEXT_PUBLIC_', 'ANTHROPIC', 'CLAUDE', '_API_KEY'],
      ...['_TOKEN', 'HROPIC', 'LAUDE', ' ', '\n', '=', 'é', '😀', "'@anthropic-ai/sdk'", 'import X from '],
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 25 }), (parts) => {
        const bytes = Buffer.from(parts.join(''));
        assert.deepEqual(findClientExposuresInBuffer(bytes), findClientExposures(bytes.toString('latin1')));
      }),
      { numRuns: 1000 },
    );
  });

  describe('text that is not code (issue 12 #21)', () => {
    // The option's name is assembled so that this file does not itself trip the project's self-scan.
    const option = ['dangerously', 'AllowBrowser'].join('');

    it('ignores the option inside a string: the SDK\'s own error message', () => {
      const sdkMessage = `throw new Errors.AnthropicError("It looks like you're running in a browser-like environment.\\n\\nIf you understand the risks,\\nyou can set the \`${option}\` option to \`true\`, e.g.,\\n\\nnew Anthropic({ apiKey, ${option}: true });\\n");`;
      assert.deepEqual(findClientExposures(`import Anthropic from '@anthropic-ai/sdk';\n${sdkMessage}\n`), []);
    });

    it('ignores the option in line and block comments and in template text, and finds it in a template\'s code', () => {
      const lines = [
        "import Anthropic from '@anthropic-ai/sdk';",
        `// new Anthropic({ ${option}: true })`,
        `/* new Anthropic({\n  ${option}: true\n}) */`,
        `const doc = \`new Anthropic({\n  ${option}: true\n})\`;`,
        `const html = \`\${render(new Anthropic({ ${option}: true }))}\`;`,
      ];
      assert.deepEqual(exposuresIn(lines.join('\n')), [[`${option}: true`, 'dangerously-allow-browser', 'Anthropic']]);
    });

    it('is not misled by a quote inside a regular expression literal, or by a division', () => {
      const text = `import Anthropic from '@anthropic-ai/sdk';\nconst q = /['"\`]/g, half = total / 2, r = a/b/c;\nconst c = new Anthropic({ ${option}: true });\n`;
      assert.deepEqual(exposuresIn(text).map(([matched]) => matched), [`${option}: true`]);
    });

    it('ignores a public key variable named in a comment, and still reports one read through a string', () => {
      const name = ['VITE', 'ANTHROPIC', 'API', 'KEY'].join('_');
      assert.deepEqual(exposuresIn(`// never use ${name}\n/* or ${name} */\n`), []);
      assert.deepEqual(exposuresIn(`const key = import.meta.env['${name}'];`).map(([matched]) => matched), [name]);
      assert.deepEqual(findClientExposuresInBuffer(Buffer.from(`// ${name}\nconst k = env.${name};`)).map((exposure) => exposure.start), [`// ${name}\nconst k = env.`.length]);
    });
  });

  it('judges an import of @anthropic-ai by hand, linearly, where a pattern once took seconds (issue 12 #18)', () => {
    const option = ['dangerously', 'AllowBrowser'].join('');
    // A line the old pattern tried in quadratic ways per start: `import`, a long run of spaces, the package name.
    const text = `${option}: true\n` + ('import' + ' '.repeat(480) + "'@anthropic-ai/sdk';\n").repeat(200); // 101 KB: 6.2 s before
    const started = Date.now();
    findClientExposures(text);
    findClientExposures(`${option}: true\n` + ('const' + ' '.repeat(480) + "= require('@anthropic-ai/sdk')\n").repeat(200));
    findClientExposures(`${option}: true\n` + ("from '@anthropic-ai/sdk' ").repeat(20_000)); // many mentions, no import anywhere
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    // And it still reads every binding form.
    const imports = [
      "import Anthropic from '@anthropic-ai/sdk';",
      "import { Anthropic as Client, type ClientOptions } from '@anthropic-ai/sdk';",
      "import * as sdk from '@anthropic-ai/sdk';",
      "import{Bedrock}from\"@anthropic-ai/bedrock-sdk\";",
      "const { Vertex } = require('@anthropic-ai/vertex-sdk');",
      "let Legacy = require( '@anthropic-ai/sdk' );",
    ].join('\n');
    for (const callee of ['Client', 'sdk.Anthropic', 'Bedrock', 'Vertex', 'Legacy']) {
      assert.deepEqual(exposuresIn(`${imports}\nnew ${callee}({ ${option}: true });`).map(([, , detail]) => detail), [callee], callee);
    }
    // A constructor named otherwise, and not imported from there, is another SDK's.
    assert.deepEqual(exposuresIn(`${imports}\nnew OpenAI({ ${option}: true });`), []);
  });

  it('stays linear on adversarial input for every search it makes (issue 12 #18)', () => {
    const option = ['dangerously', 'AllowBrowser'].join('');
    const cases: Record<string, string> = {
      'long dotted callees before each option': `import Anthropic from '@anthropic-ai/sdk';\n` + `${'a.'.repeat(95)}b({ ${option}: true })\n`.repeat(5_000),
      'whitespace between an option and no colon': `${option}${' '.repeat(1_000_000)}`,
      'an enormous public variable name': `VITE_${'ANTHROPIC_'.repeat(200_000)}KEY`,
      'templates nested a thousand deep': `${'`${'.repeat(1000)}${option}: true${'}`'.repeat(1000)} ANTHROPIC`,
      'regex-looking slashes': `${'/['.repeat(200_000)} ${option}: true ANTHROPIC`,
      'unclosed comments and strings': `/* ${'"\''.repeat(200_000)} ${option}: true ANTHROPIC`,
    };
    for (const [name, text] of Object.entries(cases)) {
      const started = Date.now();
      findClientExposures(text);
      findClientExposuresInBuffer(Buffer.from(text, 'latin1'));
      assert.ok(Date.now() - started < 5000, `${name}: ${Date.now() - started} ms`);
    }
  });

  it('lists at most a thousand exposures of one text', () => {
    const name = ['NEXT', 'PUBLIC', 'ANTHROPIC', 'KEY'].join('_');
    assert.equal(findClientExposuresInBuffer(Buffer.from(`${name}\n`.repeat(5000))).length, 1000);
  });

  it('stays linear on adversarial input', () => {
    const started = Date.now();
    findClientExposures('VITE_' + 'ANTHROPIC'.repeat(500_000));
    findClientExposures('CLAUDE '.repeat(500_000));
    findClientExposures('new Anthropic({ ' + 'dangerouslyAllowBrowser: true, '.repeat(100_000) + '})');
    findClientExposures('{{{{(((('.repeat(100_000) + 'dangerouslyAllowBrowser: true');
    assert.ok(Date.now() - started < 5000);
  });

  it('never throws on random text', () => {
    const pieces = fc.constantFrom(
      ...['dangerouslyAllowBrowser', ': true', '"', '(', '{', '}', ')', 'new ', 'Anthropic', 'VITE_', 'CLAUDE', '_KEY'],
      ...[' ', '\n', '$', '=', "'@anthropic-ai/sdk'", 'import X from '],
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ unit: 'binary', maxLength: 4 }))), (parts) => {
        const text = parts.join('');
        for (const exposure of findClientExposures(text)) assert.ok(exposure.start < exposure.end && exposure.end <= text.length);
      }),
      { numRuns: 500 },
    );
  });
});
