/** Environment variables through which the e2e global set-up hands its services to the tests. */
export const E2E_ENV = {
  databaseUrl: 'CE_E2E_DATABASE_URL',
  temporalAddress: 'CE_E2E_TEMPORAL_ADDRESS',
} as const;
