// What every bundled page does once the engine is loading: plan one node and one pod, and leave the outcome
// where the test reads it.
export async function show(loading, plan) {
  try {
    await loading;
    const { plan: doc, errors } = plan(MANIFESTS);
    globalThis.kubeplanResult = { pods: doc?.pods.map((p) => `${p.metadata.name} on ${p.spec.nodeName}`), errors };
  } catch (e) {
    globalThis.kubeplanResult = { error: e instanceof Error ? e.message : String(e) };
  }
}

const MANIFESTS = `apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {allocatable: {cpu: "2", memory: 4Gi, pods: "110"}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  containers: [{name: web, image: nginx, resources: {requests: {cpu: 100m}}}]
`;
