// kubectl get nodes --show-labels text, read by the engine (the playground passes the nodes editor's text as it
// is): the nodes it lists are planned, problems are located on the table's lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { plan } from "kubeplan";
import { buildRequest, nodesTableNote, problemsByEditor } from "../src/input.ts";

const TABLE = `NAME       STATUS                     ROLES           AGE   VERSION   LABELS
master     Ready,SchedulingDisabled   control-plane   12d   v1.32.2   beta.kubernetes.io/arch=amd64,kubernetes.io/hostname=master,node-role.kubernetes.io/control-plane=
worker-1   Ready                      <none>          12d   v1.32.2   disktype=ssd,kubernetes.io/hostname=worker-1,kubernetes.io/os=linux
worker-2   NotReady                   <none>          3d    v1.32.2   kubernetes.io/hostname=worker-2
`;

const WIDE = `NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME     LABELS
node-a   Ready    <none>   5d    v1.32.0   10.0.0.4      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2   host=high-cpu,kubernetes.io/hostname=node-a
node-b   Ready    <none>   5d    v1.32.0   10.0.0.5      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2   <none>
`;

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: c, image: agent:v1}]}
`;

function nodesOf(r) {
  return r.plan.defaultedObjects.filter((d) => d.object.kind === "Node").map((d) => d.object);
}

test("the table plans: cordoned and NotReady nodes get the state and taints a cluster gives them", () => {
  const { request } = buildRequest({ nodes: TABLE, manifests: DS });
  const r = plan(request.manifests);
  assert.deepEqual(r.errors, []);
  const nodes = nodesOf(r);
  assert.deepEqual(nodes.map((n) => n.metadata.name), ["master", "worker-1", "worker-2"]);
  assert.equal(nodes[0].spec.unschedulable, true);
  assert.equal(nodes[1].metadata.labels.disktype, "ssd");
  assert.equal(nodes[0].metadata.labels["node-role.kubernetes.io/control-plane"], "");
  assert.deepEqual(nodes[0].spec.taints.map((t) => `${t.key}:${t.effect}`), ["node.kubernetes.io/unschedulable:NoSchedule"]);
  assert.deepEqual(nodes[2].spec.taints.map((t) => `${t.key}:${t.effect}`), ["node.kubernetes.io/not-ready:NoSchedule"]);
  assert.equal(nodes[2].status.conditions.find((c) => c.type === "Ready").status, "False");
  // DaemonSet pods tolerate unschedulable by default, not the not-ready NoSchedule taint.
  assert.deepEqual(r.plan.pods.map((p) => p.spec.nodeName).sort(), ["master", "worker-1"]);
  // The engine says how it read the table; the playground shows that note.
  assert.equal(nodesTableNote({ summary: r.plan }), "read as kubectl get nodes: 3 nodes, capacity assumed (cpu 4, memory 8Gi, pods 110: the table does not print it)");
  assert.equal(nodesTableNote({ summary: plan(buildRequest({ nodes: "", manifests: DS }).request.manifests).plan }), "");
});

test("-o wide: cells cut at the header's columns, so OS-IMAGE with spaces stays whole", () => {
  const r = plan([{ name: "nodes.yaml", text: WIDE }]);
  assert.deepEqual(r.errors, []);
  const nodes = nodesOf(r);
  assert.deepEqual(nodes[0].metadata.labels, { host: "high-cpu", "kubernetes.io/hostname": "node-a" });
  assert.equal(nodes[1].metadata.labels, undefined);
});

test("bad lines are located on the table, in the nodes editor", () => {
  const r = plan([{ name: "nodes.yaml", text: "NAME   STATUS   LABELS\nn1     Ready    a=b,nolabel\nn1     Ready    a=b\n" }]);
  assert.equal(r.exitCode, 2);
  const problems = problemsByEditor({ errors: r.errors, summary: r.plan });
  const errors = problems.nodes.filter((p) => p.severity === "error").map((p) => [p.line, p.column, p.message]);
  assert.deepEqual(errors, [
    [2, 21, 'label "nolabel" is not key=value (kubectl get nodes --show-labels prints key=value,key=value)'],
    [3, 1, 'node "n1" is listed twice: kubectl get nodes lists each node once'],
  ]);
});

test("label values stay strings, and values the API server refuses reach it as typed", () => {
  const ok = plan("NAME   STATUS   LABELS\nn1     Ready    b=true,c=1.5,d=null\n");
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(nodesOf(ok)[0].metadata.labels, { b: "true", c: "1.5", d: "null" });
  const bad = plan("NAME   STATUS   LABELS\nn1     Ready    a=<img src=x onerror=alert(1)>,c=#x,d=: y\n");
  assert.equal(bad.plan.rejections.length, 1);
  for (const v of ["<img src=x onerror=alert(1)>", "#x", ": y"]) assert.ok(bad.plan.rejections[0].message.includes(`Invalid value: "${v}"`), v);
});
