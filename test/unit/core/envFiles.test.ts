import { strict as assert } from 'node:assert';
import { classifyEnvFileName } from '../../../src/core/envFiles';

describe('classifyEnvFileName', () => {
  const expected: Record<string, 'env' | 'template' | undefined> = {
    '.env': 'env',
    '.env.local': 'env',
    '.env.production': 'env',
    '.env.development.local': 'env',
    '.env.keys': 'env',
    '.env.bak': 'env',
    '.env.example.local': 'env',
    'prod.env': 'env',
    'docker.local.env': 'env',
    '.ENV': 'env',
    '.Env.Local': 'env',
    'Prod.ENV': 'env',
    '.env.example': 'template',
    '.env.sample': 'template',
    '.env.template': 'template',
    '.env.tmpl': 'template',
    '.env.dist': 'template',
    '.env.defaults': 'template',
    '.env.local.sample': 'template',
    '.env.production.example': 'template',
    '.ENV.EXAMPLE': 'template',
    'example.env': 'template',
    'sample.env': 'template',
    'local.sample.env': 'template',
    '.env.vault': undefined,
    '.envrc': undefined,
    '.environment': undefined,
    'env': undefined,
    'env.example': undefined,
    '.env-example': undefined,
    'environment.ts': undefined,
    'dotenv.js': undefined,
    'my.envelope': undefined,
    'README.md': undefined,
    '': undefined,
  };
  for (const [name, kind] of Object.entries(expected)) {
    it(`classifies ${JSON.stringify(name)} as ${kind ?? 'neither'}`, () => {
      assert.equal(classifyEnvFileName(name), kind);
    });
  }

  it('reduces a path to its last segment, with either separator', () => {
    assert.equal(classifyEnvFileName('/repo/apps/web/.env.local'), 'env');
    assert.equal(classifyEnvFileName('C:\\repo\\.env.example'), 'template');
    assert.equal(classifyEnvFileName('/repo/.env/config.json'), undefined);
  });
});
