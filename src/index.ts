// scratchnet's public API: everything the book builds, under the book's names.
export * from './ndarray/index.js';
