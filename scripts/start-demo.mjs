// `npm start`: opens the freshly built extension in a real VS Code (code-server) on a demo workspace with
// planted fake keys, and prints the URL to open in a browser. Ctrl+C stops it.
import { resolve } from 'node:path';
import { createDemoWorkspace } from './demo-workspace.mjs';
import { startCodeServer, vscodeVersion, workbenchUrl } from './vscode-server.mjs';

const port = Number(process.env.PORT ?? 8080);
const workspace = createDemoWorkspace(resolve('.vscode-test/demo-workspace'));
const server = await startCodeServer({ port });
const url = workbenchUrl(server.host, workspace, { extensionDevelopmentPath: resolve('.') });
console.log(`VS Code ${vscodeVersion(server.env)} is serving the demo workspace with Anthropic Key Hygiene loaded.`);
console.log(`Open this URL in a browser:\n\n  ${url}\n\nPress Ctrl+C to stop.`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
