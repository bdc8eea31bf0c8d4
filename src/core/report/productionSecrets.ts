// The checklist's "production keys in a secrets manager", judged from the workspace's own files: does production
// code or deployment configuration read the Anthropic key from a secrets manager (AWS Secrets Manager, HashiCorp
// Vault, Google Secret Manager, Azure Key Vault, Doppler, 1Password `op://` references, Kubernetes Secrets and
// External Secrets, GitHub Actions secrets), or does it bake a .env file or the key into an image?
//
// Decisions:
// - Evidence, not guesses: every verdict lists the file and line it rests on. A secrets manager counts for the
//   Anthropic key only in a file that also names that key (an Anthropic/Claude key variable, or "anthropic" in a
//   secret id); a manager used elsewhere in the file tree is listed, but proves nothing about this key.
// - Baked in: a Dockerfile that copies a .env file into the image, or sets an Anthropic key variable with ENV or
//   ARG (both end up in the image's layers or history). Those fail the item whatever else is there.
// - Where nothing deploys (no Dockerfile, compose file, workflow, Kubernetes or serverless manifest, Terraform)
//   and no manager is referenced, the item is unknown: the workspace does not show how production gets its key.
// - Line-based patterns, each a literal or a regex without nested quantifiers, so the scan stays linear.
import { readsApiKeyVariable } from './checklist';

export type SecretsManagerKind =
  | 'aws-secrets-manager'
  | 'hashicorp-vault'
  | 'google-secret-manager'
  | 'azure-key-vault'
  | 'doppler'
  | '1password'
  | 'kubernetes-secret'
  | 'external-secrets'
  | 'github-actions-secrets';

export interface SourceFile {
  /** Workspace-relative, with `/`. */
  path: string;
  text: string;
}

export interface ManagerSighting {
  kind: SecretsManagerKind;
  file: string;
  /** 1-based. */
  line: number;
  /** The file also names the Anthropic key, so the manager is where that key comes from. */
  forAnthropicKey: boolean;
}

export type BakedKind = 'dockerfile-copies-env-file' | 'dockerfile-sets-key-variable';

export interface BakedSighting {
  kind: BakedKind;
  file: string;
  line: number;
}

export interface ProductionSecretsEvidence {
  managers: ManagerSighting[];
  baked: BakedSighting[];
  /** Files that deploy something (Dockerfiles, compose, workflows, manifests, Terraform…). */
  deployment: string[];
}

/** Each manager's telltales: SDK packages and clients, CLIs, CI actions, reference syntaxes. */
const MANAGER_PATTERNS: ReadonlyArray<{ kind: SecretsManagerKind; pattern: RegExp }> = [
  { kind: 'aws-secrets-manager', pattern: /@aws-sdk\/client-secrets-manager|GetSecretValue|["']secretsmanager["']|aws secretsmanager |arn:aws:secretsmanager:|resolve:secretsmanager:|aws_secretsmanager_secret/ },
  { kind: 'hashicorp-vault', pattern: /\bhvac\b|node-vault|vault kv get|hashicorp\/vault-action|vault\.hashicorp\.com\/agent-inject|\bVAULT_ADDR\b/ },
  { kind: 'google-secret-manager', pattern: /@google-cloud\/secret-manager|SecretManagerServiceClient|gcloud secrets versions access|get-secretmanager-secrets|secretmanager\.googleapis\.com/ },
  { kind: 'azure-key-vault', pattern: /@azure\/keyvault-secrets|azure\.keyvault\.secrets|az keyvault secret|get-keyvault-secrets|@Microsoft\.KeyVault\(/ },
  { kind: 'doppler', pattern: /\bdoppler (?:run|secrets)\b|dopplerhq\// },
  { kind: '1password', pattern: /\bop:\/\/|\bop run\b|1password\/load-secrets-action/ },
  { kind: 'external-secrets', pattern: /kind:\s*(?:ExternalSecret|SecretProviderClass|SealedSecret)\b/ },
  { kind: 'kubernetes-secret', pattern: /\bsecretKeyRef\s*:/ },
  { kind: 'github-actions-secrets', pattern: /\$\{\{\s*secrets\.[A-Za-z_]/ },
];

/** `COPY .env …`, `ADD ./config/.env.production /app/` — any .env file but a template. */
const DOCKER_COPY_ENV = /^\s*(?:COPY|ADD)\s[^#\n]*?(?:^|[\s/])\.env(?:\.[A-Za-z0-9_-]+)?(?=\s|$)/i;
const ENV_TEMPLATE = /\.env\.(?:example|sample|template|dist)\b/i;
/** `ENV ANTHROPIC_API_KEY=…`, `ARG CLAUDE_TOKEN` — the name is checked with readsApiKeyVariable. */
const DOCKER_SETS_VARIABLE = /^\s*(?:ENV|ARG)\s+([A-Za-z_][A-Za-z0-9_]*)/i;

function isDockerfile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile') || base === 'containerfile';
}

/** Whether a file deploys something: what "production deployment configuration" means here. */
export function isDeploymentFile(path: string, text: string): boolean {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (isDockerfile(path)) return true;
  if (/^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/.test(base)) return true;
  if (lower.startsWith('.github/workflows/') || lower.includes('/.github/workflows/')) return true;
  if (/^(?:serverless|app|fly|render|vercel|netlify|cloudbuild|buildspec|skaffold|chart|values)(?:\.[\w-]+)?\.(?:ya?ml|toml|json)$/.test(base)) return true;
  if (base.endsWith('.tf') || base === '.gitlab-ci.yml' || base === 'procfile') return true;
  // A Kubernetes manifest: any YAML that declares apiVersion and kind.
  return /\.ya?ml$/.test(base) && /^apiVersion:/m.test(text) && /^kind:/m.test(text);
}

/** The evidence in the given files. Linear in their total size. */
export function productionSecretsEvidence(files: readonly SourceFile[]): ProductionSecretsEvidence {
  const managers: ManagerSighting[] = [];
  const baked: BakedSighting[] = [];
  const deployment: string[] = [];
  for (const file of files) {
    if (isDeploymentFile(file.path, file.text)) deployment.push(file.path);
    const namesKey = readsApiKeyVariable(file.text) || /anthropic/i.test(file.text);
    const docker = isDockerfile(file.path);
    const lines = file.text.split('\n');
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index];
      if (line.length > 4000) continue; // minified code declares no secrets manager worth a line number
      for (const { kind, pattern } of MANAGER_PATTERNS) {
        // GitHub's secrets context means something only in a workflow.
        if (kind === 'github-actions-secrets' && !file.path.includes('.github/workflows/')) continue;
        if (pattern.test(line)) managers.push({ kind, file: file.path, line: index + 1, forAnthropicKey: namesKey });
      }
      if (!docker) continue;
      if (DOCKER_COPY_ENV.test(line) && !ENV_TEMPLATE.test(line)) baked.push({ kind: 'dockerfile-copies-env-file', file: file.path, line: index + 1 });
      const variable = DOCKER_SETS_VARIABLE.exec(line)?.[1];
      if (variable && readsApiKeyVariable(variable)) baked.push({ kind: 'dockerfile-sets-key-variable', file: file.path, line: index + 1 });
    }
  }
  return { managers, baked, deployment: deployment.sort() };
}
