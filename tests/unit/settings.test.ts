import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../functions/settings.js';
import { withSettingsTable } from '../support/settings-doc.js';

// Every setting the code reads is declared once in functions/settings.ts; README.md and
// local.settings.sample.json must say the same, and no code may read an undeclared one.

const declared = new Set<string>(SETTINGS.map((s) => s.name));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('settings', () => {
  it('README.md carries the generated settings table (npm run docs:settings)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(withSettingsTable(readme));
  });

  it('local.settings.sample.json lists every setting func start would need, and nothing undeclared', () => {
    const sample = JSON.parse(readFileSync('local.settings.sample.json', 'utf8')) as { Values: Record<string, string> };
    const names = Object.keys(sample.Values);
    for (const s of SETTINGS) if (s.scope !== 'azure') expect(names, s.name).toContain(s.name);
    for (const name of names) if (name !== 'FUNCTIONS_WORKER_RUNTIME') expect(declared, name).toContain(name);
  });

  it('the code reads only declared settings, and only through settings.ts', () => {
    const direct = /process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*'([^']+)'\s*\])/g;
    const throughHelper = /readSetting\(\s*\w+\s*,\s*'([^']+)'\s*\)/g;
    for (const file of sources('functions')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(direct)) {
        throw new Error(`${file} reads process.env.${m[1] ?? m[2]} directly; declare it in SETTINGS and use readSetting`);
      }
      for (const m of text.matchAll(throughHelper)) expect(declared, `${file}: ${m[1]}`).toContain(m[1]);
    }
  });

  it('declares each setting once with a description', () => {
    expect(declared.size).toBe(SETTINGS.length);
    for (const s of SETTINGS) expect(s.description.length, s.name).toBeGreaterThan(20);
  });
});
