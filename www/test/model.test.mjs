// What the page draws, derived from real plans (the engine in Node), without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { planJson } from "kubeplan";
import { importBundled } from "./helpers.mjs";
import { buildGrid, gridItems, gridWindow, sharedGrid, stallReasonLines, statusTables, tabwrite, timelineFrames, pendingMessage } from "../src/model.ts";
import { buildRequest, problemsByEditor } from "../src/input.ts";

const { EXAMPLES } = await importBundled("examples.ts");

function summaryOf(id) {
  const ex = EXAMPLES.find((e) => e.id === id);
  const { request } = buildRequest({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update, steps: ex.steps, scheduler: ex.scheduler });
  const doc = JSON.parse(planJson(request).text);
  // Nodes as the worker summarises them, with the engine's figures (the plan's `nodes`) as `resources`.
  const figures = new Map((doc.nodes ?? []).map((n) => [n.name, n]));
  const nodes = doc.defaultedObjects
    .filter((d) => d.object.kind === "Node")
    .map((d) => {
      const f = figures.get(d.object.metadata.name);
      return { name: d.object.metadata.name, labels: d.object.metadata.labels ?? {}, taints: d.object.spec?.taints ?? [], unschedulable: !!d.object.spec?.unschedulable, ...(f ? { resources: { allocatable: f.allocatable, requested: f.requested } } : {}) };
    });
  return { ...doc, nodes, planNodes: doc.nodes };
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

test("grid rows: the Pending row first, then the nodes the filters keep; the others counted", () => {
  const s = summaryOf("second-scheduler");
  const grid = buildGrid(s);
  const all = gridItems(grid, "", false);
  assert.deepEqual(all.items.map((i) => i.key), ["", ...grid.rows.map((r) => r.node.name)]);
  assert.equal(all.items[0].node, null);
  assert.equal(all.items[0].cells, grid.pending);
  assert.equal(all.hidden, 0);
  const name = grid.rows[0].node.name;
  const one = gridItems(grid, ` ${name} `, false);
  assert.deepEqual(one.items.map((i) => i.key), ["", ...grid.rows.filter((r) => r.node.name.includes(name)).map((r) => r.node.name)]);
  assert.equal(one.hidden, grid.rows.length - (one.items.length - 1));
  const used = gridItems(grid, "", true);
  assert.deepEqual(used.items.slice(1).map((i) => i.key), grid.rows.filter((r) => r.cells.size).map((r) => r.node.name));
  // No Pending pod: no Pending row.
  assert.ok(gridItems(buildGrid(summaryOf("node-exporter")), "", false).items.every((i) => i.node));
});

test("grid window: the rows reaching into the view and the overscan, the heights above and below as spacers", () => {
  const heights = [30, 30, 60, 30, 30, 30, 90, 30, 30, 30];
  const h = (i) => heights[i];
  const sum = (a, b) => heights.slice(a, b).reduce((x, y) => x + y, 0);
  // The view from 100 to 200 px: rows 2 (60..120) to 5 (180..210); 50 px more either side reaches rows 1 (30..60)
  // and 6 (210..300).
  assert.deepEqual(gridWindow(10, h, 100, 200, { overscan: 0, max: 100 }), { first: 2, end: 6, before: 60, after: sum(6, 10) });
  assert.deepEqual(gridWindow(10, h, 100, 200, { overscan: 50, max: 100 }), { first: 1, end: 7, before: 30, after: sum(7, 10) });
  // At most `max` rows.
  assert.deepEqual(gridWindow(10, h, 0, 1000, { overscan: 0, max: 3 }), { first: 0, end: 3, before: 0, after: sum(3, 10) });
  // Past the end (a view taller than its rows, or scrolled beyond estimates): the last row at least.
  assert.deepEqual(gridWindow(10, h, 5000, 5100, { overscan: 0, max: 100 }), { first: 9, end: 10, before: sum(0, 9), after: 0 });
  assert.deepEqual(gridWindow(0, h, 0, 100, { overscan: 0, max: 100 }), { first: 0, end: 0, before: 0, after: 0 });
  // Whatever the view, the rows drawn and the spacers add up to every row's height.
  for (const top of [0, 45, 119, 120, 121, 400, 470]) {
    const w = gridWindow(10, h, top, top + 50, { overscan: 10, max: 100 });
    assert.equal(w.before + sum(w.first, w.end) + w.after, sum(0, 10), `view at ${top}`);
    assert.ok(w.before <= Math.max(0, top - 10) && (w.end === 10 || w.before + sum(w.first, w.end) >= top + 60), `view at ${top}: ${JSON.stringify(w)}`);
  }
});

test("the map and the grid share one grid per summary and pods", () => {
  const s = summaryOf("node-exporter");
  const grid = sharedGrid(s);
  assert.equal(sharedGrid(s, s.pods), grid);
  assert.deepEqual(grid, buildGrid(s));
  assert.notEqual(sharedGrid(s, s.pods.slice(1)), grid); // a frame's pods
  assert.notEqual(sharedGrid({ ...s }, s.pods), grid); // another summary with the same pods
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
  const { editorFix } = await import("../src/input.ts");
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
  const { tiedSentence, TIED_NAMES_SHOWN } = await import("../src/panels.ts");
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

// ------------------------------------------------------------------ the cluster map (map-model.ts)

import {
  DENSE_AT,
  buildMap,
  cellAt,
  cellRect,
  formatBytes,
  formatCpu,
  groupRows,
  heatLayout,
  heatStep,
  heatValue,
  labelKeys,
  moveCell,
  nodeBadges,
  nodeFigures,
  pendingLanes,
} from "../src/map-model.ts";

const GI = 2 ** 30;
/** A node as the worker summarises it, its `resources` shaped like the plan's `nodes` entry. */
function fixtureNode(name, { zone, cpu = [1500, 8000], memory = [2 * GI, 32 * GI], pods = [3, 110], scalar, ...rest } = {}) {
  const labels = { "kubernetes.io/hostname": name, ...(zone ? { "topology.kubernetes.io/zone": zone } : {}) };
  return {
    name,
    labels,
    taints: [],
    unschedulable: false,
    ready: "True",
    resources: {
      allocatable: { milliCpu: cpu[1], memory: memory[1], ephemeralStorage: 0, pods: pods[1], ...(scalar ? { scalar: scalar.allocatable } : {}) },
      requested: { milliCpu: cpu[0], memory: memory[0], ephemeralStorage: 0, pods: pods[0], ...(scalar ? { scalar: scalar.requested } : {}) },
    },
    ...rest,
  };
}
const fixturePod = (name, nodeName, owner = "DaemonSet/agent", phase = "Running", extra = {}) => ({
  metadata: { name, namespace: "default", ownerReferences: [{ kind: owner.split("/")[0], name: owner.split("/")[1], controller: true }] },
  spec: { nodeName },
  status: { phase, ...extra },
});

test("map: figures as kubectl describe node prints them, cpu in cores, memory in binary units", () => {
  assert.deepEqual([1500, 250, 8000, 100, 0].map(formatCpu), ["1.5", "0.25", "8", "0.1", "0"]);
  assert.deepEqual([2 * GI, 32 * GI, 256 * 2 ** 20, 1.5 * GI, 1000, 0, 2 ** 41].map(formatBytes), ["2Gi", "32Gi", "256Mi", "1.5Gi", "1000", "0", "2Ti"]);
});

test("map: a node's bars are the engine's figures, extended resources included; none without figures", () => {
  const n = fixtureNode("worker-1", { scalar: { allocatable: { "nvidia.com/gpu": 4 }, requested: { "nvidia.com/gpu": 1 } } });
  assert.deepEqual(
    nodeFigures(n).map((f) => [f.id, f.text, f.fraction, f.over]),
    [
      ["cpu", "cpu 1.5/8", 1500 / 8000, false],
      ["memory", "memory 2Gi/32Gi", 1 / 16, false],
      ["pods", "pods 3/110", 3 / 110, false],
      ["nvidia.com/gpu", "nvidia.com/gpu 1/4", 0.25, false],
    ],
  );
  // A pod bound by nodeName past the node's cpu: over, shown so.
  const over = nodeFigures(fixtureNode("w", { cpu: [9000, 8000] }))[0];
  assert.equal(over.over, true);
  assert.equal(over.text, "cpu 9/8");
  assert.deepEqual(nodeFigures({ name: "gone", labels: {} }), []);
});

test("map: badges say cordoned, not ready, no such node, and count the taints with each in the title", () => {
  const n = fixtureNode("m", { unschedulable: true, ready: "False", taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }, { key: "dedicated", value: "gpu", effect: "NoSchedule" }] });
  assert.deepEqual(
    nodeBadges(n).map((b) => [b.text, b.kind, b.title]),
    [
      ["SchedulingDisabled", "warn", "Cordoned: spec.unschedulable is true"],
      ["NotReady", "bad", "The Ready condition is False"],
      ["2 taints", "taint", "node-role.kubernetes.io/control-plane:NoSchedule\ndedicated=gpu:NoSchedule"],
    ],
  );
  assert.deepEqual(nodeBadges({ name: "x", missing: true, labels: {}, taints: [] }).map((b) => b.text), ["no such node"]);
  assert.deepEqual(nodeBadges(fixtureNode("ok")), []);
});

test("map: group-by keys put the zone first and leave out a label unique to each node", () => {
  const nodes = [
    fixtureNode("a", { zone: "z1" }),
    fixtureNode("b", { zone: "z1" }),
    fixtureNode("c", { zone: "z2" }),
  ];
  nodes[0].labels = { ...nodes[0].labels, "node.kubernetes.io/instance-type": "m5.large", pool: "p1" };
  nodes[1].labels = { ...nodes[1].labels, pool: "p1" };
  assert.deepEqual(labelKeys(nodes), ["topology.kubernetes.io/zone", "node.kubernetes.io/instance-type", "pool"]);
});

test("map: nodes grouped by a label in natural order, those without it last; no label, one group", () => {
  const rows = ["n1", "n2", "n3", "n4"].map((name, i) => ({ node: fixtureNode(name, { zone: [undefined, "zone-10", "zone-9", "zone-10"][i] }), cells: new Map() }));
  const groups = groupRows(rows, "topology.kubernetes.io/zone");
  assert.deepEqual(
    groups.map((g) => [g.value, g.title, g.rows.map((r) => r.node.name)]),
    [
      ["zone-9", "topology.kubernetes.io/zone=zone-9", ["n3"]],
      ["zone-10", "topology.kubernetes.io/zone=zone-10", ["n2", "n4"]],
      [null, "no topology.kubernetes.io/zone label", ["n1"]],
    ],
  );
  assert.deepEqual(groupRows(rows, "").map((g) => [g.title, g.rows.length]), [["all nodes", 4]]);
});

test("map: Pending pods in lanes by the scheduler's message, the most crowded first", () => {
  const msg = (m) => ({ conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: m }] });
  const pods = [
    fixturePod("a", undefined, "ReplicaSet/web", "Pending", msg("0/3 nodes are available: 3 Insufficient cpu.")),
    fixturePod("b", undefined, "ReplicaSet/web", "Pending", msg("0/3 nodes are available: 1 node(s) had untolerated taint.")),
    fixturePod("c", undefined, "ReplicaSet/web", "Pending", msg("0/3 nodes are available: 3 Insufficient cpu.")),
    fixturePod("d", "n1"),
  ];
  const lanes = pendingLanes(pods, {});
  assert.deepEqual(
    lanes.map((l) => [l.message, l.reason, l.pods.map((p) => p.metadata.name)]),
    [
      ["0/3 nodes are available: 3 Insufficient cpu.", "Unschedulable", ["a", "c"]],
      ["0/3 nodes are available: 1 node(s) had untolerated taint.", "Unschedulable", ["b"]],
    ],
  );
});

test("map: the real node-name plan: the Pending lane carries the scheduler's message; nodes grouped, with their pods", () => {
  const s = summaryOf("node-name");
  const map = buildMap(s, { groupBy: "" });
  assert.equal(map.dense, false);
  assert.equal(map.lanes.length, 1);
  assert.match(map.lanes[0].message, /^0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) were unschedulable\./);
  assert.deepEqual(map.lanes[0].pods.map((p) => p.metadata.name), ["too-big"]);
  assert.deepEqual(map.groups[0].rows.map((r) => [r.node.name, [...r.cells.values()].flat().map((p) => p.metadata.name)]), [
    ["worker-1", ["nginx-scheduled"]],
    ["worker-2", ["nginx"]],
  ]);
  // With the engine's figures (the plan's `nodes`), each node's bars are exactly its entry.
  for (const row of map.groups[0].rows) {
    const entry = (s.planNodes ?? []).find((n) => n.name === row.node.name);
    if (!entry) continue;
    const [cpu, memory, pods] = nodeFigures(row.node);
    assert.deepEqual([cpu.requested, cpu.allocatable], [entry.requested.milliCpu, entry.allocatable.milliCpu]);
    assert.deepEqual([memory.requested, memory.allocatable], [entry.requested.memory, entry.allocatable.memory]);
    assert.deepEqual([pods.requested, pods.allocatable], [entry.requested.pods, entry.allocatable.pods]);
  }
});

test("map: dense from DENSE_AT nodes, a filter and only-used narrowing what is shown", () => {
  const nodes = Array.from({ length: DENSE_AT }, (_, i) => fixtureNode(`node-${String(i).padStart(4, "0")}`, { zone: `z${i % 3}` }));
  const pods = [fixturePod("p1", "node-0001"), fixturePod("p2", "node-0002", "ReplicaSet/web")];
  const s = { nodes, pods, workloads: [] };
  assert.equal(buildMap(s).dense, true);
  assert.deepEqual(buildMap(s).groups.map((g) => [g.value, g.rows.length]), [["z0", 334], ["z1", 333], ["z2", 333]]);
  const narrow = buildMap(s, { filter: "node-00" });
  assert.equal(narrow.dense, false);
  assert.equal(narrow.shown, 100);
  assert.equal(buildMap(s, { onlyUsed: true }).shown, 2);
  // Colour values: the requested share of a resource, or whether the node has a pod of a workload.
  const row = buildMap(s).groups[1].rows.find((r) => r.node.name === "node-0001");
  assert.equal(heatValue(row, "cpu"), 1500 / 8000);
  assert.equal(heatValue(row, "workload:DaemonSet/default/agent"), 1);
  assert.equal(heatValue(row, "workload:ReplicaSet/default/web"), 0);
  assert.equal(heatValue({ node: { name: "x" }, cells: new Map() }, "memory"), null);
  // Colour steps: nothing requested is its own step; anything more is at least the first tenth.
  assert.deepEqual([0, 0.0125, 0.1, 0.1001, 0.5, 1, 1.2].map((v) => heatStep(v, "cpu")), [0, 1, 1, 2, 5, 10, 11]);
  assert.deepEqual([null, 1, 0].map((v) => heatStep(v, "workload:x")), [12, 13, 14]);
});

test("heat map: every cell is found where it is drawn, and the arrow keys walk the groups", () => {
  const layout = heatLayout([7, 0, 3, 10], { width: 50, cell: 8, gap: 2, header: 18 });
  assert.equal(layout.cols, 5); // 5 cells of 8 + 4 gaps of 2 = 48 ≤ 50
  assert.equal(layout.total, 20);
  for (let i = 0; i < layout.total; i++) {
    const r = cellRect(layout, i);
    assert.equal(cellAt(layout, r.x + 4, r.y + 4), i, `cell ${i}`);
    assert.equal(cellAt(layout, r.x + 9, r.y + 4), -1, `the gap after cell ${i}`);
  }
  assert.equal(cellAt(layout, 2, 2), -1); // a title line
  assert.equal(cellAt(layout, 2 * 10 + 1, layout.groups[0].top + 10 + 1), -1); // past the first group's 7th cell
  // Group 0 holds cells 0-6 in two lines (0-4, 5-6); group 1 is empty; group 2 cells 7-9; group 3 cells 10-19.
  assert.equal(moveCell(layout, 0, "ArrowDown"), 5);
  assert.equal(moveCell(layout, 3, "ArrowDown"), 6); // no cell below: the group's last
  assert.equal(moveCell(layout, 6, "ArrowDown"), 8); // into the next non-empty group, same column
  assert.equal(moveCell(layout, 8, "ArrowUp"), 6);
  assert.equal(moveCell(layout, 9, "ArrowDown"), 12);
  assert.equal(moveCell(layout, 12, "ArrowUp"), 9);
  assert.equal(moveCell(layout, 19, "ArrowDown"), 19);
  assert.equal(moveCell(layout, 0, "ArrowUp"), 0);
  assert.equal(moveCell(layout, 6, "ArrowRight"), 7);
  assert.equal(moveCell(layout, 0, "ArrowLeft"), 0);
  assert.equal(moveCell(layout, 9, "End"), 19);
  assert.equal(moveCell(layout, 9, "Home"), 0);
});

// ------------------------------------------------------------------ the map as a picture (map-picture.ts)

import { boxesPicture, heatPicture, fit, flow, wrap } from "../src/map-picture.ts";

/** A theme whose colours say their names, and text as wide as a monospace font's (0.6 of its size a character). */
const theme = (name) => `c-${name}`;
const measure = (text, font) => text.length * font.size * 0.6;

/** Every shape of a picture with the groups (`data`) it is in, outermost first. */
function flatten(shapes, within = []) {
  return shapes.flatMap((s) => (s.type === "group" ? [{ shape: s, within }, ...flatten(s.shapes, [...within, s.data])] : [{ shape: s, within }]));
}
const inside = (r, box) => r.x >= box.x - 0.01 && r.y >= box.y - 0.01 && r.x + r.width <= box.x + box.width + 0.01 && r.y + r.height <= box.y + box.height + 0.01;
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test("map picture: a box per node with exactly its pods' chips, inside it; boxes apart, in the picture; the Pending lane first", () => {
  const s = summaryOf("node-name");
  const map = buildMap(s, { groupBy: "" });
  const picture = boxesPicture({ groups: map.groups, lanes: map.lanes, columns: map.columns, width: 474, laneChips: 200 }, theme, measure);
  const all = flatten(picture.shapes);
  const nodes = all.filter((x) => x.shape.type === "group" && x.shape.data.node);
  assert.deepEqual(nodes.map((x) => x.shape.data.node), ["worker-1", "worker-2"]);
  const frames = nodes.map((x) => x.shape.shapes[0]);
  for (const [i, n] of nodes.entries()) {
    const frame = frames[i];
    assert.equal(frame.type, "rect");
    assert.ok(inside(frame, { x: 0, y: 0, width: picture.width, height: picture.height }), `${n.shape.data.node}'s box in the picture`);
    // Its name is written in it, its pods are chips in it, and nothing of it is outside it.
    const own = flatten(n.shape.shapes);
    assert.ok(own.some((x) => x.shape.type === "text" && x.shape.text === n.shape.data.node));
    for (const x of own) if (x.shape.type === "rect") assert.ok(inside(x.shape, frame), `${JSON.stringify(x.shape)} inside ${n.shape.data.node}'s box`);
    const pods = own.filter((x) => x.shape.type === "group").map((x) => x.shape.data.pod);
    const row = map.groups[0].rows.find((r) => r.node.name === n.shape.data.node);
    assert.deepEqual(pods, [...row.cells.values()].flat().map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  }
  assert.ok(!overlap(frames[0], frames[1]), "the boxes do not overlap");
  // worker-2 is cordoned: a dashed box on the subtle colour, with its badge.
  assert.deepEqual([frames[1].dashed, frames[1].fill], [true, "c-subtle"]);
  assert.ok(flatten(nodes[1].shape.shapes).some((x) => x.shape.type === "text" && x.shape.text === "SchedulingDisabled"));
  // The Pending lane above the boxes: the scheduler's message, word for word over its lines, and the pod's chip.
  const lane = all.find((x) => x.shape.type === "group" && x.shape.data.reason !== undefined).shape;
  const laneShapes = flatten(lane.shapes);
  assert.equal(laneShapes.filter((x) => x.shape.type === "text").map((x) => x.shape.text).slice(0, -1).join(" "), map.lanes[0].message);
  assert.deepEqual(laneShapes.filter((x) => x.shape.type === "group").map((x) => x.shape.data.pod), ["default/too-big"]);
  assert.ok(laneShapes.every((x) => x.shape.type !== "rect" || x.shape.y + x.shape.height < frames[0].y));
  assert.equal(picture.background, "c-panel");
});

test("map picture: many nodes make a picture about as tall as wide, each box in a line of its group", () => {
  const nodes = Array.from({ length: 200 }, (_, i) => fixtureNode(`node-${String(i).padStart(3, "0")}`, { zone: `z${i % 2}` }));
  const map = buildMap({ nodes, pods: [], workloads: [] });
  const picture = boxesPicture({ groups: map.groups, lanes: map.lanes, columns: map.columns, width: 474, laneChips: 200 }, theme, measure);
  assert.ok(picture.width > 474 && picture.height / picture.width > 0.5 && picture.height / picture.width < 2, `${picture.width} × ${picture.height}`);
  const groups = picture.shapes.filter((s) => s.type === "group");
  assert.deepEqual(groups.map((g) => g.data.group), ["z0", "z1"]);
  const frames = groups.flatMap((g) => g.shapes.filter((s) => s.type === "group").map((b) => b.shapes[0]));
  assert.equal(frames.length, 200);
  for (let i = 1; i < frames.length; i++) assert.ok(!overlap(frames[i - 1], frames[i]));
});

test("map picture: the heat map, one square per node where the canvas paints it, a red corner on the cordoned", () => {
  const nodes = Array.from({ length: 30 }, (_, i) => fixtureNode(`n-${String(i).padStart(2, "0")}`, { zone: `z${i % 2}`, unschedulable: i === 7 }));
  const map = buildMap({ nodes, pods: [], workloads: [] });
  const layout = heatLayout(map.groups.map((g) => g.rows.length), { width: 100, cell: 12, gap: 2, header: 18 });
  const picture = heatPicture({ groups: map.groups, layout, width: 100, colour: (i) => `cell-${i}` }, theme);
  const cells = flatten(picture.shapes).filter((x) => x.shape.type === "group" && x.shape.data.node).map((x) => x.shape);
  assert.deepEqual(cells.map((c) => c.data.node), map.groups.flatMap((g) => g.rows.map((r) => r.node.name)));
  cells.forEach((c, i) => {
    const [square, corner] = c.shapes;
    assert.deepEqual({ x: square.x, y: square.y }, { x: cellRect(layout, i).x, y: cellRect(layout, i).y });
    assert.equal(cellAt(layout, square.x + 6, square.y + 6), i, c.data.node);
    assert.equal(square.fill, `cell-${i}`);
    assert.equal(corner?.fill, c.data.node === "n-07" ? "c-bad" : undefined);
  });
  assert.deepEqual([picture.width, picture.height], [100, layout.height]);
});

test("map picture: text cut to fit with an ellipsis, wrapped between words, items flowed into lines", () => {
  const font = { family: "mono", size: 10 }; // 6 px a character
  assert.equal(fit("short", font, 60, measure), "short");
  assert.equal(fit("a-rather-long-name", font, 60, measure), "a-rather-…");
  assert.deepEqual(wrap("one two three four", font, 60, measure), ["one two", "three four"]);
  assert.deepEqual(wrap("abcdefghijklmnop qr", font, 36, measure), ["abcdef", "ghijkl", "mnop", "qr"]);
  assert.deepEqual(wrap("line one\nline two", font, 600, measure), ["line one", "line two"]);
  assert.deepEqual(flow([{ width: 40 }, { width: 40 }, { width: 40 }], 90, 5).map(({ x, line }) => [x, line]), [[0, 0], [45, 0], [0, 1]]);
});

test("a stalled rollout's reasons: pods stuck for the same cause said once, with how many others; other causes each", () => {
  const pending = (pod, m) => ({ reason: "PodPending", pod, schedulerMessage: m, message: `pod ${pod} is Pending: ${m}` });
  const full = "0/2 nodes are available: 2 Insufficient cpu.";
  const port = { reason: "HostPortConflict", pod: "c", message: "pod c cannot start: host port 80/TCP is held by old-a", hostPort: "80/TCP" };
  assert.deepEqual(stallReasonLines([pending("a", full), port, pending("b", full), pending("d", full)]), [
    "pod a is Pending: 0/2 nodes are available: 2 Insufficient cpu. (and 2 other pods alike)",
    "pod c cannot start: host port 80/TCP is held by old-a",
  ]);
  assert.deepEqual(stallReasonLines([pending("a", full), pending("b", full)]), ["pod a is Pending: 0/2 nodes are available: 2 Insufficient cpu. (and 1 other pod alike)"]);
  assert.deepEqual(stallReasonLines([pending("a", full), pending("b", "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.")]).length, 2);
  assert.deepEqual(stallReasonLines([]), []);
});
