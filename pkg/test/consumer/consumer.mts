// A TypeScript program using the package as documented: every function, options and results read typed.
import init, { debugPanic, lint, plan, planJson, runCli, version } from "kubeplan";
import type { CliIo, EngineSource, KubeplanError, LintOptions, Pod, PlanDocument, PlanInput, PlanOptions, PlanResult, Workload } from "kubeplan";
import { createNodeIo } from "kubeplan/node-io";

await init();
// What init takes, with the DOM lib or with Node's types alone (tsconfig.json, tsconfig.node.json).
const sources: EngineSource[] = ["./kubeplan_bg.wasm", new URL("https://example.com/kubeplan_bg.wasm"), new Uint8Array(0), new ArrayBuffer(0)];
await init(sources[0]);
await init(Promise.resolve(new Response(new Uint8Array(0))));
// @ts-expect-error: not an engine source (any object is one under the DOM lib, whose WebAssembly.Module is `{}`)
init(null);
const panicked: PlanResult = debugPanic("on purpose");
console.log(panicked.errors[0]?.code);

const input: PlanInput = { manifests: [{ name: "app.yaml", text: "kind: Pod" }], nodes: [{ name: "nodes.yaml", text: "kind: Node" }], update: "kind: Node", steps: "[]" };
const options: PlanOptions = { verdicts: true, maxPods: 1000, maxObjects: 100, maxRounds: 50 };
const r = plan(input, options);
if (r.plan !== null) {
  const doc: PlanDocument = r.plan;
  const pods: Pod[] = doc.pods;
  const nodes: (string | null | undefined)[] = pods.map((p) => p.spec?.nodeName);
  const labels: Record<string, string> | undefined = pods[0]?.metadata?.labels;
  const w: Workload | undefined = doc.workloads[0];
  const kind: "DaemonSet" | "Deployment" | "ReplicaSet" | "StatefulSet" | "Job" | undefined = w?.kind;
  const top: number | undefined = doc.placements[0]?.scores?.["node-a"]?.total;
  console.log(nodes, labels, kind, top, doc.rejected, doc.rejections[0]?.message, doc.events[0]?.involvedObject.kind);
}
const firstError: KubeplanError | undefined = r.errors[0];
const where: string = firstError ? `${firstError.file}:${firstError.line}:${firstError.column}` : "";
const code: 0 | 1 | 2 = r.exitCode;

const text: string | null = planJson("kind: Node").text;
const lintOptions: LintOptions = { strict: true, maxPods: 1000 };
const l = lint({ name: "a.yaml", text: "kind: Node" }, lintOptions);
const sev: "info" | "warning" | "error" | undefined = l.findings[0]?.severity;
const line: number | undefined = l.findings[0]?.span.start.line;

const io: CliIo = createNodeIo();
const out = runCli(["plan", "a.yaml", "-o", "json"], io);
const exit: number = out.exitCode;
const v: string = version();
console.log(where, code, text, sev, line, exit, v, out.stdout.length);

// @ts-expect-error: options are checked
plan("kind: Node", { verdict: true });
// @ts-expect-error: options are camelCase
plan("kind: Node", { max_pods: 1 });
// @ts-expect-error: so are inputs
plan(42);
