export * from './segment-definitions';
export * from './lead-conditions';
