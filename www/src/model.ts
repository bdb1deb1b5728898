// What the page draws, derived from the plan (no DOM here, so Node tests can check it): the grid's columns
// (top-level workloads), its cells (pods per node and workload), the Pending pods with their messages, the
// `kubectl get` rows, and the timeline's frames replayed from `steps`.

export const BARE = "Pod/(no controller)";

/** A taint as kubectl prints it: `key=value:effect`, or `key:effect` without a value. */
export function taintText(t) {
  return `${t.key}${t.value ? "=" + t.value : ""}:${t.effect}`;
}

/** `Kind/namespace/name` of a workload. */
export const wkey = (kind, namespace, name) => `${kind}/${namespace}/${name}`;

/** ReplicaSets owned by a Deployment map to the Deployment; everything else to itself. */
function ownerResolver(workloads) {
  const up = new Map();
  for (const w of workloads ?? []) {
    if (w.ownerKind && w.ownerName) up.set(wkey(w.kind, w.namespace, w.name), wkey(w.ownerKind, w.namespace, w.ownerName));
  }
  return (key) => {
    let k = key;
    for (let i = 0; i < 4 && up.has(k); i++) k = up.get(k);
    return k;
  };
}

function podOwnerKey(pod) {
  const ref = (pod.metadata?.ownerReferences ?? []).find((r) => r.controller) ?? pod.metadata?.ownerReferences?.[0];
  return ref ? wkey(ref.kind, pod.metadata.namespace ?? "default", ref.name) : BARE;
}

/** The state a pod is shown in: Running, Pending, Succeeded, Failed, Terminating. */
export function podState(pod) {
  if (pod.metadata?.deletionTimestamp) return "Terminating";
  const phase = pod.status?.phase || "Pending";
  return phase;
}

/**
 * The scheduler's message for a pod left Pending, exactly as its PodScheduled condition carries it. Without one,
 * why the scheduler left it alone: no profile of its configuration (`schedulerConfiguration`, the plan's
 * effective KubeSchedulerConfiguration; the default configuration's one profile when absent) has its name.
 */
export function pendingMessage(pod, placements, schedulerConfiguration) {
  const cond = (pod.status?.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
  if (cond?.message) return { message: cond.message, reason: cond.reason ?? "", fromScheduler: true };
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const last = [...(placements ?? [])].reverse().find((p) => p.pod === key && p.message);
  if (last) return { message: last.message, reason: "Unschedulable", fromScheduler: true };
  const sched = pod.spec?.schedulerName || "default-scheduler";
  const profiles = (schedulerConfiguration?.profiles ?? [{ schedulerName: "default-scheduler" }]).map((p) => p.schedulerName);
  if (!profiles.includes(sched)) {
    return {
      message: `No message: spec.schedulerName is ${sched}, and no profile of the scheduler has that name (${profiles.join(", ")}); it leaves the pod alone.`,
      reason: "",
      fromScheduler: false,
    };
  }
  return { message: "Not scheduled yet.", reason: "", fromScheduler: false };
}

/**
 * The grid: `{columns: [{key, kind, namespace, name}], rows: [{node, cells: Map(columnKey → pods[])}], pending:
 * Map(columnKey → pods[])}`. Rows follow the node list (name order); pods on a node that is not in the list (a
 * nodeName naming no node) get a row of their own, marked missing.
 */
export function buildGrid(summary, pods = summary?.pods ?? []) {
  const top = ownerResolver(summary?.workloads);
  const columns = new Map();
  for (const w of summary?.workloads ?? []) {
    const k = top(wkey(w.kind, w.namespace, w.name));
    if (!columns.has(k)) {
      const [kind, namespace, name] = k.split("/");
      columns.set(k, { key: k, kind, namespace, name });
    }
  }
  const nodes = [...(summary?.nodes ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rowOf = new Map(nodes.map((n) => [n.name, { node: n, cells: new Map() }]));
  const pending = new Map();
  for (const pod of pods) {
    let col = top(podOwnerKey(pod));
    if (!columns.has(col)) {
      const [kind, namespace, name] = col === BARE ? ["Pod", "", "(no controller)"] : col.split("/");
      columns.set(col, { key: col, kind, namespace, name });
    }
    const nodeName = pod.spec?.nodeName;
    let cells;
    if (!nodeName) {
      cells = pending;
    } else {
      if (!rowOf.has(nodeName)) rowOf.set(nodeName, { node: { name: nodeName, missing: true, labels: {}, taints: [] }, cells: new Map() });
      cells = rowOf.get(nodeName).cells;
    }
    if (!cells.has(col)) cells.set(col, []);
    cells.get(col).push(pod);
  }
  // Bare pods last; workloads in kind order as kubectl get lists them, then namespace/name.
  const order = { DaemonSet: 0, Deployment: 1, ReplicaSet: 2, StatefulSet: 3, Job: 4, Pod: 9 };
  const cols = [...columns.values()].sort(
    (a, b) => (order[a.kind] ?? 5) - (order[b.kind] ?? 5) || (a.namespace + "/" + a.name).localeCompare(b.namespace + "/" + b.name),
  );
  const rows = [...rowOf.values()].sort((a, b) => (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0));
  return { columns: cols, rows, pending };
}

/** The `kubectl get` tables, as kubeplan's table output prints them (no AGE: a plan has no clock). */
export function statusTables(summary) {
  const ds = [];
  const deploy = [];
  const rs = [];
  const sts = [];
  const jobs = [];
  const specs = summary?.workloadSpecs ?? {};
  for (const w of summary?.workloads ?? []) {
    const s = w.status ?? {};
    const spec = specs[wkey(w.kind, w.namespace, w.name)] ?? {};
    const n = (v) => String(v ?? 0);
    if (w.kind === "DaemonSet") {
      ds.push([w.namespace, `daemonset.apps/${w.name}`, n(s.desiredNumberScheduled), n(s.currentNumberScheduled), n(s.numberReady), n(s.updatedNumberScheduled), n(s.numberAvailable), spec.nodeSelector || "<none>"]);
    } else if (w.kind === "Deployment") {
      deploy.push([w.namespace, `deployment.apps/${w.name}`, `${n(s.readyReplicas)}/${w.specReplicas ?? 1}`, n(s.updatedReplicas), n(s.availableReplicas)]);
    } else if (w.kind === "ReplicaSet") {
      rs.push([w.namespace, `replicaset.apps/${w.name}`, String(w.specReplicas ?? 1), n(s.replicas), n(s.readyReplicas)]);
    } else if (w.kind === "StatefulSet") {
      sts.push([w.namespace, `statefulset.apps/${w.name}`, `${n(s.readyReplicas)}/${w.specReplicas ?? 1}`]);
    } else if (w.kind === "Job") {
      const conds = s.conditions ?? [];
      const done = conds.some((c) => c.type === "Complete" && c.status === "True");
      const failed = conds.some((c) => c.type === "Failed" && c.status === "True");
      jobs.push([w.namespace, `job.batch/${w.name}`, done ? "Complete" : failed ? "Failed" : "Running", `${n(s.succeeded)}/${spec.completions ?? 1}`]);
    }
  }
  return [
    { title: "kubectl get ds", header: ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR"], rows: ds },
    { title: "kubectl get deploy", header: ["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE"], rows: deploy },
    { title: "kubectl get rs", header: ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY"], rows: rs },
    { title: "kubectl get sts", header: ["NAMESPACE", "NAME", "READY"], rows: sts },
    { title: "kubectl get jobs", header: ["NAMESPACE", "NAME", "STATUS", "COMPLETIONS"], rows: jobs },
  ].filter((t) => t.rows.length);
}

/** kubectl's tabwriter: columns padded to the widest cell plus three spaces. */
export function tabwrite(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c] ?? "").length)));
  return all.map((r) => r.map((cell, c) => (c + 1 < r.length ? String(cell).padEnd(widths[c] + 3) : String(cell))).join("").trimEnd()).join("\n");
}

/**
 * The timeline's frames: one per (phase, round) in `steps`, each with the pods as they stand after it, replayed
 * from the actions (create, bind, running, succeeded, delete). `rollout` lines (kubectl rollout status after each
 * round) and `stalls`, when the plan has them, are attached to their frame.
 */
export function timelineFrames(summary) {
  const frames = [];
  const pods = new Map(); // ns/name → pod-like object the grid can draw
  const rollout = summary?.rollout ?? [];
  const stalls = summary?.stalls ?? [];
  for (const step of summary?.steps ?? []) {
    for (const a of step.actions ?? []) {
      if (a.kind !== "Pod") continue;
      const key = `${a.namespace}/${a.name}`;
      if (a.op === "delete") {
        pods.delete(key);
        continue;
      }
      let p = pods.get(key);
      if (!p) {
        const [ownerKind, ownerName] = (a.owner ?? "").split("/");
        p = {
          metadata: {
            name: a.name,
            namespace: a.namespace,
            ownerReferences: a.owner ? [{ kind: ownerKind, name: ownerName, controller: true }] : [],
          },
          spec: {},
          status: { phase: "Pending" },
        };
        pods.set(key, p);
      }
      p = { ...p, spec: { ...p.spec }, status: { ...p.status } };
      if (a.node) p.spec.nodeName = a.node;
      if (a.op === "running") p.status.phase = "Running";
      if (a.op === "succeeded") p.status.phase = "Succeeded";
      if (a.op === "failed") p.status.phase = "Failed";
      pods.set(key, p);
    }
    frames.push({
      phase: step.phase,
      round: step.round,
      actions: step.actions ?? [],
      pods: [...pods.values()],
      rollout: rollout.filter((r) => r.phase === step.phase && r.round === step.round),
      stalls: stalls.filter((s) => s.phase === step.phase && s.round === step.round),
    });
  }
  return frames;
}
