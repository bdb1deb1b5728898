// The package's API, as a Node program uses it (ES modules).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";

import { debugPanic, lint, plan, planJson, runCli, version } from "kubeplan";
import { createNodeIo } from "kubeplan/node-io";

import { DAEMONSET, NODES, REJECTED, nativeBinary } from "./helpers.mjs";

describe("plan", () => {
  test("kubeletAdmission: a pod naming a node it does not fit is Failed as the kubelet refuses it", () => {
    const node = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {capacity: {cpu: '4', memory: 8Gi, pods: '110'}, conditions: [{type: Ready, status: 'True'}]}\n";
    const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  nodeName: n1\n  containers: [{name: c, image: x, resources: {requests: {cpu: '10'}}}]\n";
    const refused = plan(node + "---\n" + pod, { kubeletAdmission: true }).plan.pods[0].status;
    assert.deepEqual([refused.phase, refused.reason, refused.message], ["Failed", "OutOfcpu", "Pod was rejected: Node didn't have enough resource: cpu, requested: 10000, used: 0, capacity: 4000"]);
    assert.equal(plan(node + "---\n" + pod).plan.pods[0].status.phase, "Running", "off by default, as the conformance model");
  });

  test("reads nodes given as kubectl get nodes --show-labels text, located on the table", () => {
    const table = "NAME   STATUS                     LABELS\nn1     Ready                      zone=a\nn2     Ready,SchedulingDisabled   zone=b,broken\n";
    const r = plan([{ name: "nodes.txt", text: table }, { name: "ds.yaml", text: DAEMONSET }]);
    assert.equal(r.exitCode, 2);
    assert.deepEqual(
      r.errors.map((e) => [e.file, e.line, e.column, e.code]),
      [["nodes.txt", 3, 42, "nodes-table"]],
    );
    const nodes = r.plan.defaultedObjects.filter((d) => d.object.kind === "Node").map((d) => d.object);
    assert.deepEqual(nodes.map((n) => [n.metadata.name, n.metadata.labels.zone, n.spec?.unschedulable ?? false]), [["n1", "a", false], ["n2", "b", true]]);
    assert.ok(r.plan.diagnostics.some((d) => d.code === "nodes-table-read" && d.message.startsWith("read as kubectl get nodes: 2 nodes")));
  });

  test("places a DaemonSet's pods on the nodes it tolerates", () => {
    const r = plan(NODES + "---\n" + DAEMONSET);
    assert.equal(r.ok, true);
    assert.equal(r.exitCode, 0);
    assert.deepEqual(r.errors, []);
    const pods = r.plan.pods.map((p) => [p.metadata.generateName, p.spec.nodeName, p.status.phase]);
    // worker-b is tainted dedicated=gpu:NoSchedule and the DaemonSet does not tolerate it.
    assert.deepEqual(pods, [["agent-", "worker-a", "Running"]]);
    const ds = r.plan.workloads.find((w) => w.kind === "DaemonSet");
    assert.equal(ds.status.desiredNumberScheduled, 1);
    assert.equal(r.plan.rejected, false);
  });

  test("takes named files, and the object gives the same bytes as planJson and the CLI", () => {
    const input = [
      { name: "nodes.yaml", text: NODES },
      { name: "ds.yaml", text: DAEMONSET },
    ];
    const r = plan(input);
    const t = planJson(input);
    assert.equal(t.ok, true);
    assert.equal(JSON.stringify(r.plan, null, 2) + "\n", t.text);
    const dir = mkdtempSync(join(tmpdir(), "kubeplan-"));
    writeFileSync(join(dir, "nodes.yaml"), NODES);
    writeFileSync(join(dir, "ds.yaml"), DAEMONSET);
    const cli = runCli(["plan", "nodes.yaml", "ds.yaml", "-o", "json"], withCwd(createNodeIo(), dir));
    assert.equal(cli.exitCode, 0);
    assert.equal(cli.stdout, t.text);
    const native = nativeBinary();
    if (native) {
      const n = spawnSync(native, ["plan", "nodes.yaml", "ds.yaml", "-o", "json"], { cwd: dir, encoding: "utf8" });
      assert.equal(n.status, 0);
      assert.equal(n.stdout, t.text);
    }
  });

  test("a full request: update applied after the cluster settled", () => {
    const update = DAEMONSET.replace("agent:1", "agent:2");
    const r = plan({ manifests: [{ name: "nodes.yaml", text: NODES }, { name: "ds.yaml", text: DAEMONSET }], update });
    assert.equal(r.ok, true);
    assert.ok(r.plan.steps.some((s) => s.phase === "update"));
    assert.equal(r.plan.pods[0].spec.containers[0].image, "agent:2");
  });

  test("a full request: nodes are applied before the manifests", () => {
    const r = plan({ manifests: { name: "ds.yaml", text: DAEMONSET }, nodes: NODES });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.deepEqual(r.plan.pods.map((p) => p.spec.nodeName), ["worker-a"]);
    assert.equal(JSON.stringify(r.plan), JSON.stringify(plan(NODES + "---\n" + DAEMONSET).plan));
  });

  test("steps name their files", () => {
    const steps = "- action: deleteNode\n  name: worker-a\n- action: apply\n  file: more.yaml\n";
    const more = NODES.split("---\n")[0].replaceAll("worker-a", "worker-c");
    const r = plan({ manifests: NODES + "---\n" + DAEMONSET, steps, files: [{ name: "more.yaml", text: more }] });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.deepEqual(
      r.plan.steps.map((s) => s.phase).filter((p, i, a) => a.indexOf(p) === i),
      ["initial", "step1:deleteNode", "step2:apply"],
    );
    assert.deepEqual(r.plan.pods.map((p) => p.spec.nodeName), ["worker-c"]);
  });

  test("maxPods, maxObjects, maxRounds: a budget cuts what asks for more, located, and plans the rest", () => {
    const web =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 20\n" +
      "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n" +
      "    spec: {containers: [{name: c, image: i}]}\n";
    const input = [{ name: "nodes.yaml", text: NODES }, { name: "web.yaml", text: web }, { name: "ds.yaml", text: DAEMONSET }];
    assert.equal(plan(input).ok, true);
    const r = plan(input, { maxPods: 10 });
    assert.equal(r.exitCode, 2);
    const cut = r.errors.find((e) => e.code === "budget");
    assert.ok(cut, JSON.stringify(r.errors));
    assert.deepEqual([cut.file, cut.line], ["web.yaml", 5]);
    assert.deepEqual(r.plan.pods.map((p) => p.metadata.generateName), ["agent-"], "the DaemonSet is still planned");
    assert.ok(plan(input, { maxObjects: 2 }).errors.some((e) => e.code === "budget" && e.file === "web.yaml"));
    const l = lint({ name: "web.yaml", text: web }, { nodes: NODES, maxPods: 10 });
    assert.ok(l.findings.some((f) => f.rule === "budget" && f.file === "web.yaml"), JSON.stringify(l.findings));
  });

  test("verdicts: every rejected node's reason", () => {
    const r = plan(NODES + "---\n" + DAEMONSET.replace("name: agent,", "name: agent2,"), { verdicts: true });
    assert.equal(r.ok, true);
    assert.ok(r.plan.placements.length > 0);
  });

  test("lean: pods cut down to who, where and how they stand, placements without scores; planJson the same", () => {
    const web =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n" +
      "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n" +
      "    spec:\n      tolerations: [{key: dedicated, operator: Exists}]\n" +
      "      containers: [{name: c, image: i, resources: {requests: {cpu: 100m}}}]\n";
    const input = NODES + "---\n" + web; // both nodes feasible: the placements have scores
    const [full, lean] = [plan(input).plan, plan(input, { lean: true }).plan];
    assert.deepEqual(JSON.parse(planJson(input, { lean: true }).text), lean);
    assert.deepEqual(Object.keys(lean), Object.keys(full));
    assert.deepEqual(lean.events, full.events);
    assert.ok(full.placements.some((p) => p.scores));
    assert.deepEqual(lean.placements, full.placements.map(({ scores: _, ...p }) => p));
    const [pod, fullPod] = [lean.pods[0], full.pods[0]];
    assert.deepEqual(Object.keys(pod.spec).sort(), ["containers", "nodeName", "priority", "schedulerName"]);
    assert.deepEqual(pod.spec.containers, [{ name: "c", image: "i", resources: { requests: { cpu: "100m" } } }]);
    assert.deepEqual([pod.metadata.name, pod.metadata.ownerReferences, pod.status], [fullPod.metadata.name, fullPod.metadata.ownerReferences, { phase: fullPod.status.phase, conditions: fullPod.status.conditions }]);
    assert.ok(fullPod.spec.tolerations.length > 0 && pod.spec.tolerations === undefined);
  });

  test("incremental: the same answers as a plan from scratch, edit after edit, in any file", () => {
    const web = (replicas) =>
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: " + replicas + "\n" +
      "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n" +
      "    spec: {containers: [{name: c, image: i}]}\n";
    const edits = [
      [NODES, web(2)],
      [NODES, web(3)], // the manifests edited
      [NODES.replace("zone: z1", "zone: z3"), web(3)], // a node edited
      [NODES, "kind: [\n"], // a document that does not parse
      [NODES, web(1) + "---\n" + DAEMONSET],
    ];
    for (const [nodes, manifests] of edits) {
      const input = { nodes: [{ name: "nodes.yaml", text: nodes }], manifests: [{ name: "web.yaml", text: manifests }] };
      assert.deepEqual(planJson(input, { incremental: true }), planJson(input));
      assert.deepEqual(plan(input, { incremental: true, lean: true }), plan(input, { lean: true }));
    }
  });

  test("nodes: each node's allocatable and what its pods request; with verdicts, why a DaemonSet skips a node", () => {
    const input = NODES + "---\n" + DAEMONSET;
    const amounts = (milliCpu, pods) => ({ ephemeralStorage: 0, memory: 8 * 2 ** 30, milliCpu, pods });
    const { nodes, daemonSetNodes } = plan(input).plan;
    assert.deepEqual(nodes, [
      { name: "worker-a", allocatable: amounts(4000, 110), requested: { ...amounts(100, 1), memory: 0 } },
      { name: "worker-b", allocatable: amounts(4000, 110), requested: { ...amounts(0, 0), memory: 0 } },
    ]);
    assert.equal(daemonSetNodes, undefined, "only with verdicts");
    assert.deepEqual(plan(input, { verdicts: true }).plan.daemonSetNodes, [
      { daemonSet: "default/agent", node: "worker-b", reason: "Taint", message: "untolerated taint dedicated=gpu:NoSchedule" },
    ]);
  });
});

describe("errors are located values", () => {
  test("YAML syntax: file, line, column, code; nothing thrown", () => {
    const r = plan({ name: "broken.yaml", text: "apiVersion: v1\nkind: Node\nmetadata: {name: [\n" });
    assert.equal(r.ok, false);
    assert.equal(r.exitCode, 2);
    assert.ok(r.plan, "the rest is still planned");
    const e = r.errors[0];
    assert.equal(e.file, "broken.yaml");
    assert.ok(e.line >= 3, JSON.stringify(e));
    assert.ok(e.column >= 1);
    assert.equal(e.severity, "error");
    assert.equal(typeof e.message, "string");
    assert.ok(e.message.length > 0);
  });

  test("an API-server rejection points at the offending field", () => {
    const r = plan({ name: "web.yaml", text: REJECTED });
    assert.equal(r.ok, false);
    assert.equal(r.exitCode, 1);
    assert.equal(r.plan.rejected, true);
    const e = r.errors.find((x) => x.code === "api-rejects");
    assert.ok(e, JSON.stringify(r.errors));
    assert.equal(e.file, "web.yaml");
    assert.match(e.message, /`selector` does not match template `labels`/);
    assert.ok(e.line > 1);
    assert.ok(e.column > 0);
  });

  test("bad arguments are invalid-argument errors, not exceptions", () => {
    for (const [input, options] of [
      [42, undefined],
      [{ manifests: "x", bogus: 1 }, undefined],
      [[{ name: "a.yaml" }], undefined],
      ["kind: Node", { verdicts: "yes" }],
      ["kind: Node", { nope: true }],
      ["kind: Node", { max_pods: 1 }],
      ["kind: Node", { maxPods: -1 }],
    ]) {
      const r = plan(input, options);
      assert.equal(r.ok, false);
      assert.equal(r.exitCode, 2);
      assert.equal(r.plan, null);
      assert.equal(r.errors[0].code, "invalid-argument", JSON.stringify(r.errors));
      assert.equal(r.errors[0].line, 0);
    }
  });

  test("a panic comes back as an error value and later calls work", () => {
    for (let i = 0; i < 3; i++) {
      const r = debugPanic(`boom ${i}`);
      assert.equal(r.ok, false);
      assert.equal(r.errors[0].code, "internal-error");
      assert.match(r.errors[0].message, new RegExp(`^kubeplan panicked: boom ${i} at bindings/wasm/src/lib.rs:\\d+:\\d+$`));
      const ok = plan(NODES + "---\n" + DAEMONSET);
      assert.equal(ok.ok, true);
      assert.equal(ok.plan.pods.length, 1);
    }
  });
});

describe("lint", () => {
  test("finds the rejection at its field", () => {
    const r = lint({ name: "web.yaml", text: REJECTED });
    assert.equal(r.ok, false);
    assert.equal(r.exitCode, 1);
    // The selector does not match the template's labels: the API server's Invalid value, on the labels.
    const f = r.findings.find((x) => x.rule === "api-invalid");
    assert.ok(f, JSON.stringify(r.findings));
    assert.equal(f.file, "web.yaml");
    assert.equal(f.field, "spec.template.metadata.labels");
    assert.equal(f.span.start.line, 8);
    assert.match(f.message, /`selector` does not match template `labels`/);
    assert.equal(r.errors.length, r.findings.filter((x) => x.severity === "error").length);
  });

  test("LSP-shaped diagnostics: zero-based lines and UTF-16 characters, by file", () => {
    const r = lint({ name: "web.yaml", text: REJECTED });
    const diags = r.diagnostics["web.yaml"];
    assert.ok(Array.isArray(diags));
    const d = diags.find((x) => x.code === "api-invalid");
    assert.ok(d);
    assert.equal(d.severity, 1);
    assert.equal(d.source, "kubeplan");
    const f = r.findings.find((x) => x.rule === "api-invalid");
    assert.equal(d.range.start.line, f.span.start.line - 1);
    assert.equal(d.range.start.character, f.span.start.col - 1);
  });

  test("nodes: what the plan shows, located on the manifest", () => {
    const big = DAEMONSET.replace(/cpu: [^\n}]+/g, "cpu: 64");
    const r = lint({ name: "ds.yaml", text: big }, { nodes: [{ name: "nodes.yaml", text: NODES }] });
    const pending = r.findings.filter((x) => x.file === "ds.yaml" && /Insufficient cpu/.test(x.message));
    assert.ok(pending.length > 0, JSON.stringify(r.findings.map((x) => [x.rule, x.message])));
  });

  test("unknown fields are errors, as kubectl's default strict field validation refuses them", () => {
    const text = NODES.split("---\n")[0].replace("metadata:", "colour: blue\nmetadata:");
    const unknown = (r) => r.findings.find((x) => x.rule === "unknown-field");
    for (const r of [lint(text), lint(text, { strict: true })]) {
      assert.equal(unknown(r).severity, "error", JSON.stringify(r.findings));
      assert.match(unknown(r).message, /unknown field "colour"/);
      assert.equal(r.ok, false);
      assert.equal(r.exitCode, 1);
    }
  });

  test("closedWorld: a ConfigMap the input does not hold is an error, else a note", () => {
    const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    envFrom: [{configMapRef: {name: settings}}]\n";
    const missing = (r) => r.findings.find((x) => x.rule === "configmap-not-in-input");
    const open = lint(pod);
    assert.equal(missing(open).severity, "info", JSON.stringify(open.findings));
    assert.equal(open.exitCode, 0);
    const closed = lint(pod, { closedWorld: true });
    assert.equal(missing(closed).severity, "error");
    assert.equal(closed.exitCode, 1);
  });

  test("clean input", () => {
    const r = lint(NODES);
    assert.equal(r.ok, true);
    assert.equal(r.exitCode, 0);
  });
});

describe("runCli", () => {
  const io = createNodeIo();
  test("version, help and usage errors as the native CLI", () => {
    assert.equal(runCli(["version"], io).stdout, version() + "\n");
    const help = runCli(["help"], io);
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /^kubeplan: /);
    const bad = runCli(["plan"], io);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /^error: plan needs at least one manifest file/);
  });

  test("errors thrown by the io become the CLI's messages", () => {
    const r = runCli(["plan", "x.yaml"], {
      readFile: () => {
        throw new Error("x.yaml: gone");
      },
      isDir: () => false,
      listDir: () => [],
      readStdin: () => "",
    });
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, "error: x.yaml: gone\n");
  });

  test("an io that is not a CliIo is a usage error naming what it lacks, not a TypeError", () => {
    const partial = runCli(["plan", "x.yaml"], { readFile: () => "", isDir: () => false });
    assert.equal(partial.exitCode, 2);
    assert.equal(partial.stdout, "");
    assert.match(partial.stderr, /^error: runCli\(args, io\): io lacks listDir, readStdin \(.*createNodeIo\(\) from "kubeplan\/node-io"/);
    for (const bad of [undefined, null, "io"]) {
      const r = runCli(["plan", "x.yaml"], bad);
      assert.equal(r.exitCode, 2);
      assert.match(r.stderr, /^error: runCli\(args, io\): io must be an object \(/);
    }
    const args = runCli("plan x.yaml", io);
    assert.equal(args.exitCode, 2);
    assert.match(args.stderr, /^error: runCli\(args, io\): args must be an array of strings/);
    assert.equal(runCli(["version"], io).exitCode, 0); // and nothing was reset or broken
  });
});

/** An io that resolves relative paths against `dir`, keeping the paths the CLI prints as given. */
function withCwd(io, dir) {
  const at = (p) => (p.startsWith("/") ? p : join(dir, p));
  return {
    readFile: (p) => io.readFile(at(p)),
    isDir: (p) => io.isDir(at(p)),
    listDir: (p) => io.listDir(at(p)).map((x) => x.slice(at(p).length - p.length)),
    readStdin: () => io.readStdin(),
  };
}
