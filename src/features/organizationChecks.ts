// The report's organisation side (issue 17): gathering the evidence for "production keys in a secrets manager" from
// the workspace's deployment files and code, the words for the three new checklist items, and each leaked key's
// organisation record for the "no hardcoded keys" item. Kept apart from report.ts, which calls in here, so the
// report's own file changes by a few lines only.
import * as vscode from 'vscode';
import type { ChecklistId, ChecklistItem, Evidence } from '../core/report/checklist';
import { productionSecretsEvidence, type ProductionSecretsEvidence, type SecretsManagerKind, type SourceFile } from '../core/report/productionSecrets';
import { keyHint } from '../core/hint';
import { describeLeakRecord, type KeyInventory } from './keyInventory';

/** Code and deployment configuration, Dockerfiles (which have no extension) included. */
const EVIDENCE_GLOB = '**/{*.ts,*.tsx,*.js,*.mjs,*.cjs,*.py,*.go,*.rb,*.java,*.kt,*.cs,*.php,*.rs,*.sh,*.yml,*.yaml,*.toml,*.json,*.tf,Dockerfile,Dockerfile.*,*.dockerfile,Containerfile,Procfile}';
const EVIDENCE_EXCLUDE = '**/{node_modules,.git,dist,out,build,.venv,venv,vendor,coverage}/**';
const MAX_EVIDENCE_FILES = 2000;
const MAX_EVIDENCE_BYTES = 512 * 1024;

/** Reads the workspace's code and deployment files (bounded) and finds the secrets-manager evidence in them. */
export async function gatherProductionSecrets(roots: readonly vscode.Uri[]): Promise<ProductionSecretsEvidence> {
  const files: SourceFile[] = [];
  for (const root of roots) {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(root, EVIDENCE_GLOB), EVIDENCE_EXCLUDE, MAX_EVIDENCE_FILES);
    for (const uri of uris.sort((a, b) => a.path.localeCompare(b.path))) {
      try {
        if ((await vscode.workspace.fs.stat(uri)).size > MAX_EVIDENCE_BYTES) continue;
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        // findFiles under the root: its path below the root's, `/`-separated whatever the platform.
        const path = uri.path.slice(root.path.replace(/\/$/, '').length + 1);
        files.push({ path: roots.length > 1 ? `${root.path.split('/').pop()}/${path}` : path, text });
      } catch {
        // An unreadable file gives no evidence either way.
      }
    }
  }
  return productionSecretsEvidence(files);
}

export function organizationItemTitle(id: ChecklistId): string | undefined {
  switch (id) {
    case 'production-secrets-manager':
      return vscode.l10n.t('Production keys read from a secrets manager');
    case 'usage-monitoring':
      return vscode.l10n.t('Usage monitoring enabled');
    case 'usage-alerts':
      return vscode.l10n.t('Alerts for unusual usage');
    default:
      return undefined;
  }
}

function managerName(kind: SecretsManagerKind): string {
  switch (kind) {
    case 'aws-secrets-manager':
      return 'AWS Secrets Manager';
    case 'hashicorp-vault':
      return 'HashiCorp Vault';
    case 'google-secret-manager':
      return 'Google Secret Manager';
    case 'azure-key-vault':
      return 'Azure Key Vault';
    case 'doppler':
      return 'Doppler';
    case '1password':
      return '1Password';
    case 'kubernetes-secret':
      return vscode.l10n.t('Kubernetes Secrets');
    case 'external-secrets':
      return vscode.l10n.t('External Secrets');
    case 'github-actions-secrets':
      return vscode.l10n.t('GitHub Actions secrets');
  }
}

const at = (sighting: { file: string; line: number }) => `${sighting.file}:${sighting.line}`;

/** Words for the evidence kinds of the three organisation items; undefined for the others. */
export function describeOrganizationEvidence(evidence: Evidence): string[] | undefined {
  switch (evidence.kind) {
    case 'secrets-manager':
      return evidence.sightings.map((sighting) => vscode.l10n.t('{0} provides the Anthropic key: {1}.', managerName(sighting.kind), at(sighting)));
    case 'secrets-manager-elsewhere':
      return [vscode.l10n.t('Secrets managers are used, but not in a file that reads the Anthropic key: {0}.', evidence.sightings.map((s) => `${managerName(s.kind)} (${at(s)})`).join(', '))];
    case 'baked-in':
      return evidence.sightings.map((sighting) =>
        sighting.kind === 'dockerfile-copies-env-file'
          ? vscode.l10n.t('{0} copies a .env file into the image: anyone with the image has the key.', at(sighting))
          : vscode.l10n.t('{0} sets the Anthropic key variable with ENV or ARG: it stays in the image layers or history.', at(sighting)),
      );
    case 'deployment-without-manager':
      return [vscode.l10n.t('Deployment files found ({0}), but none reads the Anthropic key from a secrets manager.', evidence.files.join(', '))];
    case 'no-deployment':
      return [vscode.l10n.t('No deployment configuration in the workspace (Dockerfile, compose, workflows, manifests): how production gets its key cannot be told from here.')];
    case 'usage-watch': {
      const { state } = evidence;
      if (!state.adminKeyStored) return [vscode.l10n.t('No Admin key is stored: the usage watch needs one to read the usage report.')];
      if (!state.enabled) return [vscode.l10n.t('The usage watch is off (anthropicKeyHygiene.usageWatch.enabled). This report cannot see monitoring done with other tools.')];
      if (!state.lastReadAt) return [state.lastError ? vscode.l10n.t('The usage watch is on but has not read the usage report yet: {0}', state.lastError) : vscode.l10n.t('The usage watch is on and reads the usage report shortly.')];
      const lines = [vscode.l10n.t('The usage watch last read the usage report at {0}: {1} key(s) judged against their baseline, {2} still learning, {3} alert(s) raised.', state.lastReadAt, state.keysJudged, state.keysLearning, state.alertsRaised)];
      if (state.lastError) lines.push(vscode.l10n.t('The last read failed: {0}', state.lastError));
      return lines;
    }
    default:
      return undefined;
  }
}

/** The button for an organisation item that does not pass. */
export function organizationFix(item: ChecklistItem): { label: string; command: string; args: unknown[] } | undefined {
  if (item.verdict === 'pass') return undefined;
  if (item.id === 'usage-monitoring' || item.id === 'usage-alerts') {
    const state = item.evidence.find((evidence) => evidence.kind === 'usage-watch');
    if (state?.kind === 'usage-watch' && !state.state.adminKeyStored) {
      return { label: vscode.l10n.t('Store Admin Key'), command: 'anthropicKeyHygiene.storeKey', args: [{ name: 'ANTHROPIC_ADMIN_KEY' }] };
    }
    if (state?.kind === 'usage-watch' && !state.state.enabled) return { label: vscode.l10n.t('Turn On Usage Watch'), command: 'workbench.action.openSettings', args: ['anthropicKeyHygiene.usageWatch'] };
  }
  return undefined;
}

/**
 * The organisation record of each hardcoded key the report lists, from the inventory's last read (no request):
 * one sentence per key whose hint matches exactly one organisation key.
 */
export async function leakRecordLines(inventory: KeyInventory | undefined, locations: ReadonlyArray<{ uri: vscode.Uri; range: vscode.Range }>): Promise<string[]> {
  if (!inventory) return [];
  const lines = new Set<string>();
  for (const { uri, range } of locations) {
    let text: string;
    try {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
      text = open ? open.getText(range) : (await vscode.workspace.openTextDocument(uri)).getText(range);
    } catch {
      continue;
    }
    const hint = keyHint(text);
    const record = inventory.recordForHint(hint);
    if (record) lines.add(`${hint}: ${describeLeakRecord(record)}`);
  }
  return [...lines];
}
