// The one place that reads the environment. Every setting the code reads is declared here
// with its meaning and default; README.md, local.settings.sample.json and the Bicep are
// checked against this list by tests, so a new setting cannot go undocumented.

export type SettingScope = 'both' | 'local' | 'azure';

export interface SettingSpec {
  readonly name: string;
  readonly description: string;
  /** Default as a string, exactly as it would be written in the environment. */
  readonly default?: string;
  /** Where the setting matters: both runtimes, only `npm start`, or only in Azure. */
  readonly scope: SettingScope;
  readonly secret?: boolean;
  /** The Bicep deliberately leaves it unset in Azure (a local-style alternative to identity). */
  readonly unsetInAzure?: boolean;
}

export const SETTINGS = [
  {
    name: 'SM_REGION',
    scope: 'both',
    default: 'local',
    description: 'Name of the region this app instance probes from (Azure: the regional app\'s location).',
  },
  {
    name: 'SM_REGIONS',
    scope: 'both',
    description:
      'Comma-separated list of every region of the deployment. The local runtime simulates one region per name. Default: SM_REGION.',
  },
  {
    name: 'SM_PRIMARY_REGION',
    scope: 'both',
    description: 'The region that decides verdicts and runs incidents. Default: the first of SM_REGIONS.',
  },
  {
    name: 'SM_PUBLIC_BASE_URL',
    scope: 'both',
    description: 'Base URL put in links that people open (confirmation pages, incidents). Default: http://127.0.0.1:<SM_PORT>.',
  },
  {
    name: 'SM_ALLOW_PRIVATE_TARGETS',
    scope: 'both',
    description:
      'true lets monitors target loopback, private, link-local and other internal addresses. Default: false in Azure, true in the local runtime.',
  },
  {
    name: 'SM_TOKEN_SECRET',
    scope: 'both',
    secret: true,
    description:
      'Secret (at least 32 characters) that signs confirmation tokens. Required in Azure; the local runtime generates one and keeps it in .data/.',
  },
  {
    name: 'AzureWebJobsStorage',
    scope: 'both',
    secret: true,
    unsetInAzure: true,
    description:
      'Storage connection string (tables, queues, Durable task hub). The local runtime sets it to its own Azurite. In Azure, leave it unset and use the identity-based settings below.',
  },
  {
    name: 'AzureWebJobsStorage__accountName',
    scope: 'azure',
    description: 'Identity-based storage: the storage account name (endpoints are derived from it).',
  },
  {
    name: 'AzureWebJobsStorage__credential',
    scope: 'azure',
    default: 'managedidentity',
    description: 'Identity-based storage: the credential kind; managedidentity in Azure.',
  },
  {
    name: 'AzureWebJobsStorage__clientId',
    scope: 'azure',
    description: 'Identity-based storage: client id of the user-assigned managed identity.',
  },
  {
    name: 'SM_TASK_HUB',
    scope: 'both',
    default: 'ServerlessMonitor',
    description: 'Durable Functions task hub name (host.json reads it). Letters and digits only.',
  },
  {
    name: 'SM_ACS_ENDPOINT',
    scope: 'azure',
    description: 'Azure Communication Services endpoint; the app authenticates with its managed identity.',
  },
  {
    name: 'SM_ACS_CONNECTION_STRING',
    scope: 'both',
    secret: true,
    unsetInAzure: true,
    description:
      'ACS connection string (endpoint and access key). Used instead of SM_ACS_ENDPOINT where identity is not available. Without either, messages go to the outbox.',
  },
  {
    name: 'SM_EMAIL_SENDER',
    scope: 'both',
    description: 'Sender address for email, e.g. DoNotReply@<your ACS managed domain>.',
  },
  {
    name: 'SM_SMS_SENDER',
    scope: 'both',
    description: 'Sender phone number for SMS in E.164 form (bought by hand in ACS). Without it, SMS channels cannot be added.',
  },
  {
    name: 'SM_CANARY_TARGETS',
    scope: 'both',
    description:
      'Comma-separated host:port targets each region connects to every cycle to check its own network (a region whose canaries fail is not trusted). Default: the storage account\'s table endpoint, plus 1.1.1.1:53 and 8.8.8.8:53 in Azure.',
  },
  {
    name: 'SM_CYCLE_BUDGET',
    scope: 'both',
    default: '2000',
    description:
      'Probes one instance runs per cycle; monitors due beyond it go in shards to the region\'s probe-shards-<region> queue, probed by as many instances as Azure scales to.',
  },
  {
    name: 'SM_PORT',
    scope: 'local',
    default: '7071',
    description: 'Port of the local runtime\'s HTTP server (the port func uses).',
  },
  {
    name: 'SM_MINUTE_SECONDS',
    scope: 'local',
    default: '60',
    description:
      'Length of the scheduling minute in seconds. Every duration counted in minutes scales with it; probe timeouts do not. Local runtime only.',
  },
  {
    name: 'SM_DATA_DIR',
    scope: 'local',
    default: '.data',
    description: 'Folder of the local runtime\'s data: Azurite\'s files, the outbox and the local token secret.',
  },
] as const satisfies readonly SettingSpec[];

export type SettingName = (typeof SETTINGS)[number]['name'];

export type Env = Readonly<Record<string, string | undefined>>;

export class SettingsError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'SettingsError';
  }
}

/** Reads one declared setting; an empty string counts as unset. */
export function readSetting(env: Env, name: SettingName): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new SettingsError(name, `expected true or false, got "${value}"`);
}

export function parseRegionList(name: string, value: string): string[] {
  const regions = value.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of regions) {
    if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(r)) {
      throw new SettingsError(name, `region names are lower-case letters, digits and dashes: "${r}"`);
    }
  }
  if (new Set(regions).size !== regions.length) throw new SettingsError(name, 'a region is listed twice');
  return regions;
}
