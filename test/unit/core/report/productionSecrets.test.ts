// Evidence for "production keys in a secrets manager": each manager recognised where it is used, counted for the
// Anthropic key only in a file that names it; a Dockerfile that bakes a .env file or the key variable into the
// image; what counts as deployment configuration. Every pattern stays linear on adversarial lines.
import * as assert from 'node:assert/strict';
import { isDeploymentFile, productionSecretsEvidence } from '../../../../src/core/report/productionSecrets';

describe('Production secrets evidence (src/core/report/productionSecrets.ts)', () => {
  const managers: Array<[string, string, string]> = [
    ['aws-secrets-manager', 'src/key.py', 'client = boto3.client("secretsmanager")\nkey = client.get_secret_value(SecretId="anthropic")\nos.environ["ANTHROPIC_API_KEY"] = key'],
    ['aws-secrets-manager', 'src/key.ts', "import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';\nconst k = process.env.ANTHROPIC_API_KEY;"],
    ['hashicorp-vault', 'src/key.py', 'import hvac\nANTHROPIC_API_KEY = read()'],
    ['google-secret-manager', 'src/key.py', 'from google.cloud import secretmanager\nc = secretmanager.SecretManagerServiceClient()\n# anthropic'],
    ['azure-key-vault', 'src/key.ts', "import { SecretClient } from '@azure/keyvault-secrets';\n// anthropic"],
    ['doppler', 'Procfile', 'web: doppler run -- node server.js # ANTHROPIC_API_KEY'],
    ['1password', '.env.tpl', 'ANTHROPIC_API_KEY=op://Production/Anthropic/credential'],
    ['kubernetes-secret', 'k8s/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n  env:\n  - name: ANTHROPIC_API_KEY\n    valueFrom:\n      secretKeyRef:\n        name: anthropic'],
    ['external-secrets', 'k8s/secret.yaml', 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: anthropic-api-key'],
    ['github-actions-secrets', '.github/workflows/deploy.yml', 'env:\n  ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}'],
  ];
  for (const [kind, path, text] of managers) {
    it(`recognises ${kind} in ${path}, for the Anthropic key`, () => {
      const evidence = productionSecretsEvidence([{ path, text }]);
      const sighting = evidence.managers.find((entry) => entry.kind === kind);
      assert.ok(sighting, JSON.stringify(evidence.managers));
      assert.equal(sighting.forAnthropicKey, true);
    });
  }

  it('lists a manager used in a file that does not name the Anthropic key, without counting it for the key', () => {
    const evidence = productionSecretsEvidence([{ path: 'db.py', text: 'import boto3\npw = boto3.client("secretsmanager").get_secret_value(SecretId="db")' }]);
    assert.deepEqual(evidence.managers.map((m) => [m.kind, m.line, m.forAnthropicKey]), [['aws-secrets-manager', 2, false]]);
  });

  it('takes GitHub secrets syntax for evidence only in a workflow', () => {
    assert.equal(productionSecretsEvidence([{ path: 'docs/ci.md', text: 'ANTHROPIC_API_KEY: ${{ secrets.X }}' }]).managers.length, 0);
  });

  it('finds a Dockerfile that copies a .env file or sets the key variable, and not one that copies a template', () => {
    const evidence = productionSecretsEvidence([
      { path: 'Dockerfile', text: 'FROM node:20\nCOPY .env /app/.env\nCOPY .env.example /app/\nARG ANTHROPIC_API_KEY\nENV NODE_ENV=production\nADD ./config/.env.production /app/\n' },
    ]);
    assert.deepEqual(
      evidence.baked.map((b) => [b.kind, b.line]),
      [
        ['dockerfile-copies-env-file', 2],
        ['dockerfile-sets-key-variable', 4],
        ['dockerfile-copies-env-file', 6],
      ],
    );
  });

  it('knows deployment configuration when it sees it', () => {
    for (const path of ['Dockerfile', 'api/Dockerfile.prod', 'docker-compose.yml', 'compose.prod.yaml', '.github/workflows/ci.yml', 'fly.toml', 'serverless.yml', 'infra/main.tf', '.gitlab-ci.yml']) {
      assert.ok(isDeploymentFile(path, ''), path);
    }
    assert.ok(isDeploymentFile('k8s/app.yaml', 'apiVersion: v1\nkind: Service\n'));
    assert.ok(!isDeploymentFile('config/settings.yaml', 'debug: true\n'));
    assert.ok(!isDeploymentFile('src/app.ts', ''));
  });

  it('stays linear on long adversarial lines', () => {
    const started = Date.now();
    productionSecretsEvidence([
      { path: 'Dockerfile', text: 'COPY ' + ' /.env.a'.repeat(100_000) + '\n' + 'COPY ' + 'a'.repeat(3000) + '\n' },
      { path: 'big.ts', text: ('x'.repeat(3990) + '\n').repeat(200) + 'op:'.repeat(100_000) },
    ]);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});
