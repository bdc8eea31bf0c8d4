import { strict as assert } from 'node:assert';
import { classifyAgentFile, mentionsMcpServers } from '../../../src/core/agentFiles';

describe('classifyAgentFile', () => {
  const named: Array<[string, ReturnType<typeof classifyAgentFile>]> = [
    ['.claude/settings.json', 'claude-settings'],
    ['/repo/app/.claude/settings.json', 'claude-settings'],
    ['C:\\repo\\.claude\\settings.json', 'claude-settings'],
    ['.claude/settings.local.json', 'claude-local-settings'],
    ['.CLAUDE/Settings.JSON', 'claude-settings'],
    ['.claude/.credentials.json', 'claude-credentials'],
    ['backup/.credentials.json', 'claude-credentials'],
    ['.mcp.json', 'mcp-config'],
    ['.cursor/mcp.json', 'mcp-config'],
    ['.vscode/mcp.json', 'mcp-config'],
    ['Library/Application Support/Claude/claude_desktop_config.json', 'mcp-config'],
    ['cline_mcp_settings.json', 'mcp-config'],
    ['dotfiles/.claude.json', 'mcp-config'],
    ['settings.json', undefined],
    ['.vscode/settings.json', undefined],
    ['claude/settings.json', undefined],
    ['.claude/settings.json.bak', undefined],
    ['credentials.json', undefined],
    ['package.json', undefined],
  ];
  for (const [path, kind] of named) {
    it(`classifies ${path} as ${kind ?? 'no agent file'}`, () => assert.equal(classifyAgentFile(path), kind));
  }

  it('reads any other JSON file as an MCP configuration only when it declares mcpServers, and asks only for JSON files', () => {
    let asked = 0;
    const ask = (answer: boolean) => () => {
      asked++;
      return answer;
    };
    assert.equal(classifyAgentFile('tools/servers.json', ask(true)), 'mcp-config');
    assert.equal(classifyAgentFile('tools/servers.json', ask(false)), undefined);
    assert.equal(classifyAgentFile('tools/servers.yaml', ask(true)), undefined);
    assert.equal(asked, 2);
    assert.equal(mentionsMcpServers('{ "mcpServers": {} }'), true);
    assert.equal(mentionsMcpServers(Buffer.from('{ "servers": {} }')), false);
  });
});
