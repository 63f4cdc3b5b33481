import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../functions/settings.js';

// Every setting the code reads is declared once in functions/settings.ts, and no code may read
// an undeclared one.

const declared = new Set<string>(SETTINGS.map((s) => s.name));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    // The C# projects (with the local runtime's Azurite packages) are not this tree's code.
    if (name === 'node_modules' || name.startsWith('ServerlessMonitor.')) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('settings', () => {
  // README.md's settings table and local.settings.sample.json now describe the C# app (its
  // SettingCatalog is checked by tests/ServerlessMonitor.Tests); this reference tree is retired
  // once the port is done.

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
