import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_DIR, readMain } from '../../../infra/hooks/stage.js';
import { at, parseYaml, type YamlValue } from './yaml.js';

// azure.yaml and host.json as azd and the Functions host read them: paths and hooks exist,
// the package azd zips is the folder the prepackage hook stages, and host.json asks for what a
// Node v4 app with Durable Functions on Azure Storage needs.

const yaml = parseYaml(readFileSync('azure.yaml', 'utf8'));
const api = at(yaml, 'services', 'api');

function text(value: YamlValue | undefined): string {
  if (typeof value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value;
}

describe('azure.yaml', () => {
  it('points azd at infra/main.bicep', () => {
    expect(text(at(yaml, 'infra', 'provider'))).toBe('bicep');
    expect(existsSync(join(text(at(yaml, 'infra', 'path')), `${text(at(yaml, 'infra', 'module'))}.bicep`))).toBe(true);
  });

  it('has the one service api, the name the primary app is tagged with', () => {
    expect(Object.keys(at(yaml, 'services') as object)).toEqual(['api']);
    expect(readFileSync('infra/main.bicep', 'utf8')).toContain("'azd-service-name': 'api'");
  });

  it('deploys the api project as a TypeScript function app, zipped locally without remote build', () => {
    expect(existsSync(join(text(at(api, 'project')), 'package.json'))).toBe(true);
    expect(text(at(api, 'language'))).toBe('ts');
    expect(text(at(api, 'host'))).toBe('function');
    // azd refuses remoteBuild: false when .funcignore leaves out node_modules.
    expect(text(at(api, 'remoteBuild'))).toBe('false');
    if (existsSync('.funcignore')) expect(readFileSync('.funcignore', 'utf8')).not.toMatch(/^\/?node_modules\/?$/m);
  });

  it('zips exactly the folder the prepackage hook stages', () => {
    expect(text(at(api, 'dist'))).toBe(PACKAGE_DIR);
    // The staged app is what package.json "main" names, under dist/functions.
    expect(readMain('.')).toMatch(/^dist\/functions\/.+\.js$/);
  });

  it.each([['prepackage'], ['postdeploy']])('%s runs an existing script on POSIX and on Windows alike', (hook) => {
    const posix = text(at(api, 'hooks', hook, 'posix', 'run'));
    const windows = text(at(api, 'hooks', hook, 'windows', 'run'));
    expect(text(at(api, 'hooks', hook, 'posix', 'shell'))).toBe('sh');
    expect(text(at(api, 'hooks', hook, 'windows', 'shell'))).toBe('pwsh');
    const script = /^node --import tsx (\S+\.ts)/.exec(posix)?.[1];
    expect(script, posix).toBeDefined();
    expect(existsSync(script!)).toBe(true);
    expect(windows.startsWith(`node --import tsx ${script}`)).toBe(true);
    // pwsh would otherwise report success after a failed native command.
    expect(windows).toMatch(/; exit \$LASTEXITCODE$/);
  });

  it('can run its hooks: tsx is installed by the npm install azd does before packaging', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies?: Record<string, string> };
    expect(pkg.devDependencies).toHaveProperty('tsx');
  });
});

describe('host.json', () => {
  const host = JSON.parse(readFileSync('host.json', 'utf8')) as {
    version?: string;
    extensionBundle?: { id?: string; version?: string };
    extensions?: { durableTask?: { hubName?: string; storageProvider?: { type?: string } } };
    logging?: { applicationInsights?: { samplingSettings?: { isEnabled?: boolean; maxTelemetryItemsPerSecond?: number } } };
  };

  it('is a v2 host.json with the extension bundle Flex Consumption requires for Node', () => {
    expect(host.version).toBe('2.0');
    expect(host.extensionBundle?.id).toBe('Microsoft.Azure.Functions.ExtensionBundle');
    expect(host.extensionBundle?.version).toBe('[4.*, 5.0.0)');
  });

  it('names the Durable task hub from SM_TASK_HUB, on the Azure Storage provider', () => {
    expect(host.extensions?.durableTask?.hubName).toBe('%SM_TASK_HUB%');
    expect(host.extensions?.durableTask?.storageProvider?.type ?? 'AzureStorage').toBe('AzureStorage');
  });

  it('samples telemetry, so a busy monitor cannot pay more for logs than for compute (docs/DEPLOY.md)', () => {
    const sampling = host.logging?.applicationInsights?.samplingSettings;
    expect(sampling?.isEnabled).toBe(true);
    expect(sampling?.maxTelemetryItemsPerSecond).toBeGreaterThan(0);
    expect(sampling?.maxTelemetryItemsPerSecond).toBeLessThanOrEqual(20);
  });
});
