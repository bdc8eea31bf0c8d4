// Files where coding agents keep configuration and credentials (issue 13): a key there is a leak of a particular
// kind, and its message says why the file is special and what to do instead.
//
// Sources (Claude Code documentation, "Settings" and "MCP"; the MCP clients' own documentation):
// - `.claude/settings.json` is Claude Code's project settings file, meant to be committed and shared; its `env` block
//   is plain text. `.claude/settings.local.json` is the personal one, which Claude Code has git ignore; it is read
//   by a scan only when git would commit it.
// - `.mcp.json` (Claude Code's project MCP servers, meant to be committed), `mcp.json` (Cursor's `.cursor/`, VS Code's
//   `.vscode/`, Amazon Q's `.amazonq/`, Roo's `.roo/`, Kiro's `.kiro/settings/`), `claude_desktop_config.json`,
//   `cline_mcp_settings.json`, `mcp_settings.json`, and `.claude.json` (Claude Code's user configuration, which holds
//   MCP servers too, when a dotfiles repository commits it): each server's `env` block is plain text. Any other JSON
//   file that declares `"mcpServers"` is read the same way.
// - `.credentials.json` is Claude Code's credential store (`~/.claude/.credentials.json`: OAuth access and refresh
//   tokens). Every token in a copy inside a repository is an error, whatever its shape would say elsewhere: the file
//   says what it is.
// File names are compared case-insensitively, as Windows and macOS compare them.

export type AgentFileKind = 'claude-settings' | 'claude-local-settings' | 'mcp-config' | 'claude-credentials';

const MCP_CONFIG_NAMES = new Set(['.mcp.json', 'mcp.json', 'claude_desktop_config.json', 'cline_mcp_settings.json', 'mcp_settings.json', '.claude.json']);
const MCP_SERVERS = '"mcpServers"';

/** The file's last two path segments, lower-cased, `/`-separated. */
function lastSegments(path: string): { name: string; folder: string } {
  const parts = path.split(/[\\/]/);
  return { name: (parts[parts.length - 1] ?? '').toLowerCase(), folder: (parts[parts.length - 2] ?? '').toLowerCase() };
}

/**
 * What kind of agent file `path` is, by name; `mentionsMcpServers` tells of any other JSON file whether it declares MCP
 * servers (asked only when a key was found in it, so it costs nothing on other files).
 */
export function classifyAgentFile(path: string, mentionsMcpServers?: () => boolean): AgentFileKind | undefined {
  // Every name below ends in `.json`: one test settles the other files.
  if (!/\.json$/i.test(path)) return undefined;
  const { name, folder } = lastSegments(path);
  if (name === '.credentials.json') return 'claude-credentials';
  if (folder === '.claude' && name === 'settings.json') return 'claude-settings';
  if (folder === '.claude' && name === 'settings.local.json') return 'claude-local-settings';
  if (MCP_CONFIG_NAMES.has(name)) return 'mcp-config';
  return mentionsMcpServers?.() ? 'mcp-config' : undefined;
}

/** Whether a text (or raw bytes) declares MCP servers. */
export function mentionsMcpServers(content: string | Buffer): boolean {
  return content.includes(MCP_SERVERS);
}
