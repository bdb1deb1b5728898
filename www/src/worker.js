// The planner, off the main thread: loads the engine once and answers the page's messages.
//
//   {id, type: "run", request, lintFiles}  → {id, type: "result", summary, lint, timings}
//   {id, type: "pod", pod: "ns/name"}       → {id, type: "pod", placements}   (every node's verdict, for the last run)
//
// `summary` is the plan document with what the page does not draw left out (defaultedObjects become a node list),
// and placements without their per-node tables (those come with a "pod" request), so that what crosses to the page
// stays small for 1,000 nodes. The full document of the last run stays here.

import init, { plan, lint, version } from "kubeplan";

const ready = init(new URL("kubeplan_bg.wasm", self.location.href)).then(() => {
  // Warm the engine up: the first plans run in the baseline compiler's code; a few small ones let the hot
  // functions tier up before the user's (possibly large) input arrives.
  const warm = `apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
status: {capacity: {cpu: "4", memory: 8Gi, pods: "110"}, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: w}
spec:
  selector: {matchLabels: {app: w}}
  template:
    metadata: {labels: {app: w}}
    spec: {containers: [{name: c, image: x, resources: {requests: {cpu: 10m}}}]}
`;
  for (let i = 0; i < 3; i++) plan(warm);
});

let last = null; // {request, doc, verdictsDoc}

function nodeSummary(obj) {
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  const ready = (status.conditions ?? []).find((c) => c.type === "Ready");
  return {
    name: obj.metadata?.name ?? "",
    labels: obj.metadata?.labels ?? {},
    taints: spec.taints ?? [],
    unschedulable: !!spec.unschedulable,
    ready: ready ? ready.status : "Unknown",
    capacity: status.capacity ?? {},
    allocatable: status.allocatable ?? {},
  };
}

function summarize(doc) {
  if (!doc) return null;
  // Nodes in the order a person reads them: the final state of every Node the phases stored (a node deleted by a
  // step is gone from the cluster but its pods' history still names it, so it is kept, marked deleted).
  const nodes = new Map();
  for (const d of doc.defaultedObjects ?? []) {
    if (d.object?.kind === "Node") nodes.set(d.object.metadata?.name, nodeSummary(d.object));
  }
  // What `kubectl get` prints from a workload's spec: a DaemonSet's node selector, a Job's completions.
  const workloadSpecs = {};
  for (const d of doc.defaultedObjects ?? []) {
    const o = d.object ?? {};
    const key = `${o.kind}/${o.metadata?.namespace ?? "default"}/${o.metadata?.name}`;
    if (o.kind === "DaemonSet") {
      const sel = o.spec?.template?.spec?.nodeSelector ?? {};
      workloadSpecs[key] = { nodeSelector: Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(",") };
    } else if (o.kind === "Job") {
      workloadSpecs[key] = { completions: o.spec?.completions ?? 1 };
    }
  }
  const { defaultedObjects, placements, ...rest } = doc;
  return {
    ...rest,
    workloadSpecs,
    nodes: [...nodes.values()],
    placements: (placements ?? []).map(({ scores, rejected, ...p }) => ({
      ...p,
      scored: scores ? Object.keys(scores).length : 0,
      rejectedCount: rejected ? Object.keys(rejected).length : 0,
    })),
  };
}

function run(msg) {
  const t0 = performance.now();
  const result = plan(msg.request);
  const t1 = performance.now();
  let lintResult = null;
  if (msg.lintFiles && msg.lintFiles.length) lintResult = lint(msg.lintFiles);
  const t2 = performance.now();
  last = { request: msg.request, doc: result.plan, verdictsDoc: null };
  const summary = summarize(result.plan);
  const t3 = performance.now();
  return {
    id: msg.id,
    type: "result",
    ok: result.ok,
    exitCode: result.exitCode,
    errors: result.errors,
    summary,
    lint: lintResult ? { findings: lintResult.findings, errors: lintResult.errors } : null,
    timings: { plan: t1 - t0, lint: t2 - t1, summarize: t3 - t2 },
    version: version(),
  };
}

function podDetail(msg) {
  if (!last || !last.doc) return { id: msg.id, type: "pod", placements: [] };
  // The plan without verdicts keeps rejected nodes only for some decisions: ask again with every verdict, once.
  if (!last.verdictsDoc) {
    const r = plan(last.request, { verdicts: true });
    last.verdictsDoc = r.plan ?? last.doc;
  }
  const placements = (last.verdictsDoc.placements ?? []).filter((p) => p.pod === msg.pod);
  return { id: msg.id, type: "pod", placements };
}

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    await ready;
    if (msg.type === "run") self.postMessage(run(msg));
    else if (msg.type === "pod") self.postMessage(podDetail(msg));
  } catch (err) {
    self.postMessage({ id: msg.id, type: "failed", message: String(err?.message ?? err) });
  }
};
