export * from './flow.types';
export * from './duration';
export * from './steps';
export * from './step-registry';
export * from './validate-flow';
export * from './interpreter';
