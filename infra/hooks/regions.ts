import { spawnSync } from 'node:child_process';

// The postdeploy hook's parts: which regional apps still need the package azd just deployed to
// the primary, an Entra token from azd itself, and the same Flex Consumption publish call azd
// makes (POST /api/publish on the app's SCM host, then poll the deployment). Using azd's login
// means no Azure CLI is needed on the developer's machine.

export interface RegionalApp {
  readonly region: string;
  readonly name: string;
  readonly url: string;
}

/** Environment the hook reads: AZURE_SUBSCRIPTION_ID is azd's own, the rest are main.bicep outputs. */
export const HOOK_ENV = {
  apps: 'SM_FUNCTION_APPS',
  primaryApp: 'SERVICE_API_NAME',
  subscriptionId: 'AZURE_SUBSCRIPTION_ID',
  resourceGroup: 'AZURE_RESOURCE_GROUP',
  tenantId: 'AZURE_TENANT_ID',
} as const;

export type HookEnv = Readonly<Record<string, string | undefined>>;

const ARM = 'https://management.azure.com';
const SITES_API_VERSION = '2024-04-01';

/** Publish states reported by /api/deployments/<id>, as the Flex deployment service numbers them. */
const DEPLOYMENT_STATUS = {
  cancelled: -1,
  failed: 3,
  success: 4,
  conflict: 5,
  partialSuccess: 6,
} as const;

export function requireEnv(env: HookEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`${name} is not set: run \`azd provision\` (or \`azd up\`) first`);
  return value;
}

/** SM_FUNCTION_APPS as azd stores an array output: a JSON string. */
export function parseApps(json: string): RegionalApp[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${HOOK_ENV.apps} is not JSON: run \`azd provision\` again`);
  }
  if (!Array.isArray(value)) throw new Error(`${HOOK_ENV.apps} is not a list of apps`);
  return value.map((item: unknown, i) => {
    const app = item as Partial<Record<keyof RegionalApp, unknown>> | null;
    if (typeof app?.region !== 'string' || typeof app.name !== 'string' || typeof app.url !== 'string') {
      throw new Error(`${HOOK_ENV.apps}[${i}] lacks region, name or url`);
    }
    return { region: app.region, name: app.name, url: app.url };
  });
}

/** The apps azd did not deploy to: every regional app except the primary. */
export function appsToCopy(env: HookEnv): RegionalApp[] {
  const apps = parseApps(requireEnv(env, HOOK_ENV.apps));
  const primary = requireEnv(env, HOOK_ENV.primaryApp);
  if (!apps.some((a) => a.name === primary)) {
    // The environment mixes two provisions; copying now would skip or double a region.
    throw new Error(`${HOOK_ENV.primaryApp} (${primary}) is not among ${HOOK_ENV.apps}: run \`azd provision\` again`);
  }
  return apps.filter((a) => a.name !== primary);
}

/** An ARM token for the signed-in azd user (the token azd deploys with). */
export function azdAccessToken(tenantId: string | undefined): string {
  const args = ['auth', 'token', '--output', 'json', ...(tenantId ? ['--tenant-id', tenantId] : [])];
  const result = spawnSync('azd', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`azd auth token failed: ${result.stderr || result.error?.message || 'no output'}`);
  const parsed: unknown = JSON.parse(result.stdout);
  const token = typeof parsed === 'object' && parsed !== null && 'token' in parsed ? parsed.token : undefined;
  if (typeof token !== 'string' || !token) throw new Error('azd auth token returned no token');
  return token;
}

/** The app's SCM (deployment) host name, read from ARM: apps may have unique default host names. */
export async function repositoryHost(
  token: string,
  subscriptionId: string,
  resourceGroup: string,
  appName: string,
  armUrl = ARM,
): Promise<string> {
  const url =
    `${armUrl}/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroup)}` +
    `/providers/Microsoft.Web/sites/${encodeURIComponent(appName)}?api-version=${SITES_API_VERSION}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`reading app ${appName} from ARM: HTTP ${response.status} ${await response.text()}`);
  const site = (await response.json()) as { properties?: { hostNameSslStates?: { name?: string; hostType?: string }[] } };
  const host = site.properties?.hostNameSslStates?.find((h) => h.hostType === 'Repository')?.name;
  if (!host) throw new Error(`app ${appName} has no deployment (SCM) host`);
  return host;
}

export interface PublishOptions {
  /** https://<scm host>, or a test server. */
  readonly baseUrl: string;
  readonly token: string;
  readonly zip: Uint8Array;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
}

/** Uploads the package and waits until the Flex deployment service reports the outcome. */
export async function publishPackage(options: PublishOptions): Promise<void> {
  const { baseUrl, token, zip, pollMs = 1000, timeoutMs = 15 * 60_000, log = () => undefined } = options;
  const auth = { authorization: `Bearer ${token}` };
  const started = await fetch(`${baseUrl}/api/publish`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/zip', accept: 'application/json' },
    body: zip,
  });
  if (started.status !== 202) throw new Error(`publish answered HTTP ${started.status}: ${await started.text()}`);
  const id: unknown = await started.json();
  if (typeof id !== 'string' || !id) throw new Error('publish returned no deployment id');
  log(`uploaded ${(zip.length / 1_048_576).toFixed(1)} MB, deployment ${id}`);

  const deadline = Date.now() + timeoutMs;
  let lastStatus: number | undefined;
  let notFound = 0;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`deployment ${id} did not finish within ${timeoutMs / 60_000} minutes`);
    const response = await fetch(`${baseUrl}/api/deployments/${encodeURIComponent(id)}`, { headers: auth });
    if (response.status === 404) {
      await response.body?.cancel();
      // The record can appear late, and can vanish once the deployment worker recycles after
      // finishing; azd treats the latter as done, and so do we.
      if (lastStatus !== undefined) return;
      if (++notFound > 3) throw new Error(`deployment ${id} was not found`);
    } else if (response.status !== 200 && response.status !== 202) {
      throw new Error(`deployment ${id}: HTTP ${response.status} ${await response.text()}`);
    } else {
      const body = (await response.json()) as { status?: number; status_text?: string };
      const status = body.status ?? 0;
      const text = body.status_text ?? '';
      if (status === DEPLOYMENT_STATUS.success) return;
      if (status === DEPLOYMENT_STATUS.failed) throw new Error(`deployment ${id} failed: ${text}`);
      if (status === DEPLOYMENT_STATUS.cancelled) throw new Error(`deployment ${id} was cancelled`);
      if (status === DEPLOYMENT_STATUS.conflict) throw new Error(`deployment ${id} was cancelled: another deployment is running`);
      if (status === DEPLOYMENT_STATUS.partialSuccess) throw new Error(`deployment ${id} partly succeeded: ${text}`);
      if (status !== lastStatus) log(`deployment ${id}: ${text || `status ${status}`}`);
      lastStatus = status;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, retryAfter > 0 ? retryAfter * 1000 : pollMs));
  }
}
