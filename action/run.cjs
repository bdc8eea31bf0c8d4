// What the GitHub runner starts (action.yml, runs.main). The action is bundled into dist/action.js, next to the
// CLI's dist/cli.js and dist/scanWorker.js, by `npm run build`; a release tag carries dist/ (see the README, "Release
// the Action"), so nothing is downloaded or built at run time. A checkout without it (a branch, a fork) says so.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'action.js');
if (!existsSync(bundle)) {
  process.stdout.write(
    '::error title=anthropic-key-hygiene::This copy of the action has no dist/action.js: use a release tag ' +
      '(uses: key-hygiene/anthropic-key-hygiene@v1), or build it first (npm ci && npm run build).\n',
  );
  process.exitCode = 2;
} else {
  require(bundle).runFromEnvironment();
}
