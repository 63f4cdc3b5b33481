import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appsToCopy, azdAccessToken, HOOK_ENV, publishPackage, repositoryHost, requireEnv } from './regions.js';
import { PACKAGE_DIR } from './stage.js';
import { zipDirectory } from './zip.js';

// azd postdeploy hook (azure.yaml): azd has deployed dist/deploy to the primary app; publish the
// same folder to every other regional app. A failure in any region fails the hook, so
// `azd deploy` does not report success while regions run different versions.

const env = process.env;
const targets = appsToCopy(env);
if (targets.length === 0) {
  console.log('One region only: azd already deployed it.');
} else {
  const dir = join(process.cwd(), PACKAGE_DIR);
  if (!existsSync(dir)) throw new Error(`${PACKAGE_DIR} is missing: run \`azd deploy\` (its prepackage hook stages it)`);
  const zip = zipDirectory(dir);
  const token = azdAccessToken(env[HOOK_ENV.tenantId]);
  const subscriptionId = requireEnv(env, HOOK_ENV.subscriptionId);
  const resourceGroup = requireEnv(env, HOOK_ENV.resourceGroup);
  const results = await Promise.allSettled(
    targets.map(async (app) => {
      const log = (message: string) => console.log(`[${app.region}] ${message}`);
      const host = await repositoryHost(token, subscriptionId, resourceGroup, app.name);
      log(`publishing to ${app.name}`);
      await publishPackage({ baseUrl: `https://${host}`, token, zip, log });
      log(`deployed: ${app.url}`);
    }),
  );
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${targets[i]!.region}: ${String(r.reason)}`] : []));
  if (failed.length > 0) {
    console.error(`Deployment failed in ${failed.length} region(s):\n${failed.join('\n')}`);
    process.exitCode = 1;
  }
}
