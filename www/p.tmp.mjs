import { importBundled } from "./test/helpers.mjs";
import { plan, planJson, lint, runCli } from "kubeplan";
const { EXAMPLES, generatedNodes } = await importBundled("examples.js");
const ex = EXAMPLES.find(e => e.id === "large-1000");
const files = { "nodes.yaml": generatedNodes(1000), "m.yaml": ex.manifests };
const io = { readFile: (p) => files[p], isDir: () => false, listDir: () => [], readStdin: () => "" };
const req = { manifests: [{ name: "nodes.yaml", text: files["nodes.yaml"] }, { name: "m.yaml", text: files["m.yaml"] }] };
for (let i = 0; i < 4; i++) {
  let t = performance.now(); plan(req); const a = performance.now() - t;
  t = performance.now(); planJson(req); const b = performance.now() - t;
  t = performance.now(); const c1 = runCli(["plan", "nodes.yaml", "m.yaml", "-o", "table"], io); const c = performance.now() - t;
  t = performance.now(); lint(req.manifests); const d = performance.now() - t;
  console.log({ plan: a|0, planJson: b|0, cliTable: c|0, lint: d|0, out: c1.stdout.length });
}
