export * from './tracking-token';
export * from './template.errors';
export * from './render-template';
export * from './html-to-text';
export * from './rewrite-links';
export * from './outbox-transport';
