// What the page draws, derived from real plans (the engine in Node), without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { planJson } from "kubeplan";
import { importBundled } from "./helpers.mjs";
import { buildGrid, statusTables, tabwrite, timelineFrames, pendingMessage } from "../src/model.js";
import { buildRequest, problemsByEditor } from "../src/input.js";

const { EXAMPLES } = await importBundled("examples.js");

function summaryOf(id) {
  const ex = EXAMPLES.find((e) => e.id === id);
  const { request } = buildRequest({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update, steps: ex.steps, scheduler: ex.scheduler });
  const doc = JSON.parse(planJson(request).text);
  const nodes = doc.defaultedObjects.filter((d) => d.object.kind === "Node").map((d) => ({ name: d.object.metadata.name, labels: d.object.metadata.labels ?? {}, taints: d.object.spec?.taints ?? [] }));
  return { ...doc, nodes };
}

test("node-exporter: one DaemonSet column, a pod on each worker, none on the cordoned master", () => {
  const grid = buildGrid(summaryOf("node-exporter"));
  assert.deepEqual(grid.columns.map((c) => c.key), ["DaemonSet/monitoring/node-exporter"]);
  assert.deepEqual(
    grid.rows.map((r) => [r.node.name, (r.cells.get("DaemonSet/monitoring/node-exporter") ?? []).map((p) => p.metadata.name)]),
    [["master", []], ["worker-1", ["node-exporter-bbbbb"]], ["worker-2", ["node-exporter-bbbbc"]]],
  );
  assert.equal(grid.pending.size, 0);
});

test("bare pods get their own column; a pod for another scheduler is Pending without a scheduler message", () => {
  const s = summaryOf("second-scheduler");
  const grid = buildGrid(s);
  assert.deepEqual(grid.columns.map((c) => c.key), ["Pod/(no controller)"]);
  const pending = grid.pending.get("Pod/(no controller)");
  assert.deepEqual(pending.map((p) => p.metadata.name), ["annotation-second-scheduler"]);
  const m = pendingMessage(pending[0], s.placements);
  assert.equal(m.fromScheduler, false);
  assert.match(m.message, /my-scheduler/);
});

test("timeline frames replay the steps to the final pods", () => {
  const s = summaryOf("ds-set-image-rollback");
  const frames = timelineFrames(s);
  assert.equal(frames.length, s.steps.length);
  const last = frames.at(-1).pods.map((p) => [p.metadata.name, p.spec.nodeName, p.status.phase]).sort();
  const final = s.pods.map((p) => [p.metadata.name, p.spec.nodeName, p.status.phase]).sort();
  assert.deepEqual(last, final);
  // Mid-rollout a node is briefly without its pod (maxUnavailable 1: delete, then create).
  assert.ok(frames.some((f) => f.pods.length === 3));
  assert.ok(frames.every((f) => f.pods.length <= 4));
});

test("kubectl get tables as kubectl prints them", () => {
  const [ds] = statusTables(summaryOf("hdfs-namenode"));
  assert.equal(
    tabwrite(ds.header, ds.rows),
    "NAMESPACE   NAME                           DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR\n" +
      "default     daemonset.apps/hdfs-namenode   2         2         2       2            2           <none>",
  );
});

test("problems go to the editor that has the file, once, where the engine located them", () => {
  const result = {
    errors: [{ file: "nodes.yaml", line: 9, column: 5, endLine: 9, endColumn: 6, severity: "error", code: "api-rejects", message: "bad" }],
    lint: { findings: [{ rule: "api-rejects", severity: "error", file: "nodes.yaml", span: { start: { line: 9, col: 5 }, end: { line: 9, col: 6 } }, message: "bad" }] },
    summary: { diagnostics: [] },
  };
  const plain = problemsByEditor(result);
  assert.equal(plain.nodes.length, 1); // the plan and lint both report it: shown once
  assert.deepEqual(plain.nodes.map((p) => [p.line, p.column]), [[9, 5]]);
  assert.deepEqual(plain.manifests, []);
});

test("a lint fix for the editor: its edits in the finding's file, or none when it has none or reaches another file", async () => {
  const { editorFix } = await import("../src/input.js");
  const span = (l, c1, c2) => ({ start: { line: l, col: c1 }, end: { line: l, col: c2 } });
  assert.deepEqual(editorFix("manifests.yaml", { description: "rename", edits: [{ file: "manifests.yaml", span: span(13, 9, 24), text: "imagePullPolicy" }] }), {
    description: "rename",
    edits: [{ line: 13, column: 9, endLine: 13, endColumn: 24, text: "imagePullPolicy" }],
  });
  // The engine leaves `edits` out when a fix only says what to do.
  assert.deepEqual(editorFix("manifests.yaml", { description: "remove one of the two" }), { description: "remove one of the two", edits: [] });
  const across = { description: "use my-scheduler", edits: [{ file: "manifests.yaml", span: span(1, 1, 2), text: "a" }, { file: "scheduler.yaml", span: span(2, 1, 2), text: "b" }] };
  assert.deepEqual(editorFix("manifests.yaml", across), { description: "use my-scheduler", edits: [] });
});

test("a tie names at most ten nodes and counts the rest", async () => {
  const { tiedSentence, TIED_NAMES_SHOWN } = await import("../src/panels.js");
  const names = (n) => Array.from({ length: n }, (_, i) => `node-${String(i + 1).padStart(4, "0")}`);
  assert.equal(TIED_NAMES_SHOWN, 10);
  assert.equal(
    tiedSentence(names(2)),
    "Tied for the top score: node-0001, node-0002 (2 nodes) — kubeplan takes the smallest name; kube-scheduler picks one of them at random.",
  );
  const many = tiedSentence(names(250));
  assert.ok(many.startsWith(`Tied for the top score: ${names(10).join(", ")} and 240 more (250 nodes) — `), many);
  assert.ok(!many.includes("node-0011"));
  assert.ok(tiedSentence(names(10)).includes("node-0010 (10 nodes)"));
});

test("a refusal the plan and lint locate at two columns of one line is one problem", () => {
  const message = 'Pod "p" is invalid: metadata.labels: Invalid value: "b c"';
  const result = {
    errors: [{ file: "manifests.yaml", line: 5, column: 11, endLine: 5, endColumn: 12, severity: "error", code: "api-rejects", message }],
    lint: { findings: [{ rule: "api-invalid", severity: "error", file: "manifests.yaml", span: { start: { line: 5, col: 3 }, end: { line: 5, col: 21 } }, message }] },
    summary: { diagnostics: [] },
  };
  const { manifests } = problemsByEditor(result);
  assert.deepEqual(manifests.map((p) => [p.line, p.column, p.source]), [[5, 11, "api-rejects"]]);
});
