import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/config.js';
import { SETTINGS, SettingsError } from '../../../functions/settings.js';
import { evaluate, objectProperties, readBicep } from '../../support/bicep.js';

// The Bicep must set every setting the code reads in Azure, and must not set the connection
// string alternatives that identity replaces. The list of what the code reads is SETTINGS.

const app = readBicep('infra/modules/functionapp.bicep');
const appSettingsText = app.vars.get('appSettings');
if (!appSettingsText) throw new Error('functionapp.bicep has no `var appSettings = { ... }`');
const appSettings = objectProperties(appSettingsText);

const neededInAzure = SETTINGS.filter((s) => s.scope !== 'local' && !('unsetInAzure' in s && s.unsetInAzure));
const leftUnset = SETTINGS.filter((s) => 'unsetInAzure' in s && s.unsetInAzure);

// Settings the Flex Consumption platform manages itself and rejects or ignores when set
// (learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations).
const FLEX_MANAGED = [
  'FUNCTIONS_EXTENSION_VERSION',
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_WORKER_RUNTIME_VERSION',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTOVERVNET',
  'WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'ENABLE_ORYX_BUILD',
];

/** What the platform hands the app: the module's parameters with values of the right shape. */
const REPRESENTATIVE = {
  storageAccountName: 'stabcdefghij234',
  identityClientId: '6f1c0e4a-3a1b-4c2d-9e8f-0a1b2c3d4e5f',
  appInsightsConnectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://eastus2-3.in.applicationinsights.azure.com/',
  region: 'northeurope',
  regions: ['eastus2', 'northeurope', 'southeastasia'],
  primaryRegion: 'eastus2',
  publicBaseUrl: 'https://func-eastus2-abcdefghij234.azurewebsites.net',
  tokenSecretUri: 'https://kv-abcdefghij234.vault.azure.net/secrets/sm-token-secret/0123456789abcdef0123456789abcdef',
  taskHub: 'ServerlessMonitor',
  acsEndpoint: 'https://acs-abcdefghij234.unitedstates.communication.azure.com',
  emailSender: 'DoNotReply@0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.azurecomm.net',
  smsSender: '',
};

/** The environment of a regional app, with Key Vault references resolved as the platform would. */
function azureEnvironment(resolveKeyVault: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of appSettings) {
    const evaluated = evaluate(value, REPRESENTATIVE);
    env[name] = resolveKeyVault && evaluated.startsWith('@Microsoft.KeyVault(') ? 'k'.repeat(48) : evaluated;
  }
  return env;
}

describe('app settings in infra/modules/functionapp.bicep', () => {
  it.each(neededInAzure.map((s) => [s.name]))('sets %s, which the code reads in Azure', (name) => {
    expect([...appSettings.keys()]).toContain(name);
  });

  it.each(leftUnset.map((s) => [s.name]))('leaves %s unset: identity replaces it', (name) => {
    expect([...appSettings.keys()]).not.toContain(name);
  });

  it('sets no SM_ setting the code does not declare (a typo would be silently ignored)', () => {
    const declared = new Set<string>(SETTINGS.map((s) => s.name));
    for (const name of appSettings.keys()) if (name.startsWith('SM_')) expect(declared, name).toContain(name);
  });

  it('sets none of the settings Flex Consumption manages itself', () => {
    for (const name of FLEX_MANAGED) expect([...appSettings.keys()]).not.toContain(name);
  });

  it('takes every secret setting from Key Vault, never as a value', () => {
    for (const s of SETTINGS) {
      if (!('secret' in s && s.secret) || !appSettings.has(s.name)) continue;
      expect(appSettings.get(s.name), s.name).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=\$\{\w+\}\)'$/);
    }
  });

  it('uses the user-assigned identity for host storage, telemetry and the ACS client', () => {
    expect(appSettings.get('AzureWebJobsStorage__credential')).toBe("'managedidentity'");
    expect(appSettings.get('AzureWebJobsStorage__clientId')).toBe('identityClientId');
    expect(appSettings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toBe("'ClientId=${identityClientId};Authorization=AAD'");
  });

  it('denies private targets in Azure', () => {
    expect(appSettings.get('SM_ALLOW_PRIVATE_TARGETS')).toBe("'false'");
  });

  it('gives each regional app its own Functions host ID (they share one storage account)', () => {
    const hostIds = REPRESENTATIVE.regions.map((region) => evaluate(appSettings.get('AzureFunctionsWebHost__hostid')!, { region }));
    expect(new Set(hostIds).size).toBe(hostIds.length);
    for (const id of hostIds) expect(id).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/);
  });

  it('makes a configuration loadConfig accepts: identity storage and identity ACS with the app identity', () => {
    const config = loadConfig(azureEnvironment(true), 'azure');
    expect(config.region).toBe('northeurope');
    expect(config.regions).toEqual(['eastus2', 'northeurope', 'southeastasia']);
    expect(config.primaryRegion).toBe('eastus2');
    expect(config.allowPrivateTargets).toBe(false);
    expect(config.storage).toEqual({
      kind: 'identity',
      tableUrl: 'https://stabcdefghij234.table.core.windows.net',
      queueUrl: 'https://stabcdefghij234.queue.core.windows.net',
      blobUrl: 'https://stabcdefghij234.blob.core.windows.net',
      clientId: REPRESENTATIVE.identityClientId,
    });
    expect(config.acs).toEqual({ kind: 'identity', endpoint: REPRESENTATIVE.acsEndpoint, clientId: REPRESENTATIVE.identityClientId });
    expect(config.emailSender).toBe(REPRESENTATIVE.emailSender);
    expect(config.smsSender).toBeUndefined();
    expect(config.taskHub).toBe('ServerlessMonitor');
    expect(config.tokenSecret).toHaveLength(48);
  });

  it('fails loudly when the token secret Key Vault reference did not resolve', () => {
    expect(() => loadConfig(azureEnvironment(false), 'azure')).toThrow(SettingsError);
    expect(() => loadConfig(azureEnvironment(false), 'azure')).toThrow(/SM_TOKEN_SECRET/);
  });
});
