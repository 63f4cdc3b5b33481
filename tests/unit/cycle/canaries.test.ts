import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/config.js';
import { SettingsError } from '../../../functions/settings.js';

// Which targets each region checks its own network against (SM_CANARY_TARGETS and defaults).

const AZURITE = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10012/devstoreaccount1';

describe('canary targets', () => {
  it('default locally to the Azurite table endpoint, which works offline', () => {
    expect(loadConfig({ AzureWebJobsStorage: AZURITE }, 'local').canaryTargets).toEqual(['127.0.0.1:10012']);
    expect(loadConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' }, 'local').canaryTargets).toEqual(['127.0.0.1:10002']);
  });

  it('default in Azure to the storage account and two anycast resolvers', () => {
    const config = loadConfig({ AzureWebJobsStorage__accountName: 'stabc123', SM_TOKEN_SECRET: 'x'.repeat(40) }, 'azure');
    expect(config.canaryTargets).toEqual(['stabc123.table.core.windows.net:443', '1.1.1.1:53', '8.8.8.8:53']);
  });

  it('can be configured, and refuse what is not host:port', () => {
    expect(loadConfig({ AzureWebJobsStorage: AZURITE, SM_CANARY_TARGETS: 'a.example:443, [2606:4700::1111]:53' }, 'local').canaryTargets).toEqual([
      'a.example:443',
      '[2606:4700::1111]:53',
    ]);
    expect(() => loadConfig({ AzureWebJobsStorage: AZURITE, SM_CANARY_TARGETS: 'https://a.example/' }, 'local')).toThrow(SettingsError);
  });

  it('read the per-instance budget', () => {
    expect(loadConfig({ AzureWebJobsStorage: AZURITE }, 'local').cycleBudget).toBe(2000);
    expect(loadConfig({ AzureWebJobsStorage: AZURITE, SM_CYCLE_BUDGET: '50' }, 'local').cycleBudget).toBe(50);
    expect(() => loadConfig({ AzureWebJobsStorage: AZURITE, SM_CYCLE_BUDGET: '0' }, 'local')).toThrow(SettingsError);
  });
});
