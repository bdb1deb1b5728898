// A timeline round's figures (model.ts roundNodes) from the pods' requests as the engine counts them
// (pod-requests.ts): at the last round they are the engine's `nodes` figures, field for field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { planJson } from "kubeplan";
import { importBundled } from "./helpers.mjs";
import { podRequests } from "../src/pod-requests.ts";
import { roundNodes, roundRequests, timelineFrames } from "../src/model.ts";

const { EXAMPLES } = await importBundled("examples.ts");
const { buildRequest } = await importBundled("input.ts");

/** The plan of `texts`, and its nodes and pods as the worker's summary has them (names, figures, phases). */
function planned(texts) {
  const doc = JSON.parse(planJson(buildRequest(texts).request).text);
  const figures = new Map(doc.nodes.map((n) => [n.name, n]));
  const nodes = doc.defaultedObjects
    .filter((d) => d.object.kind === "Node")
    .map((d) => ({ name: d.object.metadata.name, labels: {}, taints: [], unschedulable: false, ready: "True", resources: { allocatable: figures.get(d.object.metadata.name).allocatable, requested: figures.get(d.object.metadata.name).requested } }));
  const pods = doc.pods.map((p) => ({ metadata: { name: p.metadata.name, namespace: p.metadata.namespace, ownerReferences: p.metadata.ownerReferences }, spec: { nodeName: p.spec.nodeName }, status: { phase: p.status.phase } }));
  return { doc, nodes, summary: { pods, workloads: doc.workloads } };
}

const figuresOf = (nodes) => Object.fromEntries(nodes.map((n) => [n.name, n.resources.requested]));
const engineFigures = (doc) => Object.fromEntries(doc.nodes.map((n) => [n.name, n.requested]));

test("the final pods' requests added up are the engine's figures: init containers, sidecars, overhead, extended resources", () => {
  const nodesText = ["a", "b", "c"].map((n) => `{apiVersion: v1, kind: Node, metadata: {name: ${n}}, status: {capacity: {cpu: "16", memory: 64Gi, pods: "110", example.com/dongle: "8"}}}`).join("\n---\n");
  const container = (name, requests, extra = "") => `{name: ${name}, image: x, resources: {requests: ${requests}, limits: ${requests}}${extra}}`;
  const manifests = [
    `{apiVersion: node.k8s.io/v1, kind: RuntimeClass, metadata: {name: sandboxed}, handler: runsc, overhead: {podFixed: {cpu: 250m, memory: 120Mi}}}`,
    // An init container asking more than the containers: the pod asks the init container's.
    `{apiVersion: v1, kind: Pod, metadata: {name: init-big}, spec: {nodeName: a, initContainers: [${container("i", "{cpu: '2', memory: 1Gi}")}], containers: [${container("c", "{cpu: 500m, memory: 256Mi}")}]}}`,
    // A sidecar (restartPolicy Always) adds to the containers and to the init containers after it.
    `{apiVersion: v1, kind: Pod, metadata: {name: sidecar}, spec: {nodeName: a, initContainers: [${container("s", "{cpu: 100m, memory: 64Mi}", ", restartPolicy: Always")}, ${container("i", "{cpu: 1500m, memory: 100Mi}")}], containers: [${container("c", "{cpu: 300m, memory: 1.5Gi}")}]}}`,
    // The runtime class's overhead on top.
    `{apiVersion: v1, kind: Pod, metadata: {name: overhead}, spec: {nodeName: b, runtimeClassName: sandboxed, containers: [${container("c", "{cpu: 1m, memory: '1000'}")}]}}`,
    // An extended resource, and a container asking nothing.
    `{apiVersion: v1, kind: Pod, metadata: {name: dongle}, spec: {nodeName: b, containers: [${container("c", "{example.com/dongle: '3', cpu: 0.1}")}, {name: idle, image: x}]}}`,
  ].join("\n---\n");
  const { doc, nodes, summary } = planned({ manifests, nodes: nodesText });
  assert.equal(doc.pods.length, 4, JSON.stringify(doc.rejections ?? doc.diagnostics));
  const requests = roundRequests(summary, podRequests(doc));
  const round = roundNodes(nodes, summary.pods, requests);
  assert.ok(round.every((n) => n.atRound));
  assert.deepEqual(figuresOf(round), engineFigures(doc));
  assert.ok(engineFigures(doc).b.scalar?.["example.com/dongle"] === 3 && engineFigures(doc).a.milliCpu > 2000, JSON.stringify(engineFigures(doc)));
});

for (const id of ["job-completions", "ds-set-image-rollback", "ds-ondelete", "bin-packing"]) {
  test(`${id}: every round's figures known; the last round's are the engine's; the first round's are its own pods'`, () => {
    const ex = EXAMPLES.find((e) => e.id === id);
    const { doc, nodes, summary } = planned({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update, steps: ex.steps });
    const requests = roundRequests(summary, podRequests(doc));
    const frames = timelineFrames(doc);
    const rounds = frames.map((f) => roundNodes(nodes, f.pods, requests));
    assert.ok(rounds.every((r) => r.every((n) => n.atRound)), "every round's figures known");
    assert.deepEqual(figuresOf(rounds.at(-1)), engineFigures(doc));
    // The first round: as many pods counted on each node as it has bound there, not ended.
    const first = frames[0].pods.filter((p) => p.spec.nodeName && !["Succeeded", "Failed"].includes(p.status.phase));
    for (const n of rounds[0]) assert.equal(n.resources.requested.pods, first.filter((p) => p.spec.nodeName === n.name).length, n.name);
  });
}

test("a pod whose requests are not known leaves its node's final figures, said so", () => {
  const ex = EXAMPLES.find((e) => e.id === "ds-set-image-rollback");
  const { doc, nodes, summary } = planned({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update, steps: ex.steps });
  const answer = podRequests(doc);
  const requests = roundRequests(summary, { ...answer, ofWorkload: {} }); // the pods gone by the final state unknown
  const rounds = timelineFrames(doc).map((f) => roundNodes(nodes, f.pods, requests));
  const unknown = rounds.flat().filter((n) => !n.atRound);
  assert.ok(unknown.length > 0);
  for (const n of unknown) assert.deepEqual(n.resources.requested, engineFigures(doc)[n.name]);
});
