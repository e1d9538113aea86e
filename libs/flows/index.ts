export * from './flow.types';
export * from './duration';
export * from './control-steps';
export * from './step-registry';
export * from './validate-flow';
export * from './interpreter';
