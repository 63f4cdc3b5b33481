import { describe, expect, it } from 'vitest';
import { LOCAL_TABLES, PROBE_SHARD_QUEUE, QUEUES, TABLES } from '../../../functions/storage/names.js';
import { readBicep } from '../../support/bicep.js';

// In Azure nothing in the app creates tables or queues (only the local runtime does, in
// Azurite): the Bicep declares them with the storage account. This keeps the two lists equal.

const main = readBicep('infra/main.bicep');
const storage = readBicep('infra/modules/storage.bicep');
const quoted = (text: string) => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]!);

describe('tables and queues in the Bicep', () => {
  it('declares exactly the tables the app uses in Azure', () => {
    const declared = quoted(main.vars.get('appTables') ?? '');
    expect([...declared].sort()).toEqual([...TABLES].sort());
    for (const local of LOCAL_TABLES) expect(declared).not.toContain(local);
  });

  it('declares the app queues and one shard queue per region, named as the queue trigger expands it', () => {
    const value = main.vars.get('appQueues') ?? '';
    const [fixed, perRegion] = value.split('map(');
    expect(quoted(fixed ?? '').sort()).toEqual([...QUEUES].sort());
    expect(perRegion).toContain(`'${PROBE_SHARD_QUEUE.replace('%SM_REGION%', '${region}')}'`);
    expect(perRegion).toMatch(/^regions,/);
  });

  it('passes both lists to the storage module, which creates a table or queue for each entry', () => {
    const module = main.modules.find((m) => m.path === 'modules/storage.bicep')!;
    expect(module.body).toMatch(/tables: appTables/);
    expect(module.body).toMatch(/queues: appQueues/);
    const types = storage.resources.map((r) => r.type.split('@')[0]);
    expect(types).toContain('Microsoft.Storage/storageAccounts/tableServices/tables');
    expect(types).toContain('Microsoft.Storage/storageAccounts/queueServices/queues');
    expect(storage.text).toMatch(/\[for table in tables: \{/);
    expect(storage.text).toMatch(/\[for queue in queues: \{/);
  });
});
