import { readFileSync, writeFileSync } from 'node:fs';
import { SETTINGS } from '../../functions/settings.js';

// README's settings table is generated from SETTINGS so that it cannot drift:
// `npm run docs:settings` rewrites it, and a test fails when it is stale.

export const START = '<!-- settings:start -->';
export const END = '<!-- settings:end -->';

const WHERE = { both: 'both', local: 'local runtime', azure: 'Azure' } as const;

export function settingsTable(): string {
  const rows = SETTINGS.map((s) => {
    const fallback = 'default' in s ? `\`${s.default}\`` : '—';
    return `| \`${s.name}\` | ${WHERE[s.scope]} | ${fallback} | ${s.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| Setting | Used by | Default | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs ${START} and ${END} around the settings table`);
  return `${readme.slice(0, start + START.length)}\n${settingsTable()}\n${readme.slice(end)}`;
}

if (process.argv.includes('--write')) {
  writeFileSync('README.md', withSettingsTable(readFileSync('README.md', 'utf8')));
  console.log('README.md settings table updated');
}
