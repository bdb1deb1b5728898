// The CommonJS view of the same declarations.
import kubeplan = require("kubeplan");

const r: kubeplan.PlanResult = kubeplan.plan("kind: Node");
const n: number = r.errors.length;
console.log(n, kubeplan.version(), kubeplan.debugPanic("on purpose").exitCode);

// The file system helper, required as CommonJS.
import nodeIo = require("kubeplan/node-io");
const io: kubeplan.CliIo = nodeIo.createNodeIo();
console.log(kubeplan.runCli(["version"], io).stdout);
