// Every workflow the worker registers (its workflow bundle's entry point).
export * from './sync.js';
export * from './budget-change.js';
export * from './optimization.js';
export * from './rules.js';
