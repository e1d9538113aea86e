export * from './lead-record';
export * from './merge-records';
export * from './bulk-upsert';
