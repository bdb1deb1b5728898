// The CommonJS view of the same declarations.
import kubeplan = require("kubeplan");

const r: kubeplan.PlanResult = kubeplan.plan("kind: Node");
const n: number = r.errors.length;
console.log(n, kubeplan.version());
