/**
 * Four suites: pure unit tests, Temporal workflow tests on the time-skipping server,
 * integration tests of database code on real PostgreSQL, and end-to-end tests over HTTP
 * against real PostgreSQL, Temporal and SMTP servers. Step types keep their own tests in their
 * folders under activities/: `*.step.spec.ts` are unit tests, `*.activity.spec.ts` integration.
 * Type checking is done once by `npm run typecheck`; tests are transpiled only.
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  // The path aliases are defined once, in tsconfig.json.
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // A step type keeps its tests in its own folder: settings checks here, the activity below.
      testMatch: ['<rootDir>/tests/unit/**/*.spec.ts', '<rootDir>/activities/**/*.step.spec.ts'],
    },
    {
      ...shared,
      displayName: 'workflows',
      testMatch: ['<rootDir>/tests/workflows/**/*.spec.ts'],
      setupFiles: ['<rootDir>/tests/support/quiet-temporal.ts'],
      slowTestThreshold: 30,
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.spec.ts', '<rootDir>/activities/**/*.activity.spec.ts'],
      globalSetup: '<rootDir>/tests/support/db-global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/e2e-global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.spec.ts'],
      setupFiles: ['<rootDir>/tests/support/quiet-temporal.ts'],
      globalSetup: '<rootDir>/tests/support/e2e-global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/e2e-global-teardown.ts',
    },
  ],
  testTimeout: 120_000,
};
