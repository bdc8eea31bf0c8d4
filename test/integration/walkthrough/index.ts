// The new-user suite (`--suite walkthrough`): its own VS Code session, so it starts the way a new user does,
// with nothing stored, no settings changed and a workspace no other suite has touched.
import { runSuite } from '../index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
