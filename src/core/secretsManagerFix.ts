// "Read it from AWS Secrets Manager / Vault / …": the rewrite behind the quick fix on a hardcoded key in server
// code. The literal becomes the secrets manager's own lookup, written as each provider's documentation shows it,
// with the secret id from a setting, and the import the lookup needs is added. Pure: it plans text edits; the
// editor stores the key first (a fix never removes a key it has not saved elsewhere) and applies them.
//
// What is offered, and where (each lookup from the provider's own getting-started documentation):
//   Python      aws    boto3.client("secretsmanager").get_secret_value(SecretId=…)["SecretString"]
//               vault  hvac.Client().secrets.kv.v2.read_secret_version(path=…)["data"]["data"]["api_key"]
//                      (hvac.Client() reads VAULT_ADDR and VAULT_TOKEN from the environment)
//               gcp    secretmanager.SecretManagerServiceClient().access_secret_version(name=…).payload.data.decode("UTF-8")
//               azure  SecretClient(vault_url=os.environ["AZURE_KEY_VAULT_URL"], credential=DefaultAzureCredential()).get_secret(…).value
//   JavaScript  aws    (await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: … }))).SecretString
//   TypeScript  gcp    (await new SecretManagerServiceClient().accessSecretVersion({ name: … }))[0].payload?.data?.toString()
//               azure  (await new SecretClient(<url>, new DefaultAzureCredential()).getSecret(…)).value
// The JavaScript SDKs are asynchronous: the lookup is an `await`, offered only where one is allowed (an async
// function, or the top level of a module); a parse of the result decides, so no fix that cannot work is offered.
// HashiCorp Vault has no official JavaScript client, so it is not offered there.
import type { TextEdit } from './fixes/edits';
import { applyEdits } from './fixes/edits';
import { lineEndingOf, pythonImportOsEdit, pythonImportsOs } from './fixes/imports';
import type { FixLanguage } from './fixes/languages';
import { keyLocation } from './fixes/lexer';
import { rewriteKeepsSyntax } from './fixes/syntaxCheck';

export type SecretsProvider = 'aws' | 'vault' | 'gcp' | 'azure';

export interface SecretsManagerPlan {
  edits: TextEdit[];
  /** "Read the key from AWS Secrets Manager (anthropic/api-key)"; never holds a key. */
  title: string;
  /** What the user must do next (put the key in the manager, give the code its credentials). */
  note: string;
}

export const PROVIDER_NAMES: Record<SecretsProvider, string> = {
  aws: 'AWS Secrets Manager',
  vault: 'HashiCorp Vault',
  gcp: 'Google Secret Manager',
  azure: 'Azure Key Vault',
};

/** A secret id as it may appear inside a double-quoted string literal of either language: no quotes, no escapes. */
const SAFE_SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,256}$/;

function extensionOf(fileName: string | undefined): string {
  if (!fileName) return '';
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** Browser-side files: a secrets manager is for server code, and a key must never reach a bundle anyway. */
export function isClientSideFile(fileName: string | undefined): boolean {
  if (!fileName) return false;
  const path = fileName.split('\\').join('/').toLowerCase();
  return ['jsx', 'tsx', 'vue', 'svelte', 'astro', 'html'].includes(extensionOf(path)) || /(?:^|\/)(?:public|static|client|frontend|www)\//.test(path);
}

interface Lookup {
  expression: string;
  /** Import statements the expression needs, each with a test for whether the file already has it. */
  imports: Array<{ statement: string; present: (text: string) => boolean }>;
  note: string;
}

function pythonLookup(provider: SecretsProvider, secretId: string): Lookup {
  const has = (pattern: RegExp) => (text: string) => pattern.test(text);
  switch (provider) {
    case 'aws':
      return {
        expression: `boto3.client("secretsmanager").get_secret_value(SecretId="${secretId}")["SecretString"]`,
        imports: [{ statement: 'import boto3', present: has(/^import[ \t]+(?:[\w., \t]*,[ \t]*)?boto3\b/m) }],
        note: `Put the key in AWS Secrets Manager as the plain-text secret ${secretId}; the code needs AWS credentials allowed secretsmanager:GetSecretValue on it.`,
      };
    case 'vault':
      return {
        expression: `hvac.Client().secrets.kv.v2.read_secret_version(path="${secretId}")["data"]["data"]["api_key"]`,
        imports: [{ statement: 'import hvac', present: has(/^import[ \t]+(?:[\w., \t]*,[ \t]*)?hvac\b/m) }],
        note: `Put the key in Vault's KV v2 engine at ${secretId}, field api_key; hvac.Client() reads VAULT_ADDR and VAULT_TOKEN from the environment.`,
      };
    case 'gcp': {
      const name = secretId.startsWith('projects/') ? secretId : `projects/PROJECT_ID/secrets/${secretId}/versions/latest`;
      return {
        expression: `secretmanager.SecretManagerServiceClient().access_secret_version(name="${name}").payload.data.decode("UTF-8")`,
        imports: [{ statement: 'from google.cloud import secretmanager', present: has(/^from[ \t]+google\.cloud[ \t]+import[ \t]+[^\n]*\bsecretmanager\b/m) }],
        note: `Put the key in Google Secret Manager as ${name}${secretId.startsWith('projects/') ? '' : ' (replace PROJECT_ID)'}; the code needs credentials with roles/secretmanager.secretAccessor.`,
      };
    }
    case 'azure':
      return {
        expression: `SecretClient(vault_url=os.environ["AZURE_KEY_VAULT_URL"], credential=DefaultAzureCredential()).get_secret("${secretId}").value`,
        imports: [
          { statement: 'from azure.identity import DefaultAzureCredential', present: has(/^from[ \t]+azure\.identity[ \t]+import[ \t]+[^\n]*\bDefaultAzureCredential\b/m) },
          { statement: 'from azure.keyvault.secrets import SecretClient', present: has(/^from[ \t]+azure\.keyvault\.secrets[ \t]+import[ \t]+[^\n]*\bSecretClient\b/m) },
        ],
        note: `Put the key in Azure Key Vault as the secret ${secretId}; set AZURE_KEY_VAULT_URL to the vault's URL and give the code an identity DefaultAzureCredential finds.`,
      };
  }
}

function javaScriptLookup(provider: SecretsProvider, secretId: string, typeScript: boolean, commonJs: boolean): Lookup | undefined {
  const importOf = (names: string[], module: string) => ({
    statement: commonJs ? `const { ${names.join(', ')} } = require("${module}");` : `import { ${names.join(', ')} } from "${module}";`,
    present: (text: string) => names.every((name) => new RegExp(`\\b${name}\\b[^;\\n]*\\b(?:from|require\\()\\s*["']${module.replace(/[/.@-]/g, '\\$&')}["']`).test(text)),
  });
  switch (provider) {
    case 'aws':
      return {
        expression: `(await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: "${secretId}" }))).SecretString`,
        imports: [importOf(['GetSecretValueCommand', 'SecretsManagerClient'], '@aws-sdk/client-secrets-manager')],
        note: `Put the key in AWS Secrets Manager as the plain-text secret ${secretId}; the code needs AWS credentials allowed secretsmanager:GetSecretValue on it.`,
      };
    case 'gcp': {
      const name = secretId.startsWith('projects/') ? secretId : `projects/PROJECT_ID/secrets/${secretId}/versions/latest`;
      return {
        expression: `(await new SecretManagerServiceClient().accessSecretVersion({ name: "${name}" }))[0].payload?.data?.toString()`,
        imports: [importOf(['SecretManagerServiceClient'], '@google-cloud/secret-manager')],
        note: `Put the key in Google Secret Manager as ${name}${secretId.startsWith('projects/') ? '' : ' (replace PROJECT_ID)'}; the code needs credentials with roles/secretmanager.secretAccessor.`,
      };
    }
    case 'azure':
      return {
        expression: `(await new SecretClient(process.env.AZURE_KEY_VAULT_URL${typeScript ? '!' : ''}, new DefaultAzureCredential()).getSecret("${secretId}")).value`,
        imports: [importOf(['DefaultAzureCredential'], '@azure/identity'), importOf(['SecretClient'], '@azure/keyvault-secrets')],
        note: `Put the key in Azure Key Vault as the secret ${secretId}; set AZURE_KEY_VAULT_URL to the vault's URL and give the code an identity DefaultAzureCredential finds.`,
      };
    case 'vault':
      return undefined;
  }
}

/** Where Python imports go: before an existing `import os` (joining its block), else where `import os` would go. */
function pythonImportPosition(text: string): number | undefined {
  if (!pythonImportsOs(text)) return pythonImportOsEdit(text)?.start;
  const match = /^import[ \t]+[^#\r\n;]*\bos\b/m.exec(text);
  return match?.index;
}

/** After the last import at the top of a JavaScript file; else after a shebang and directives ("use strict"). */
function javaScriptImportPosition(text: string): number {
  let position = 0;
  const pattern = /^(?:#!.*|\s*["']use [a-z ]+["'];?.*|import[^\n]*?(?:from[ \t]*)?["'][^"'\n]+["'];?[ \t]*|(?:const|let|var)[ \t]+[^\n=]+=[ \t]*require\(["'][^"'\n]+["']\)[^\n]*|[ \t]*(?:\/\/.*)?)\r?\n/y;
  for (;;) {
    pattern.lastIndex = position;
    const match = pattern.exec(text);
    if (!match || match[0].length === 0) return position;
    position += match[0].length;
  }
}

/**
 * The plan that replaces the key [keyStart, keyEnd) with `provider`'s lookup of `secretId`, or undefined when it
 * cannot keep the code working: not Python, JavaScript or TypeScript, a browser-side file, the key not a whole
 * string literal in code, a provider the language has no client for, an `await` where none is allowed, or a
 * secret id that is not a plain identifier.
 */
export function planSecretsManagerLookup(
  text: string,
  keyStart: number,
  keyEnd: number,
  language: FixLanguage,
  provider: SecretsProvider,
  secretId: string,
  fileName?: string,
): SecretsManagerPlan | undefined {
  if (!SAFE_SECRET_ID.test(secretId) || isClientSideFile(fileName)) return undefined;
  if (language !== 'python' && language !== 'javascript') return undefined;
  const extension = extensionOf(fileName);
  if (language === 'python' && extension === 'ipynb') return undefined;
  const location = keyLocation(text, keyStart, keyEnd, language);
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  // Only a literal that is just the key: the lookup replaces it whole, quotes included.
  if (span.contentStart !== keyStart || span.contentEnd !== keyEnd || span.nested || span.interpolated || span.multiline) return undefined;
  if (language === 'python' && /[bft]/i.test(span.prefix)) return undefined;

  const typeScript = ['ts', 'mts', 'cts'].includes(extension);
  const commonJs = language === 'javascript' && (extension === 'cjs' || (!/^\s*(?:import|export)\b/m.test(text) && /\brequire\(/.test(text)));
  const lookup = language === 'python' ? pythonLookup(provider, secretId) : javaScriptLookup(provider, secretId, typeScript, commonJs);
  if (!lookup) return undefined;

  const eol = lineEndingOf(text);
  const missing = lookup.imports.filter((entry) => !entry.present(text)).map((entry) => entry.statement);
  // Azure's Python lookup reads os.environ too.
  if (language === 'python' && lookup.expression.includes('os.environ') && !pythonImportsOs(text)) missing.push('import os');
  const edits: TextEdit[] = [];
  if (missing.length > 0) {
    const at = language === 'python' ? pythonImportPosition(text) : javaScriptImportPosition(text);
    if (at === undefined) return undefined;
    edits.push({ start: at, end: at, newText: missing.map((statement) => statement + eol).join('') });
  }
  edits.push({ start: span.start, end: span.end, newText: lookup.expression });

  const after = applyEdits(text, edits);
  if (!rewriteKeepsSyntax(text, after, language, fileName)) return undefined;
  // An `await` must be allowed where it now stands: a module parse accepts it only in an async function or at the
  // top level of a module; a CommonJS file has no top-level await.
  if (language === 'javascript' && !awaitAllowed(after, extension, commonJs)) return undefined;
  const imports = missing.length > 0 ? ` and add ${missing.join('; ')}` : '';
  return { edits, title: `Read the key from ${PROVIDER_NAMES[provider]} (${secretId})${imports}`, note: lookup.note };
}

function awaitAllowed(text: string, extension: string, commonJs: boolean): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const babel = require('@babel/parser') as typeof import('@babel/parser');
  const plugins: Array<'typescript' | 'jsx'> = ['ts', 'mts', 'cts'].includes(extension) ? ['typescript'] : extension === 'tsx' ? ['typescript', 'jsx'] : ['jsx'];
  try {
    babel.parse(text, { sourceType: commonJs ? 'script' : 'module', plugins, allowReturnOutsideFunction: commonJs, errorRecovery: false });
    return true;
  } catch {
    return false;
  }
}
