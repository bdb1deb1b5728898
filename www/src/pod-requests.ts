// Each pod's requests as the engine counts them, for the timeline's bars: a round's figures are its bound pods'
// requests added up (model.ts roundNodes), as the plan's `nodes` are the final state's. The page counts no request
// itself (`PodRequests`: the containers' and sidecars' requests, or an init container's in flight if more, plus
// the overhead; quantities rounded as the scheduler rounds them): the worker asks the engine. Each distinct
// request (the resources of a pod's containers and init containers, its runtime class) is planned once, a pod of
// it bound to a node of its own, and that node's figures in the engine's `nodes` are the pod's requests. A plan of
// 10,000 pods has a handful of them.
//
// A pod a round shows may be gone from the plan's `pods` (a rollout replaced it): its requests are its workload's
// when every pod of the workload in the plan asks the same and every template the workload had (as stored in each
// phase, and its ControllerRevisions) asks the same.

import { planJson } from "kubeplan";
import type { Amounts, Container, ControllerRevision, PlanDocument, Pod, PodSpec } from "kubeplan";
import { BARE, podWorkload, wkey } from "./model.ts";
import type { PodRequests } from "./protocol.ts";


/** The resources part of a container, under a made-up name and image (the requests depend on nothing else). */
const bare = (c: Container, name: string): Container => ({
  name,
  image: "requests",
  resources: { requests: c.resources?.requests, limits: c.resources?.limits },
  ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
});

/** What a pod's requests depend on: a pod spec holding only that (still valid: limits kept, names made up). */
function requestSpec(spec: PodSpec | undefined): PodSpec {
  return {
    containers: (spec?.containers ?? []).map((c, i) => bare(c, `c${i}`)),
    initContainers: (spec?.initContainers ?? []).map((c, i) => bare(c, `i${i}`)),
    ...(spec?.runtimeClassName ? { runtimeClassName: spec.runtimeClassName } : {}),
  };
}

const isObject = (o: unknown): o is Record<string, unknown> => typeof o === "object" && o !== null;

/** A stored workload's pod template spec, if the object is a workload (`spec.template.spec`). */
function templateSpec(o: unknown): PodSpec | undefined {
  const spec = isObject(o) && isObject(o.spec) ? o.spec : undefined;
  const template = spec && isObject(spec.template) ? spec.template : undefined;
  // Stored by the engine: a workload's template is a PodTemplateSpec.
  return template && isObject(template.spec) ? (template.spec as PodSpec) : undefined;
}

/** The keys of the request specs each workload's templates had: as stored in each phase, and its revisions. */
function templateKeys(doc: PlanDocument): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  const add = (workload: string, spec: PodSpec | undefined) => {
    if (!spec) return;
    const key = JSON.stringify(requestSpec(spec));
    keys.set(workload, (keys.get(workload) ?? new Set()).add(key));
  };
  for (const { object: o } of doc.defaultedObjects ?? []) {
    if (isObject(o) && isObject(o.metadata) && typeof o.kind === "string") add(wkey(o.kind, String(o.metadata.namespace ?? "default"), String(o.metadata.name ?? "")), templateSpec(o));
  }
  for (const rev of doc.controllerRevisions ?? []) add(revisionOwner(rev), templateSpec(rev.data));
  return keys;
}

function revisionOwner(rev: ControllerRevision): string {
  const ref = (rev.metadata?.ownerReferences ?? []).find((r) => r.controller);
  return ref ? wkey(ref.kind ?? "", rev.metadata?.namespace ?? "default", ref.name ?? "") : "";
}

const NODE_PREFIX = "requests-";

/** A stored RuntimeClass as an input again: its handler and overhead, under its name (stored objects have no apiVersion). */
function runtimeClass(o: unknown): unknown[] {
  if (!isObject(o) || o.kind !== "RuntimeClass" || !isObject(o.metadata)) return [];
  return [{ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: o.metadata.name }, handler: o.handler, overhead: o.overhead }];
}

/** One node and one pod bound to it per request spec, and the input's RuntimeClasses (they set the overhead). */
function specsInput(specs: readonly PodSpec[], doc: PlanDocument): string {
  const docs = (doc.defaultedObjects ?? []).flatMap((d) => runtimeClass(d.object));
  specs.forEach((spec, i) => {
    const node = `${NODE_PREFIX}${i}`;
    docs.push({ apiVersion: "v1", kind: "Node", metadata: { name: node }, status: { capacity: { cpu: "1000000", memory: "1Ei", pods: "110" } } });
    docs.push({ apiVersion: "v1", kind: "Pod", metadata: { name: `pod-${i}`, namespace: "default" }, spec: { ...spec, nodeName: node } });
  });
  return docs.map((d) => JSON.stringify(d)).join("\n---\n");
}

/** The engine's figures for one pod of each spec (null where its node counts no pod: the engine refused it). */
function planSpecs(specs: readonly PodSpec[], doc: PlanDocument): (Amounts | null)[] {
  if (!specs.length) return [];
  const text = planJson(specsInput(specs, doc)).text;
  const nodes: PlanDocument["nodes"] = text === null ? [] : (JSON.parse(text) as PlanDocument).nodes;
  const figures = new Map(nodes.map((n) => [n.name, n.requested]));
  return specs.map((_, i) => {
    const requested = figures.get(`${NODE_PREFIX}${i}`);
    return requested?.pods === 1 ? requested : null;
  });
}

/** Each pod's requests in `doc` (its `pods`), and each workload's whose pods and templates all ask the same. */
export function podRequests(doc: PlanDocument | null): PodRequests {
  if (!doc) return { shapes: [], ofPod: [], ofWorkload: {} };
  const index = new Map<string, number>();
  const specs: PodSpec[] = [];
  const shapeOf = (pod: Pod) => {
    const spec = requestSpec(pod.spec);
    const key = JSON.stringify(spec);
    let i = index.get(key);
    if (i === undefined) {
      i = specs.push(spec) - 1;
      index.set(key, i);
    }
    return i;
  };
  const pods = doc.pods ?? [];
  const ofPod = pods.map(shapeOf);
  // A workload's pods, and the templates it had: one request spec among them all, or its pods' differ.
  const workloadOf = podWorkload(doc.workloads);
  const shapesOf = new Map<string, Set<number>>();
  pods.forEach((p, i) => {
    const workload = workloadOf({ metadata: { name: p.metadata?.name ?? "", namespace: p.metadata?.namespace ?? "", ownerReferences: p.metadata?.ownerReferences } });
    shapesOf.set(workload, (shapesOf.get(workload) ?? new Set()).add(ofPod[i] ?? -1));
  });
  const templates = templateKeys(doc);
  const ofWorkload: Record<string, number> = {};
  for (const [workload, shapes] of shapesOf) {
    // One template (as far as requests go) made every pod of the workload, those gone included: they were
    // admitted alike (a LimitRange's defaults come in at the pod), so they ask what the pods still here ask.
    const [shape] = shapes;
    if (workload !== BARE && shapes.size === 1 && shape !== undefined && templates.get(workload)?.size === 1) ofWorkload[workload] = shape;
  }
  return { shapes: planSpecs(specs, doc), ofPod, ofWorkload };
}
