// The suite for a workspace opened in Restricted Mode (the runner starts VS Code with AKH_UNTRUSTED=1).
import { runSuite } from '../index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
