// kubectl get nodes --show-labels text → Node YAML, planned by the engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { plan } from "kubeplan";
import { looksLikeNodesTable, parseNodesTable, nodesTableToYaml } from "../src/nodes-text.js";

const TABLE = `NAME       STATUS                     ROLES           AGE   VERSION   LABELS
master     Ready,SchedulingDisabled   control-plane   12d   v1.32.2   beta.kubernetes.io/arch=amd64,kubernetes.io/hostname=master,node-role.kubernetes.io/control-plane=
worker-1   Ready                      <none>          12d   v1.32.2   disktype=ssd,kubernetes.io/hostname=worker-1,kubernetes.io/os=linux
worker-2   NotReady                   <none>          3d    v1.32.2   kubernetes.io/hostname=worker-2
`;

const WIDE = `NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME     LABELS
node-a   Ready    <none>   5d    v1.32.0   10.0.0.4      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2   host=high-cpu,kubernetes.io/hostname=node-a
node-b   Ready    <none>   5d    v1.32.0   10.0.0.5      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2   <none>
`;

test("recognises the table and not YAML", () => {
  assert.equal(looksLikeNodesTable(TABLE), true);
  assert.equal(looksLikeNodesTable("\n\n" + WIDE), true);
  assert.equal(looksLikeNodesTable("apiVersion: v1\nkind: Node\n"), false);
  assert.equal(looksLikeNodesTable("# NAME STATUS\n"), false);
  assert.equal(looksLikeNodesTable(""), false);
});

test("reads names, status, roles and labels (empty values kept)", () => {
  const { nodes, errors } = parseNodesTable(TABLE);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    nodes.map((n) => [n.name, n.status, n.roles, n.line]),
    [
      ["master", "Ready,SchedulingDisabled", "control-plane", 2],
      ["worker-1", "Ready", "<none>", 3],
      ["worker-2", "NotReady", "<none>", 4],
    ],
  );
  assert.deepEqual(nodes[0].labels, [
    ["beta.kubernetes.io/arch", "amd64"],
    ["kubernetes.io/hostname", "master"],
    ["node-role.kubernetes.io/control-plane", ""],
  ]);
});

test("-o wide: cells cut at the header's columns, so OS-IMAGE with spaces stays whole", () => {
  const { nodes, errors } = parseNodesTable(WIDE);
  assert.deepEqual(errors, []);
  assert.deepEqual(nodes[0].labels, [["host", "high-cpu"], ["kubernetes.io/hostname", "node-a"]]);
  assert.deepEqual(nodes[1].labels, []);
});

test("hand-edited lines that do not line up are split at whitespace", () => {
  const { nodes, errors } = parseNodesTable("NAME STATUS ROLES AGE VERSION LABELS\nn1 Ready <none> 1d v1.32.0 a=b,c=d\n");
  assert.deepEqual(errors, []);
  assert.deepEqual(nodes[0].labels, [["a", "b"], ["c", "d"]]);
});

test("bad lines are located", () => {
  const { nodes, errors } = parseNodesTable("NAME   STATUS   LABELS\nBad_Name   Ready   a=b\nn1     Ready    nolabel\nn1     Ready    a=b\n");
  assert.deepEqual(nodes.map((n) => n.name), ["n1"]);
  assert.deepEqual(errors.map((e) => [e.line, e.message]), [
    [2, 'node name "Bad_Name" is not a valid DNS subdomain name'],
    [3, 'label "nolabel" is not key=value'],
    [4, "node n1 is listed twice"],
  ]);
});

test("the YAML plans: cordoned and NotReady nodes get the state and taints a cluster gives them", () => {
  const { yaml, lineMap } = nodesTableToYaml(TABLE);
  assert.equal(lineMap.length, yaml.trimEnd().split("\n").length);
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: c, image: agent:v1}]}
`;
  const r = plan([{ name: "nodes.yaml", text: yaml }, { name: "ds.yaml", text: ds }]);
  assert.deepEqual(r.errors, []);
  const nodes = r.plan.defaultedObjects.filter((d) => d.object.kind === "Node").map((d) => d.object);
  assert.deepEqual(nodes.map((n) => n.metadata.name), ["master", "worker-1", "worker-2"]);
  assert.equal(nodes[0].spec.unschedulable, true);
  assert.equal(nodes[1].metadata.labels.disktype, "ssd");
  assert.equal(nodes[0].metadata.labels["node-role.kubernetes.io/control-plane"], "");
  assert.deepEqual(nodes[0].spec.taints.map((t) => `${t.key}:${t.effect}`), ["node.kubernetes.io/unschedulable:NoSchedule"]);
  assert.deepEqual(nodes[2].spec.taints.map((t) => `${t.key}:${t.effect}`), ["node.kubernetes.io/not-ready:NoSchedule"]);
  assert.equal(nodes[2].status.conditions.find((c) => c.type === "Ready").status, "False");
  // DaemonSet pods tolerate unschedulable by default, not the not-ready NoSchedule taint.
  assert.deepEqual(r.plan.pods.map((p) => p.spec.nodeName).sort(), ["master", "worker-1"]);
});

test("label values are quoted, so YAML-significant text stays a string", () => {
  const ok = plan(nodesTableToYaml("NAME   STATUS   LABELS\nn1     Ready    b=true,c=1.5,d=null\n").yaml);
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(ok.plan.defaultedObjects[0].object.metadata.labels, { b: "true", c: "1.5", d: "null" });
  // Values the API server refuses reach it as the very strings typed (its message quotes them).
  const t = "NAME   STATUS   LABELS\nn1     Ready    a=<img src=x onerror=alert(1)>,c=#x,d=: y\n";
  const bad = plan(nodesTableToYaml(t).yaml);
  assert.equal(bad.plan.rejections.length, 1);
  for (const v of ["<img src=x onerror=alert(1)>", "#x", ": y"]) assert.ok(bad.plan.rejections[0].message.includes(`Invalid value: "${v}"`), v);
});
