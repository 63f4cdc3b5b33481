// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The C# projects (and the local runtime's Azurite package) are not TypeScript's to lint.
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', 'functions/ServerlessMonitor.*/', 'tests/ServerlessMonitor.Tests/', 'bench/ServerlessMonitor.Bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Domain modules never reach into the runtimes or the HTTP layer (DESIGN.md, Layout).
    files: ['functions/{probes,monitors,cycle,incidents,alerts,accounts,storage}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/api/*', '**/local/*', '**/azure.js', '**/catalog.js'] }],
    },
  },
);
