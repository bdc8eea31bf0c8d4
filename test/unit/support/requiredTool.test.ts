import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { toolRan } from '../../support/requiredTool';

describe('toolRan', () => {
  const saved = { ci: process.env.CI, require: process.env.AKH_REQUIRE_TOOLS };
  afterEach(() => {
    for (const [name, value] of [['CI', saved.ci], ['AKH_REQUIRE_TOOLS', saved.require]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('fails a check whose tool is missing in CI, rather than letting it pass unchecked (issue 12)', () => {
    const missing = spawnSync('akh-no-such-tool', [], { encoding: 'utf8' });
    process.env.CI = 'true';
    assert.throws(() => toolRan(missing, 'akh-no-such-tool', 'a check'), /akh-no-such-tool is required for a check/);
    delete process.env.CI;
    process.env.AKH_REQUIRE_TOOLS = '1';
    assert.throws(() => toolRan(missing, 'akh-no-such-tool', 'a check'));
  });

  it('says which check did not run elsewhere, and lets a tool that ran be checked', () => {
    delete process.env.CI;
    delete process.env.AKH_REQUIRE_TOOLS;
    assert.equal(toolRan(spawnSync('akh-no-such-tool', [], { encoding: 'utf8' }), 'akh-no-such-tool', 'a check'), false);
    assert.equal(toolRan(spawnSync('sh', ['-c', 'exit 3'], { encoding: 'utf8' }), 'sh', 'a check'), true);
  });
});
