export * from './tracking-token';
export * from './template.errors';
export * from './render-template';
export * from './template-references';
export { MISSING_VARIABLE_POLICIES } from './missing-variables';
export type { MissingVariablePolicy } from './missing-variables';
export * from './html-to-text';
export * from './rewrite-links';
export * from './outbox-transport';
