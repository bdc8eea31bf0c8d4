// The "Read it from a secrets manager" rewrite: the literal becomes the provider's documented lookup, the import is
// added once and in the right place, and nothing is offered where the result would not run (a sync function for an
// `await`, a browser file, a key inside a larger string). The TypeScript result is type-checked with the compiler
// against the Anthropic SDK's real types and the AWS SDK's documented signature.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as ts from 'typescript';
import { applyEdits } from '../../../src/core/fixes/edits';
import { planSecretsManagerLookup, type SecretsProvider } from '../../../src/core/secretsManagerFix';
import { fakeKey } from '../../support/fakeKeys';

const key = fakeKey(31);

function rewrite(source: string, language: 'python' | 'javascript', fileName: string, provider: SecretsProvider = 'aws', secretId = 'prod/anthropic/api-key') {
  const text = source.replace('KEY', key);
  const start = text.indexOf(key);
  const plan = planSecretsManagerLookup(text, start, start + key.length, language, provider, secretId, fileName);
  return plan ? { ...plan, text: applyEdits(text, plan.edits) } : undefined;
}

describe('Secrets-manager rewrite (src/core/secretsManagerFix.ts)', () => {
  it('reads the key with boto3 in Python and adds import boto3 after the docstring and __future__ imports', () => {
    const result = rewrite('"""App."""\nfrom __future__ import annotations\nfrom anthropic import Anthropic\n\nclient = Anthropic(api_key="KEY")\n', 'python', 'app.py');
    assert.ok(result);
    assert.equal(
      result.text,
      '"""App."""\nfrom __future__ import annotations\nimport boto3\nfrom anthropic import Anthropic\n\nclient = Anthropic(api_key=boto3.client("secretsmanager").get_secret_value(SecretId="prod/anthropic/api-key")["SecretString"])\n',
    );
    assert.equal(result.title, 'Read the key from AWS Secrets Manager (prod/anthropic/api-key) and add import boto3');
    assert.ok(!result.title.includes(key) && !result.note.includes(key));
  });

  it('adds nothing a Python file already imports, and keeps CRLF line endings', () => {
    const result = rewrite('import os\r\nimport boto3\r\napi_key = "KEY"\r\n', 'python', 'app.py');
    assert.equal(result?.text, 'import os\r\nimport boto3\r\napi_key = boto3.client("secretsmanager").get_secret_value(SecretId="prod/anthropic/api-key")["SecretString"]\r\n');
  });

  it('writes the Azure lookup with both imports and import os, as the Azure docs show', () => {
    const result = rewrite('key = "KEY"\n', 'python', 'app.py', 'azure', 'anthropic-api-key');
    assert.equal(
      result?.text,
      'from azure.identity import DefaultAzureCredential\nfrom azure.keyvault.secrets import SecretClient\nimport os\nkey = SecretClient(vault_url=os.environ["AZURE_KEY_VAULT_URL"], credential=DefaultAzureCredential()).get_secret("anthropic-api-key").value\n',
    );
  });

  it('writes the Vault (hvac) and Google Secret Manager lookups in Python', () => {
    assert.match(rewrite('k = "KEY"\n', 'python', 'a.py', 'vault', 'secret/anthropic')!.text, /hvac\.Client\(\)\.secrets\.kv\.v2\.read_secret_version\(path="secret\/anthropic"\)\["data"\]\["data"\]\["api_key"\]/);
    assert.match(rewrite('k = "KEY"\n', 'python', 'a.py', 'gcp', 'anthropic')!.text, /^from google\.cloud import secretmanager\n.*name="projects\/PROJECT_ID\/secrets\/anthropic\/versions\/latest"/s);
  });

  it('offers nothing for a key inside a larger string, an f-string, or a secret id with a quote in it', () => {
    assert.equal(rewrite('h = "Bearer KEY"\n', 'python', 'a.py'), undefined);
    assert.equal(rewrite('h = f"KEY"\n', 'python', 'a.py'), undefined);
    assert.equal(rewrite('h = "KEY"\n', 'python', 'a.py', 'aws', 'x"); import os; ("'), undefined);
  });

  it('uses an await in an async TypeScript function, with the ES import after the existing ones', () => {
    const result = rewrite("import Anthropic from '@anthropic-ai/sdk';\n\nexport async function main() {\n  return new Anthropic({ apiKey: 'KEY' });\n}\n", 'javascript', 'src/server.ts');
    assert.equal(
      result?.text,
      "import Anthropic from '@anthropic-ai/sdk';\nimport { GetSecretValueCommand, SecretsManagerClient } from \"@aws-sdk/client-secrets-manager\";\n\nexport async function main() {\n  return new Anthropic({ apiKey: (await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: \"prod/anthropic/api-key\" }))).SecretString });\n}\n",
    );
  });

  it('offers nothing where an await is not allowed: a sync function, the top level of a CommonJS file', () => {
    assert.equal(rewrite("import Anthropic from '@anthropic-ai/sdk';\nexport function main() {\n  return new Anthropic({ apiKey: 'KEY' });\n}\n", 'javascript', 'src/server.ts'), undefined);
    assert.equal(rewrite("const Anthropic = require('@anthropic-ai/sdk');\nconst client = new Anthropic({ apiKey: 'KEY' });\n", 'javascript', 'server.js'), undefined);
  });

  it('writes require() in a CommonJS file, inside an async function', () => {
    const result = rewrite("const Anthropic = require('@anthropic-ai/sdk');\nasync function main() {\n  return new Anthropic({ apiKey: 'KEY' });\n}\n", 'javascript', 'server.js');
    assert.match(result!.text, /^const Anthropic = require\('@anthropic-ai\/sdk'\);\nconst \{ GetSecretValueCommand, SecretsManagerClient \} = require\("@aws-sdk\/client-secrets-manager"\);\n/);
  });

  it('allows the await at the top level of an ES module', () => {
    assert.ok(rewrite("import Anthropic from '@anthropic-ai/sdk';\nexport const client = new Anthropic({ apiKey: 'KEY' });\n", 'javascript', 'server.mjs'));
  });

  it('offers nothing in browser code, and no Vault lookup in JavaScript (no official client)', () => {
    assert.equal(rewrite("export const k = 'KEY';\n", 'javascript', 'src/App.tsx'), undefined);
    assert.equal(rewrite("export const k = 'KEY';\n", 'javascript', 'public/app.js'), undefined);
    assert.equal(rewrite("export async function f() { return 'KEY'; }\n", 'javascript', 'server.ts', 'vault'), undefined);
  });

  it('type-checks: the rewritten TypeScript compiles against the Anthropic SDK and the AWS SDK signature', () => {
    const result = rewrite("import Anthropic from '@anthropic-ai/sdk';\n\nexport async function main(): Promise<Anthropic> {\n  return new Anthropic({ apiKey: 'KEY' });\n}\n", 'javascript', 'server.ts');
    assert.ok(result);
    // The AWS SDK v3 signature as documented (client-secrets-manager's GetSecretValueCommandOutput.SecretString?: string).
    const awsTypes = `declare module '@aws-sdk/client-secrets-manager' {
      export class SecretsManagerClient { constructor(config: object); send(command: GetSecretValueCommand): Promise<{ SecretString?: string; ARN?: string }>; }
      export class GetSecretValueCommand { constructor(input: { SecretId: string; VersionId?: string; VersionStage?: string }); }
    }`;
    const root = join(__dirname, '..', '..', '..');
    const files = new Map([
      [join(root, 'virtual', 'server.ts'), result.text],
      [join(root, 'virtual', 'aws.d.ts'), awsTypes],
    ]);
    const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: [] };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (name) => files.get(name) ?? read(name);
    const exists = host.fileExists.bind(host);
    host.fileExists = (name) => files.has(name) || exists(name);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version) => (files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version));
    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
  });
});
