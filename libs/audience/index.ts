export * from './segment-definitions';
