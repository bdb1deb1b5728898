// The declarations of node-io.cjs, for `import`.
export { createNodeIo, ioErrorText } from "./node-io.cjs";
