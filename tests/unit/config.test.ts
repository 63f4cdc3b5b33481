import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { SettingsError, type Env } from '../../functions/settings.js';

// loadConfig for both ways of reaching Azure: connection strings (Azurite, a developer's own
// ACS resource) and identity (Azure: account name or endpoint plus the managed identity).

const AZURITE = 'UseDevelopmentStorage=true';
const CLIENT_ID = '6f1c0e4a-3a1b-4c2d-9e8f-0a1b2c3d4e5f';
const SECRET = 's'.repeat(32);

function local(env: Env = {}) {
  return loadConfig({ AzureWebJobsStorage: AZURITE, ...env }, 'local');
}

function azure(env: Env = {}) {
  return loadConfig(
    {
      AzureWebJobsStorage__accountName: 'stabcdefghij234',
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: CLIENT_ID,
      SM_REGION: 'northeurope',
      SM_REGIONS: 'eastus2,northeurope,southeastasia',
      SM_TOKEN_SECRET: SECRET,
      ...env,
    },
    'azure',
  );
}

function settingsError(run: () => unknown): SettingsError {
  try {
    run();
  } catch (err) {
    if (err instanceof SettingsError) return err;
    throw err;
  }
  throw new Error('expected a SettingsError');
}

describe('storage', () => {
  it('uses the connection string locally', () => {
    expect(local().storage).toEqual({ kind: 'connectionString', connectionString: AZURITE });
  });

  it('derives table, queue and blob endpoints from the account name, with the identity client id', () => {
    expect(azure().storage).toEqual({
      kind: 'identity',
      tableUrl: 'https://stabcdefghij234.table.core.windows.net',
      queueUrl: 'https://stabcdefghij234.queue.core.windows.net',
      blobUrl: 'https://stabcdefghij234.blob.core.windows.net',
      clientId: CLIENT_ID,
    });
  });

  it('leaves the client id out when none is set (system identity or developer login)', () => {
    const storage = azure({ AzureWebJobsStorage__clientId: '' }).storage;
    expect(storage.kind).toBe('identity');
    expect(storage).not.toHaveProperty('clientId');
  });

  it('prefers a connection string over the identity settings', () => {
    expect(azure({ AzureWebJobsStorage: AZURITE }).storage.kind).toBe('connectionString');
  });

  it('needs one or the other', () => {
    const err = settingsError(() => loadConfig({}, 'azure'));
    expect(err.setting).toBe('AzureWebJobsStorage');
    expect(err.message).toMatch(/accountName/);
  });

  it.each([['StAbc'], ['st-abc'], ['ab'], ['a'.repeat(25)], ['st.abc']])('rejects the account name %s', (name) => {
    expect(settingsError(() => azure({ AzureWebJobsStorage__accountName: name })).setting).toBe('AzureWebJobsStorage__accountName');
  });
});

describe('Communication Services', () => {
  const endpoint = 'https://acs-abc.unitedstates.communication.azure.com';

  it('uses the connection string when one is set, even next to an endpoint', () => {
    const connectionString = `endpoint=${endpoint}/;accesskey=a2V5`;
    expect(local({ SM_ACS_CONNECTION_STRING: connectionString, SM_ACS_ENDPOINT: endpoint }).acs).toEqual({
      kind: 'connectionString',
      connectionString,
    });
  });

  it('uses the endpoint with the same managed identity as storage, without a trailing slash', () => {
    expect(azure({ SM_ACS_ENDPOINT: `${endpoint}/` }).acs).toEqual({ kind: 'identity', endpoint, clientId: CLIENT_ID });
  });

  it('is off without either (messages go to the outbox)', () => {
    expect(local().acs).toBeUndefined();
    expect(azure({ SM_ACS_ENDPOINT: '  ' }).acs).toBeUndefined();
  });

  it('rejects an endpoint that is not https', () => {
    expect(settingsError(() => azure({ SM_ACS_ENDPOINT: 'http://acs-abc.communication.azure.com' })).setting).toBe('SM_ACS_ENDPOINT');
    expect(settingsError(() => azure({ SM_ACS_ENDPOINT: 'acs-abc.communication.azure.com' })).setting).toBe('SM_ACS_ENDPOINT');
  });

  it('passes the senders through; an empty SMS sender means none', () => {
    const config = azure({ SM_EMAIL_SENDER: 'DoNotReply@x.azurecomm.net', SM_SMS_SENDER: '' });
    expect(config.emailSender).toBe('DoNotReply@x.azurecomm.net');
    expect(config.smsSender).toBeUndefined();
    expect(azure({ SM_SMS_SENDER: '+18005550100' }).smsSender).toBe('+18005550100');
  });
});

describe('regions', () => {
  it('defaults to one region named local, primary of itself', () => {
    const config = local();
    expect([config.region, config.regions, config.primaryRegion]).toEqual(['local', ['local'], 'local']);
  });

  it('takes the first region as primary unless told otherwise', () => {
    expect(azure().primaryRegion).toBe('eastus2');
    expect(azure({ SM_PRIMARY_REGION: 'southeastasia' }).primaryRegion).toBe('southeastasia');
  });

  it('trims spaces and ignores empty entries in the list', () => {
    expect(azure({ SM_REGIONS: ' eastus2 , northeurope,,' }).regions).toEqual(['eastus2', 'northeurope']);
  });

  it.each([
    ['SM_PRIMARY_REGION', { SM_PRIMARY_REGION: 'westus' }],
    ['SM_REGIONS', { SM_REGIONS: 'eastus2,eastus2' }],
    ['SM_REGIONS', { SM_REGIONS: 'East US' }],
    ['SM_REGIONS', { SM_REGIONS: ' , ' }],
    ['SM_REGION', { SM_REGION: 'North_Europe' }],
  ])('rejects a bad %s', (setting, env) => {
    expect(settingsError(() => azure(env)).setting).toBe(setting);
  });
});

describe('other settings', () => {
  it('denies private targets in Azure and allows them locally, unless told', () => {
    expect(azure().allowPrivateTargets).toBe(false);
    expect(local().allowPrivateTargets).toBe(true);
    expect(azure({ SM_ALLOW_PRIVATE_TARGETS: 'true' }).allowPrivateTargets).toBe(true);
    expect(local({ SM_ALLOW_PRIVATE_TARGETS: 'no' }).allowPrivateTargets).toBe(false);
    expect(settingsError(() => azure({ SM_ALLOW_PRIVATE_TARGETS: 'maybe' })).setting).toBe('SM_ALLOW_PRIVATE_TARGETS');
  });

  it('requires a token secret of 32 characters or more', () => {
    expect(azure().tokenSecret).toBe(SECRET);
    expect(settingsError(() => azure({ SM_TOKEN_SECRET: 'short' })).setting).toBe('SM_TOKEN_SECRET');
  });

  it('refuses a Key Vault reference the platform could not resolve as the token secret', () => {
    const unresolved = '@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/sm-token-secret/0123)';
    expect(settingsError(() => azure({ SM_TOKEN_SECRET: unresolved })).message).toMatch(/unresolved Key Vault reference/);
  });

  it('validates the task hub name Durable Functions will use', () => {
    expect(azure().taskHub).toBe('ServerlessMonitor');
    expect(azure({ SM_TASK_HUB: 'Monitor2' }).taskHub).toBe('Monitor2');
    for (const bad of ['my-hub', '1hub', 'ab', 'h'.repeat(46)]) expect(settingsError(() => azure({ SM_TASK_HUB: bad })).setting).toBe('SM_TASK_HUB');
  });

  it('trims the public base URL and insists on http(s)', () => {
    expect(azure({ SM_PUBLIC_BASE_URL: 'https://func-eastus2-x.azurewebsites.net/' }).publicBaseUrl).toBe(
      'https://func-eastus2-x.azurewebsites.net',
    );
    expect(local().publicBaseUrl).toBe('http://127.0.0.1:7071');
    expect(settingsError(() => azure({ SM_PUBLIC_BASE_URL: 'func-eastus2-x.azurewebsites.net' })).setting).toBe('SM_PUBLIC_BASE_URL');
  });

  it('keeps the real minute in Azure whatever SM_MINUTE_SECONDS says', () => {
    expect(azure({ SM_MINUTE_SECONDS: '1' }).minuteMs).toBe(60_000);
    expect(local({ SM_MINUTE_SECONDS: '0.5' }).minuteMs).toBe(500);
    expect(settingsError(() => local({ SM_MINUTE_SECONDS: '0' })).setting).toBe('SM_MINUTE_SECONDS');
  });

  it('puts the outbox under the temp folder in Azure, whose app folder is read-only', () => {
    expect(azure().dataDir).toMatch(/serverless-monitor$/);
    expect(local().dataDir).toBe('.data');
  });

  it('rejects a port out of range or not whole', () => {
    expect(settingsError(() => local({ SM_PORT: '70000' })).setting).toBe('SM_PORT');
    expect(settingsError(() => local({ SM_PORT: '80.5' })).setting).toBe('SM_PORT');
  });
});
