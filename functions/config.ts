import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBoolean, parseRegionList, readSetting, SettingsError, type Env } from './settings.js';

// The typed view of the settings for one region of one runtime. Built once per process in
// Azure, once per simulated region by the local runtime.

export type StorageConfig =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | {
      readonly kind: 'identity';
      readonly tableUrl: string;
      readonly queueUrl: string;
      readonly blobUrl: string;
      /** User-assigned managed identity; absent means the system-assigned one / developer login. */
      readonly clientId?: string;
    };

export type AcsConfig =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly endpoint: string; readonly clientId?: string };

export type RuntimeMode = 'azure' | 'local';

export interface Config {
  readonly mode: RuntimeMode;
  readonly region: string;
  readonly regions: readonly string[];
  readonly primaryRegion: string;
  readonly publicBaseUrl: string;
  readonly allowPrivateTargets: boolean;
  readonly tokenSecret: string | undefined;
  readonly storage: StorageConfig;
  readonly taskHub: string;
  readonly acs: AcsConfig | undefined;
  readonly emailSender: string | undefined;
  readonly smsSender: string | undefined;
  /** Length of the scheduling minute: 60 000 in Azure, SM_MINUTE_SECONDS × 1000 locally. */
  readonly minuteMs: number;
  /** host:port targets the cycle connects to each minute to check the region's own network. */
  readonly canaryTargets: readonly string[];
  /** Probes one instance runs per cycle before it fans the rest out to its shard queue. */
  readonly cycleBudget: number;
  readonly port: number;
  readonly dataDir: string;
}

export function loadConfig(env: Env, mode: RuntimeMode): Config {
  const region = readSetting(env, 'SM_REGION') ?? 'local';
  const regions = parseRegionList('SM_REGIONS', readSetting(env, 'SM_REGIONS') ?? region);
  if (regions.length === 0) throw new SettingsError('SM_REGIONS', 'at least one region is needed');
  if (!regions.includes(region)) parseRegionList('SM_REGION', region);
  const primaryRegion = readSetting(env, 'SM_PRIMARY_REGION') ?? regions[0]!;
  if (!regions.includes(primaryRegion)) {
    throw new SettingsError('SM_PRIMARY_REGION', `"${primaryRegion}" is not one of SM_REGIONS (${regions.join(', ')})`);
  }

  const port = parseInteger('SM_PORT', readSetting(env, 'SM_PORT') ?? '7071', 0, 65535);
  const minuteSeconds =
    mode === 'local' ? parseNumber('SM_MINUTE_SECONDS', readSetting(env, 'SM_MINUTE_SECONDS') ?? '60', 0.05, 3600) : 60;

  const publicBaseUrl = (readSetting(env, 'SM_PUBLIC_BASE_URL') ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new SettingsError('SM_PUBLIC_BASE_URL', 'must be an absolute http(s) URL');
  }

  const tokenSecret = readSetting(env, 'SM_TOKEN_SECRET');
  // App Service leaves a Key Vault reference it cannot resolve in place as the value: long
  // enough to pass the length check, and known to anyone who can read the app's settings.
  if (tokenSecret !== undefined && /^@Microsoft\.KeyVault\(/i.test(tokenSecret)) {
    throw new SettingsError('SM_TOKEN_SECRET', "is an unresolved Key Vault reference: the app's identity cannot read the secret");
  }
  if (tokenSecret !== undefined && tokenSecret.length < 32) {
    throw new SettingsError('SM_TOKEN_SECRET', 'must be at least 32 characters');
  }

  const taskHub = readSetting(env, 'SM_TASK_HUB') ?? 'ServerlessMonitor';
  if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(taskHub)) {
    throw new SettingsError('SM_TASK_HUB', 'must be 3–45 letters and digits, starting with a letter');
  }

  return {
    mode,
    region,
    regions,
    primaryRegion,
    publicBaseUrl,
    allowPrivateTargets: parseBoolean(
      'SM_ALLOW_PRIVATE_TARGETS',
      readSetting(env, 'SM_ALLOW_PRIVATE_TARGETS'),
      mode === 'local',
    ),
    tokenSecret,
    storage: storageConfig(env),
    taskHub,
    acs: acsConfig(env),
    emailSender: readSetting(env, 'SM_EMAIL_SENDER'),
    smsSender: readSetting(env, 'SM_SMS_SENDER'),
    minuteMs: Math.round(minuteSeconds * 1000),
    canaryTargets: canaryTargets(env, mode),
    cycleBudget: parseInteger('SM_CYCLE_BUDGET', readSetting(env, 'SM_CYCLE_BUDGET') ?? '2000', 1, 1_000_000),
    port,
    // Azure's app folder is read-only: the outbox (used only without ACS) goes to the temp folder.
    dataDir: readSetting(env, 'SM_DATA_DIR') ?? (mode === 'local' ? '.data' : join(tmpdir(), 'serverless-monitor')),
  };
}

function storageConfig(env: Env): StorageConfig {
  const connectionString = readSetting(env, 'AzureWebJobsStorage');
  if (connectionString) return { kind: 'connectionString', connectionString };
  const account = readSetting(env, 'AzureWebJobsStorage__accountName');
  if (!account) {
    throw new SettingsError(
      'AzureWebJobsStorage',
      'set a connection string, or AzureWebJobsStorage__accountName for identity-based access',
    );
  }
  if (!/^[a-z0-9]{3,24}$/.test(account)) {
    throw new SettingsError('AzureWebJobsStorage__accountName', 'is not a storage account name');
  }
  const clientId = readSetting(env, 'AzureWebJobsStorage__clientId');
  return {
    kind: 'identity',
    tableUrl: `https://${account}.table.core.windows.net`,
    queueUrl: `https://${account}.queue.core.windows.net`,
    blobUrl: `https://${account}.blob.core.windows.net`,
    ...(clientId ? { clientId } : {}),
  };
}

/**
 * Canaries default to what a region must reach anyway: the storage account's table endpoint,
 * plus, in Azure, two anycast resolvers on TCP 53 (other networks than Azure's storage).
 * Locally the Azurite endpoint is the one target that works offline.
 */
function canaryTargets(env: Env, mode: RuntimeMode): string[] {
  const configured = readSetting(env, 'SM_CANARY_TARGETS');
  if (configured !== undefined) {
    const targets = configured.split(',').map((t) => t.trim()).filter(Boolean);
    for (const t of targets) {
      if (!/^(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(t)) throw new SettingsError('SM_CANARY_TARGETS', `expected host:port, got "${t}"`);
    }
    return targets;
  }
  const storage = storageEndpoint(env);
  return mode === 'azure' ? [...(storage ? [storage] : []), '1.1.1.1:53', '8.8.8.8:53'] : storage ? [storage] : [];
}

/** host:port of the table endpoint the app uses, from either storage setting. */
function storageEndpoint(env: Env): string | undefined {
  const connectionString = readSetting(env, 'AzureWebJobsStorage');
  if (connectionString === undefined) {
    const account = readSetting(env, 'AzureWebJobsStorage__accountName');
    return account ? `${account}.table.core.windows.net:443` : undefined;
  }
  const parts = new Map(
    connectionString.split(';').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()] as const;
    }),
  );
  if (parts.get('usedevelopmentstorage') === 'true') return '127.0.0.1:10002';
  const endpoint = parts.get('tableendpoint');
  if (endpoint) {
    try {
      const url = new URL(endpoint);
      return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    } catch {
      return undefined;
    }
  }
  const account = parts.get('accountname');
  return account ? `${account}.table.${parts.get('endpointsuffix') ?? 'core.windows.net'}:443` : undefined;
}

function acsConfig(env: Env): AcsConfig | undefined {
  const connectionString = readSetting(env, 'SM_ACS_CONNECTION_STRING');
  if (connectionString) return { kind: 'connectionString', connectionString };
  const endpoint = readSetting(env, 'SM_ACS_ENDPOINT');
  if (!endpoint) return undefined;
  if (!/^https:\/\/[^/]+/.test(endpoint)) throw new SettingsError('SM_ACS_ENDPOINT', 'must be an https URL');
  const clientId = readSetting(env, 'AzureWebJobsStorage__clientId');
  return { kind: 'identity', endpoint: endpoint.replace(/\/+$/, ''), ...(clientId ? { clientId } : {}) };
}

function parseNumber(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new SettingsError(name, `expected a number from ${min} to ${max}, got "${value}"`);
  return n;
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  const n = parseNumber(name, value, min, max);
  if (!Number.isInteger(n)) throw new SettingsError(name, `expected a whole number, got "${value}"`);
  return n;
}
