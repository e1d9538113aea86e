export * from './entities';
export * from './orm.config';
export * from './migrate';
export * from './pg-client';
export * from './array-literal';
export * from './attribution-settings';
