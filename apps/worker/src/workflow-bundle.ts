import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

/** The workflows barrel: `workflows/index.ts` in the source tree, `dist/workflows/index.js` built. */
export const WORKFLOWS_PATH = require.resolve('../../../workflows');

/**
 * The workflow bundle resolves the same path aliases as the rest of the code. They are read
 * from tsconfig.json, the one place they are defined; a built tree has them rewritten already.
 */
export function workflowBundlerOptions(): Pick<BundleOptions, 'webpackConfigHook'> {
  const aliases = readPathAliases();
  return {
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), ...aliases } },
    }),
  };
}

function readPathAliases(): Record<string, string> {
  let dir = __dirname;
  while (!existsSync(join(dir, 'tsconfig.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
  const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')) as {
    compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
  };
  const base = join(dir, tsconfig.compilerOptions?.baseUrl ?? '.');
  const aliases: Record<string, string> = {};
  for (const [pattern, [target]] of Object.entries(tsconfig.compilerOptions?.paths ?? {})) {
    aliases[pattern.replace(/\/\*$/, '')] = join(base, target.replace(/\/\*$/, ''));
  }
  return aliases;
}
