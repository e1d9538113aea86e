export * from './task-queues';
export * from './workflow-ids';
export * from './nurture';
export * from './campaign';
export * from './actions';
export * from './import-leads';
export * from './attribution';
export * from './scoring';
