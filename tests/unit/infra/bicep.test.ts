import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOOK_ENV } from '../../../infra/hooks/regions.js';
import { objectProperties, readBicep, valueUses, type BicepFile } from '../../support/bicep.js';

// What a Bicep compiler would catch or a review would miss, checked from the text: modules and
// their parameters line up, nothing declared is unused, azd gets the outputs it reads, role
// IDs are the roles their comments name, and no key or connection string reaches the apps.

const MAIN = 'infra/main.bicep';
const main = readBicep(MAIN);
const moduleFiles = readdirSync('infra/modules')
  .filter((f) => f.endsWith('.bicep'))
  .map((f) => readBicep(join('infra/modules', f)));
const all: BicepFile[] = [main, ...moduleFiles];

function moduleFile(path: string): BicepFile {
  return readBicep(join(dirname(MAIN), path));
}

// Built-in role definition IDs (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
const BUILT_IN_ROLES: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
  '09976791-48a7-449e-bb21-39d1a415f350': 'Communication and Email Service Owner',
};

/** The run of // comment lines right above the line holding offset. */
function commentAbove(text: string, offset: number): string {
  const lines = text.slice(0, text.lastIndexOf('\n', offset) + 1).split('\n').slice(0, -1);
  const comment: string[] = [];
  while (lines.length > 0 && lines[lines.length - 1]!.trim().startsWith('//')) comment.unshift(lines.pop()!);
  return comment.join('\n');
}

describe('modules', () => {
  it.each(main.modules.map((m) => [m.symbol, m.path]))('module %s points at an existing file (%s)', (_, path) => {
    expect(existsSync(join(dirname(MAIN), path))).toBe(true);
    expect(path).not.toMatch(/^br[:/]|^ts[:/]/); // registry modules need a network restore
  });

  it.each(main.modules.map((m) => [m.symbol]))('module %s gets every parameter it requires and no unknown one', (symbol) => {
    const module = main.modules.find((m) => m.symbol === symbol)!;
    const declared = moduleFile(module.path).params;
    const passed = [...objectProperties(objectProperties(module.body).get('params') ?? '{}').keys()];
    for (const name of passed) expect(declared.map((p) => p.name), `${symbol} passes ${name}`).toContain(name);
    for (const p of declared) if (!p.hasDefault) expect(passed, `${symbol} needs ${p.name}`).toContain(p.name);
  });

  it('reads only outputs the modules declare', () => {
    for (const match of main.masked.matchAll(/\b(\w+)(?:\[\w+\])?\.outputs\.(\w+)/g)) {
      const module = main.modules.find((m) => m.symbol === match[1]);
      expect(module, `${match[0]}: no module ${match[1]}`).toBeDefined();
      expect([...moduleFile(module!.path).outputs.keys()], match[0]).toContain(match[2]);
    }
  });

  it('every module file is used by main.bicep', () => {
    const used = new Set(main.modules.map((m) => join(dirname(MAIN), m.path)));
    for (const file of moduleFiles) expect(used, file.path).toContain(file.path);
  });
});

describe('declarations', () => {
  it.each(all.flatMap((f) => f.params.map((p) => [f.path, p.name])))('%s: parameter %s is used', (path, name) => {
    expect(valueUses(all.find((f) => f.path === path)!, name)).toBeGreaterThan(0);
  });

  it.each(all.flatMap((f) => [...f.vars.keys()].map((v) => [f.path, v])))('%s: variable %s is used', (path, name) => {
    expect(valueUses(all.find((f) => f.path === path)!, name)).toBeGreaterThan(0);
  });

  it('main.bicep deploys at subscription scope and creates its resource group', () => {
    expect(main.text).toMatch(/^targetScope = 'subscription'$/m);
    expect(main.resources.map((r) => r.type)).toContainEqual(expect.stringMatching(/^Microsoft\.Resources\/resourceGroups@/));
  });
});

describe('azd contract', () => {
  const parametersFile = JSON.parse(readFileSync('infra/main.parameters.json', 'utf8')) as {
    parameters: Record<string, { value: unknown }>;
  };

  it('outputs what azd and the postdeploy hook read', () => {
    const outputs = [...main.outputs.keys()];
    for (const name of ['AZURE_LOCATION', 'AZURE_TENANT_ID', 'AZURE_RESOURCE_GROUP', 'SERVICE_API_NAME', 'SERVICE_API_URI']) {
      expect(outputs).toContain(name);
    }
    // AZURE_SUBSCRIPTION_ID is azd's own; everything else the hook reads comes from here.
    for (const name of Object.values(HOOK_ENV)) if (name !== 'AZURE_SUBSCRIPTION_ID') expect(outputs).toContain(name);
    expect(main.outputs.get('SM_FUNCTION_APPS')?.type).toBe('array');
  });

  it('main.parameters.json sets only declared parameters, from azd environment variables', () => {
    const declared = main.params.map((p) => p.name);
    for (const [name, { value }] of Object.entries(parametersFile.parameters)) {
      expect(declared, name).toContain(name);
      expect(value, name).toMatch(/^\$\{[A-Z][A-Z0-9_]*\}$/);
    }
  });

  it('maps the azd built-ins to the parameters that take them', () => {
    expect(parametersFile.parameters['environmentName']?.value).toBe('${AZURE_ENV_NAME}');
    expect(parametersFile.parameters['location']?.value).toBe('${AZURE_LOCATION}');
    expect(parametersFile.parameters['principalId']?.value).toBe('${AZURE_PRINCIPAL_ID}');
  });

  it('has a value for every required parameter: from the file, or generated by azd', () => {
    for (const p of main.params) {
      if (p.hasDefault || p.name in parametersFile.parameters) continue;
      expect(p.decorators, `${p.name} would make azd prompt`).toMatch(/type:\s*'generate'/);
      expect(p.decorators, `${p.name} is generated, so secret`).toMatch(/@secure\(\)/);
    }
  });

  it('never feeds an output back in as a parameter (a stale value would pin it)', () => {
    const outputs = new Set(main.outputs.keys());
    for (const [name, { value }] of Object.entries(parametersFile.parameters)) {
      const variable = /^\$\{(\w+)\}$/.exec(String(value))?.[1] ?? '';
      if (variable !== 'AZURE_LOCATION') expect(outputs.has(variable), `${name} reads ${variable}`).toBe(false);
    }
  });

  it('tags only the primary app as the azd service, so azd finds exactly one target', () => {
    const apps = main.modules.find((m) => m.path === 'modules/functionapp.bicep')!;
    expect(apps.body).toMatch(/^\[for \(region, i\) in regions:/);
    expect(objectProperties(objectProperties(apps.body).get('params')!).get('tags')).toBe('i == 0 ? primaryTags : tags');
    expect(main.vars.get('primaryTags')).toMatch(/'azd-service-name': 'api'/);
  });
});

describe('roles', () => {
  const roleFiles = all.filter((f) => /roleAssignments@/.test(f.text));

  it('assigns roles only by GUIDs that are well-formed built-in roles named in a comment above them', () => {
    expect(roleFiles.length).toBeGreaterThan(0);
    for (const file of all) {
      for (const match of file.text.matchAll(/'([0-9a-fA-F-]{30,40})'/g)) {
        const guid = match[1]!;
        expect(guid, file.path).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        const name = BUILT_IN_ROLES[guid];
        expect(name, `${file.path}: ${guid} is not a role this test knows`).toBeDefined();
        expect(commentAbove(file.text, match.index), `${file.path}: ${guid} needs a comment naming ${name}`).toContain(name!);
      }
    }
  });

  it('gives the app identity what Durable Functions, the host and Flex deployment need on storage', () => {
    const roles = readBicep('infra/modules/roles.bicep');
    expect(roles.vars.get('appRolesOnStorage')).toMatch(/storageBlobDataOwner[\s\S]*storageQueueDataContributor[\s\S]*storageTableDataContributor/);
  });

  it('derives role assignment names from scope, principal and role (idempotent re-provisioning)', () => {
    for (const file of roleFiles) {
      for (const r of file.resources.filter((x) => x.type.startsWith('Microsoft.Authorization/roleAssignments@'))) {
        expect(objectProperties(r.body).get('name'), `${file.path}: ${r.symbol}`).toMatch(/^guid\(\w+\.id, \w+, \w+\)$/);
      }
    }
  });
});

describe('secrets', () => {
  it('reads no keys and builds no connection strings with keys', () => {
    for (const file of all) {
      expect(file.masked, file.path).not.toMatch(/\blistKeys\(|\blistConnectionStrings\(|\blistSecrets\(/);
      expect(file.text, file.path).not.toMatch(/AccountKey=|SharedAccessSignature=|accessKey=|primaryKey|primaryConnectionString/i);
    }
  });

  it('turns off shared keys on storage and local auth on Application Insights', () => {
    const storage = readBicep('infra/modules/storage.bicep').text;
    expect(storage).toMatch(/^\s*allowSharedKeyAccess: false$/m);
    expect(storage).toMatch(/^\s*allowBlobPublicAccess: false$/m);
    expect(readBicep('infra/modules/monitoring.bicep').text).toMatch(/^\s*DisableLocalAuth: true$/m);
  });

  it('deploys Flex packages and resolves Key Vault references as the user-assigned identity', () => {
    const app = readBicep('infra/modules/functionapp.bicep').text;
    expect(app).toMatch(/type: 'UserAssignedIdentity'\s+userAssignedIdentityResourceId: identityId/);
    expect(app).toMatch(/^\s*keyVaultReferenceIdentity: identityId$/m);
    expect(app).toMatch(/name: 'node'\s+version: '22'/);
    expect(app).toMatch(/name: 'FC1'\s+tier: 'FlexConsumption'/);
  });

  it('lets azd down --purge remove the vault (no purge protection)', () => {
    expect(readBicep('infra/modules/keyvault.bicep').text).not.toMatch(/enablePurgeProtection/);
  });

  it('keeps the token secret parameter secure all the way to Key Vault', () => {
    const vault = readBicep('infra/modules/keyvault.bicep');
    expect(vault.params.find((p) => p.name === 'tokenSecret')?.decorators).toMatch(/@secure\(\)/);
    for (const file of all) for (const [name, o] of file.outputs) expect(o.value, `${file.path} output ${name}`).not.toMatch(/tokenSecret\b/);
  });
});
