// The Node build's side of the diagnostics (see scanBackend.ts): files are keyed by path, listed and read by the
// CLI's own engine (scanPaths: git's answers inside a repository, worker threads, every file read as bytes), and
// judged by what git itself says (GitPathStates). Folders that are not on disk (a virtual workspace) are left to
// the open-document diagnostics.
import * as vscode from 'vscode';
import { statSync } from 'node:fs';
import { createExcludeMatcher } from '../core/excludes';
import type { GitRunner } from '../core/git';
import { scanPaths, type ScanResult } from '../core/workspaceScan';
import { GitPathStates } from './gitPathStates';
import type { DiagnosticsBackendFactory, FolderScanResult, ScanEngine } from './scanBackend';
import { excludeGlobs } from './settings';

/** Output panels, git's virtual documents and the like are not files anyone commits. */
const SCANNED_SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell', 'vscode-userdata']);

function folderResult(result: ScanResult): FolderScanResult {
  // What could not be read is said, never counted as clean: unreadable files, files over the size limit.
  const problems = [...result.problems];
  for (const skip of result.skipped) if (skip.failed) problems.push({ path: skip.file, message: skip.reason });
  return { findings: result.findings, problems, repositories: result.repositories };
}

export function createNodeScanEngine(git: GitRunner): ScanEngine {
  // Starting git in an untrusted folder could run its configured programs; the .gitignore files are read instead.
  const allowGit = () => vscode.workspace.isTrusted;
  return {
    keyOf: (uri) => (uri.scheme === 'file' ? uri.fsPath : undefined),
    uriOf: (key) => vscode.Uri.file(key),
    handles: (folder) => folder.uri.scheme === 'file',
    async scanFolder(folder, settings, signal, onProgress) {
      return folderResult(
        await scanPaths([folder.uri.fsPath], {
          useGitignore: true,
          allowGit: allowGit(),
          git,
          includeLowConfidence: settings.reportLowConfidenceTokens,
          maxFileSize: settings.maxFileSize,
          isExcluded: createExcludeMatcher(excludeGlobs(folder, settings)),
          signal,
          onProgress,
        }),
      );
    },
    async scanFile(uri, _folder, settings) {
      try {
        return folderResult(
          await scanPaths([uri.fsPath], {
            useGitignore: true,
            allowGit: allowGit(),
            git,
            includeLowConfidence: settings.reportLowConfidenceTokens,
            maxFileSize: settings.maxFileSize,
            workers: 0,
          }),
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
        throw error;
      }
    },
    async isFolder(uri) {
      try {
        return statSync(uri.fsPath).isDirectory();
      } catch {
        return false; // gone again: its delete event handles it
      }
    },
  };
}

/** The Node build's backend: git's answers for open documents, the CLI's engine for the workspace scan. */
export function nodeDiagnosticsBackend(git: GitRunner): DiagnosticsBackendFactory {
  return (problems) => ({
    states: new GitPathStates(git, problems),
    engine: createNodeScanEngine(git),
    scans: (uri) => SCANNED_SCHEMES.has(uri.scheme),
  });
}
