export * from './task-queues';
export * from './workflow-ids';
export * from './nurture';
export * from './launch-campaign';
export * from './actions';
export * from './import-leads';
