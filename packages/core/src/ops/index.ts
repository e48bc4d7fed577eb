export * from './binary.js';
export { cast } from './convert.js';
export * from './creation.js';
export * from './indexing.js';
export * from './matmul.js';
export * from './nn.js';
export * from './reduce.js';
export * from './shape.js';
export * from './unary.js';
