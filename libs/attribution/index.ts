export * from './touches';
export * from './heuristic';
export * from './paths';
export * from './markov';
export * from './shapley';
export * from './data-driven';
export * from './channels';
export * from './attribute';
