// Paths and tools the tests share.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const repoDir = resolve(pkgDir, "..");
export const cli = join(pkgDir, "bin", "kubeplan.mjs");

/** The native binary to compare with: $KUBEPLAN_NATIVE, else target/release/kubeplan. */
export function nativeBinary() {
  const p = process.env.KUBEPLAN_NATIVE || join(repoDir, "target", "release", "kubeplan");
  return existsSync(p) ? p : null;
}

/** The conformance cases: $KUBEPLAN_CASES, else shared/ beside the repository (or beside its worktree folder). */
export function casesDir() {
  const candidates = [
    process.env.KUBEPLAN_CASES,
    join(repoDir, "..", "shared", "conformance", "cases"),
    join(repoDir, "..", "..", "shared", "conformance", "cases"),
  ].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Every conformance case folder, as `[name, dir]`: the public cases, then those of the new categories (`new/`
 * beside `cases/`), which kubeplan does not all pass yet.
 */
export function conformanceCases() {
  const cases = casesDir();
  if (!cases) return [];
  const listed = (dir, prefix) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((c) => existsSync(join(dir, c, "input.yaml")))
          .sort()
          .map((c) => [prefix + c, join(dir, c)])
      : [];
  return [...listed(cases, ""), ...listed(join(cases, "..", "new"), "new/")];
}

export const NODES = `apiVersion: v1
kind: Node
metadata:
  name: worker-a
  labels: {kubernetes.io/hostname: worker-a, topology.kubernetes.io/zone: z1}
status:
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
  conditions: [{type: Ready, status: "True"}]
---
apiVersion: v1
kind: Node
metadata:
  name: worker-b
  labels: {kubernetes.io/hostname: worker-b, topology.kubernetes.io/zone: z2}
spec:
  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
status:
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
  conditions: [{type: Ready, status: "True"}]
`;

export const DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: agent:1, resources: {requests: {cpu: 100m}}}]
`;

export const REJECTED = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: other}}
    spec:
      containers: [{name: web, image: web:1}]
`;
