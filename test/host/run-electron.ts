/**
 * `npm run test:electron`: the same integration suite in the desktop VS Code build, through
 * @vscode/test-electron. That downloads VS Code at run time, so it only works on machines with
 * internet access; here the code-server harness (host.test.ts) runs the suite instead.
 */
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { removeDir, stageExtension, stageWorkspace, tempDir } from './harness';

async function main(): Promise<void> {
  const home = tempDir('electron');
  try {
    const extensionDevelopmentPath = stageExtension(join(home, 'extension'));
    const workspace = stageWorkspace(join(home, 'workspace'));
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath,
      extensionTestsPath: join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { NB2PROD_TEST_RESULTS: join(home, 'nb2prod-test-results.json') },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    removeDir(home);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
