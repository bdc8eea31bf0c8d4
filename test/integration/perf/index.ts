// The editor performance suite (`npm run bench:editor`): its own VS Code session, so the 20,000-file folder
// it creates never slows or disturbs the functional suites.
import { runSuite } from '../index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
