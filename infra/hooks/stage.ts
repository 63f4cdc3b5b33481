import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// What goes to Azure: the compiled app, host.json, package.json and production dependencies,
// nothing else (no sources, tests, Azurite or TypeScript). azure.yaml's `dist` names this folder;
// azd zips it for the primary region and the postdeploy hook zips it for the others.

export const PACKAGE_DIR = 'dist/deploy';

/** Files copied as they are, next to the compiled app. */
export const PACKAGE_FILES = ['host.json', 'package.json', 'package-lock.json'] as const;

export type Runner = (command: string, args: readonly string[], cwd: string) => void;

/** Runs npm; Windows needs a shell to start npm.cmd. */
export const runNpm: Runner = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
};

/** Builds the app and stages the deployable folder; returns its path. */
export function stagePackage(root: string, run: Runner = runNpm): string {
  const main = readMain(root);
  run('npm', ['run', 'build'], root);
  if (!existsSync(join(root, main))) throw new Error(`npm run build did not produce ${main} (package.json "main")`);

  const out = join(root, PACKAGE_DIR);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // Only the compiled app code: dist/ also holds this very folder.
  cpSync(join(root, 'dist', 'functions'), join(out, 'dist', 'functions'), { recursive: true });
  for (const file of PACKAGE_FILES) cpSync(join(root, file), join(out, file));
  // A project .npmrc (private registry, proxy) applies to this install too, but may hold a
  // token, so it leaves before the folder is zipped.
  const npmrc = join(out, '.npmrc');
  if (existsSync(join(root, '.npmrc'))) cpSync(join(root, '.npmrc'), npmrc);
  // Install scripts are not needed by any production dependency, and skipping them keeps the
  // package the same whichever machine builds it.
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], out);
  rmSync(npmrc, { force: true });
  return out;
}

/** package.json "main": the entry the Functions host loads; it must live under dist/functions. */
export function readMain(root: string): string {
  const pkg: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const main = typeof pkg === 'object' && pkg !== null && 'main' in pkg ? pkg.main : undefined;
  if (typeof main !== 'string' || !main.startsWith('dist/functions/')) {
    throw new Error('package.json "main" must point into dist/functions/ (the compiled app that is deployed)');
  }
  return main;
}
