// scratchnet/node: the parts that read and write files (Node only). Everything else is in the main
// entry and runs unchanged in a browser.
export * from './io/node.js';
export * from './data/index.js';
