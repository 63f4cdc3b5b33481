import { describe, expect, it } from 'vitest';
import { parseRegionList } from '../../../functions/settings.js';
import { evaluate, objectProperties, readBicep } from '../../support/bicep.js';

// Resource names are computed from the environment name, a 13-character uniqueString token and
// the region. Evaluate every name template with the longest inputs azd allows and check it
// against the service's naming rules, since a violation only shows up halfway through `azd up`.

const main = readBicep('infra/main.bicep');

// Regions offering Flex Consumption (learn.microsoft.com/azure/azure-functions/flex-consumption-how-to,
// "View currently supported regions"; the list in Azure-Samples/functions-quickstart-typescript-azd).
const FLEX_REGIONS: Record<string, 'Africa' | 'Asia' | 'Europe' | 'Middle East' | 'North America' | 'Oceania' | 'South America'> = {
  australiaeast: 'Oceania',
  australiasoutheast: 'Oceania',
  brazilsouth: 'South America',
  canadacentral: 'North America',
  centralindia: 'Asia',
  centralus: 'North America',
  eastasia: 'Asia',
  eastus: 'North America',
  eastus2: 'North America',
  francecentral: 'Europe',
  germanywestcentral: 'Europe',
  italynorth: 'Europe',
  japaneast: 'Asia',
  koreacentral: 'Asia',
  northcentralus: 'North America',
  northeurope: 'Europe',
  norwayeast: 'Europe',
  southafricanorth: 'Africa',
  southcentralus: 'North America',
  southeastasia: 'Asia',
  southindia: 'Asia',
  spaincentral: 'Europe',
  swedencentral: 'Europe',
  uaenorth: 'Middle East',
  uksouth: 'Europe',
  ukwest: 'Europe',
  westcentralus: 'North America',
  westeurope: 'Europe',
  westus: 'North America',
  westus2: 'North America',
  westus3: 'North America',
};
const regions = Object.keys(FLEX_REGIONS);
const longestEnvironmentName = 'e'.repeat(64); // @maxLength(64) on environmentName
const resourceToken = 'abcdefghij234'; // uniqueString: 13 lower-case letters and digits

interface Rule {
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
}

// learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
const RULES: Record<string, Rule> = {
  resourceGroup: { min: 1, max: 90, pattern: /^[-\w.()]*[-\w()]$/ },
  identity: { min: 3, max: 128, pattern: /^[A-Za-z0-9][-\w]*$/ },
  storage: { min: 3, max: 24, pattern: /^[a-z0-9]+$/ },
  keyVault: { min: 3, max: 24, pattern: /^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*[A-Za-z0-9]$/ },
  logAnalytics: { min: 4, max: 63, pattern: /^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/ },
  appInsights: { min: 1, max: 260, pattern: /^[^%&\\?/]+[^%&\\?/. ]$/ },
  communication: { min: 1, max: 63, pattern: /^[-\w]+$/ },
  emailService: { min: 1, max: 63, pattern: /^[A-Za-z0-9-]+$/ },
  appName: { min: 2, max: 60, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/ },
  planName: { min: 1, max: 60, pattern: /^[A-Za-z0-9-]+$/ },
  deploymentContainerName: { min: 3, max: 63, pattern: /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/ },
};

function check(kind: string, name: string): void {
  const rule = RULES[kind];
  if (!rule) throw new Error(`no naming rule for ${kind}`);
  expect(name.length, `${kind} ${name}`).toBeGreaterThanOrEqual(rule.min);
  expect(name.length, `${kind} ${name}`).toBeLessThanOrEqual(rule.max);
  expect(name, kind).toMatch(rule.pattern);
}

const shared = objectProperties(main.vars.get('names')!);
const regional = (() => {
  const apps = main.modules.find((m) => m.path === 'modules/functionapp.bicep')!;
  const params = objectProperties(objectProperties(apps.body).get('params')!);
  return new Map([...params].filter(([key]) => key in RULES));
})();

describe('resource names', () => {
  it.each([...shared.keys()].map((k) => [k]))('%s fits its naming rules at the longest inputs', (kind) => {
    check(kind, evaluate(shared.get(kind)!, { environmentName: longestEnvironmentName, resourceToken }));
  });

  it('names every regional resource the test has a rule for', () => {
    expect([...regional.keys()].sort()).toEqual(['appName', 'deploymentContainerName', 'planName']);
  });

  it.each(regions.map((r) => [r]))('regional names fit their rules in %s', (region) => {
    for (const [kind, template] of regional) check(kind, evaluate(template, { region, resourceToken }));
  });

  it('function app names differ within the 32 characters the Functions host ID is cut from', () => {
    const hostIds = regions.map((region) => evaluate(regional.get('appName')!, { region, resourceToken }).slice(0, 32));
    expect(new Set(hostIds).size).toBe(regions.length);
  });

  it('the public base URL is built from the primary app name azd deploys to', () => {
    const primaryRegion = 'eastus2';
    const expected = evaluate(regional.get('appName')!, { region: primaryRegion, resourceToken });
    expect(evaluate(main.vars.get('primaryAppName')!, { primaryRegion, resourceToken })).toBe(expected);
    expect(main.vars.get('primaryRegion')).toBe('regions[0]');
  });
});

describe('default regions', () => {
  const regionsParam = main.params.find((p) => p.name === 'regions')!;
  const defaults = [...main.declarations.find((d) => d.keyword === 'param' && d.name === 'regions')!.value.matchAll(/'([a-z0-9]+)'/g)].map(
    (m) => m[1]!,
  );

  it('are three Flex Consumption regions on different continents', () => {
    expect(regionsParam.type).toBe('array');
    expect(defaults).toHaveLength(3);
    for (const r of defaults) expect(Object.keys(FLEX_REGIONS), r).toContain(r);
    expect(new Set(defaults.map((r) => FLEX_REGIONS[r])).size).toBe(3);
  });

  it('make an SM_REGIONS value the app accepts', () => {
    expect(parseRegionList('SM_REGIONS', defaults.join(','))).toEqual(defaults);
  });
});
