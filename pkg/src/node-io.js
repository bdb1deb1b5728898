// `import { createNodeIo } from "kubeplan/node-io"`: the CommonJS implementation, node-io.cjs, as an ES module.
export { createNodeIo, ioErrorText } from "./node-io.cjs";
