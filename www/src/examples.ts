// The example menu. The YAML is bundled as text by esbuild (loader ".yaml": "text"): the repository's examples/
// for the DaemonSet articles, www/examples/ for their neighbours. Each example has the two editors' texts and,
// where it has phases after the initial one, `update` (applied as --update) and `steps` (as --steps).

import nodeExporterNodes from "../../examples/node-exporter/cluster.yaml";
import nodeExporterManifests from "../../examples/node-exporter/node-exporter.yaml";
import fluentdNodes from "../../examples/fluentd-elasticsearch/cluster.yaml";
import fluentdManifests from "../../examples/fluentd-elasticsearch/fluentd-elasticsearch.yaml";
import fluentdNoTolManifests from "../examples/fluentd-no-toleration/manifests.yaml";
import hdfsNodes from "../../examples/hdfs-namenode/cluster.yaml";
import hdfsManifests from "../../examples/hdfs-namenode/hdfs-namenode.yaml";
import rollNodes from "../examples/ds-set-image-rollback/nodes.yaml";
import rollManifests from "../examples/ds-set-image-rollback/manifests.yaml";
import rollSteps from "../examples/ds-set-image-rollback/steps.yaml";
import onDeleteNodes from "../examples/ds-ondelete/nodes.yaml";
import onDeleteManifests from "../examples/ds-ondelete/manifests.yaml";
import onDeleteUpdate from "../examples/ds-ondelete/update.yaml";
import onDeleteSteps from "../examples/ds-ondelete/steps.yaml";
import stsNodes from "../examples/nginx-statefulset/nodes.yaml";
import stsManifests from "../examples/nginx-statefulset/manifests.yaml";
import jobNodes from "../examples/job-completions/nodes.yaml";
import jobManifests from "../examples/job-completions/manifests.yaml";
import schedNodes from "../examples/second-scheduler/nodes.yaml";
import schedManifests from "../examples/second-scheduler/manifests.yaml";
import binPackingNodes from "../../examples/bin-packing/cluster.yaml";
import binPackingScheduler from "../../examples/bin-packing/scheduler.yaml";
import binPackingWorkloads from "../../examples/bin-packing/workloads.yaml";
import nodeNameNodes from "../examples/node-name/nodes.yaml";
import nodeNameManifests from "../examples/node-name/manifests.yaml";

/** A cluster of `count` nodes in four zones, every 10th tainted for GPUs and every 25th cordoned, as YAML. */
export function generatedNodes(count: number): string {
  const lines = [`# ${count} generated nodes in 4 zones; every 10th is tainted dedicated=gpu:NoSchedule, every 25th cordoned.`];
  const zones = ["zone-a", "zone-b", "zone-c", "zone-d"];
  for (let i = 1; i <= count; i++) {
    const name = `node-${String(i).padStart(4, "0")}`;
    const zone = zones[(i - 1) % zones.length];
    const taints: string[] = [];
    let spec = "";
    if (i % 10 === 0) taints.push("{key: dedicated, value: gpu, effect: NoSchedule}");
    if (i % 25 === 0) taints.push("{key: node.kubernetes.io/unschedulable, effect: NoSchedule}");
    if (taints.length || i % 25 === 0) {
      spec = `, spec: {${i % 25 === 0 ? "unschedulable: true, " : ""}taints: [${taints.join(", ")}]}`;
    }
    if (i > 1) lines.push("---");
    lines.push(
      `{apiVersion: v1, kind: Node, metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}, kubernetes.io/os: linux, topology.kubernetes.io/zone: ${zone}}}${spec}, ` +
        `status: {capacity: {cpu: "8", memory: 32Gi, pods: "110"}, conditions: [{type: Ready, status: "True"}]}}`,
    );
  }
  return lines.join("\n") + "\n";
}

const largeManifests = `# A log agent on every node that tolerates nothing, and a web Deployment spread over the zones.
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: log-agent}
  template:
    metadata:
      labels: {app: log-agent}
    spec:
      containers:
      - name: agent
        image: fluent/fluent-bit:3.1
        resources:
          requests: {cpu: 100m, memory: 128Mi}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 40
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels: {app: web}
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests: {cpu: 500m, memory: 256Mi}
`;

/** An example: the editors' texts (update, steps and scheduler only where it has them). */
export interface Example {
  /** Stable: tests and the `#example=` fragment use it. */
  id: string;
  title: string;
  description: string;
  manifests: string;
  nodes: string;
  update?: string;
  steps?: string;
  scheduler?: string;
}

/** The 1,000 generated nodes, made when the example is first chosen. */
let largeNodes: string | undefined;

/** The menu, in order. */
export const EXAMPLES: readonly [Example, ...Example[]] = [
  {
    id: "node-exporter",
    title: "node-exporter, cordoned master",
    description:
      "The Prometheus node exporter as a DaemonSet (host network, host port 9100) on a cluster whose master is cordoned and tainted: no pod for the master.",
    manifests: nodeExporterManifests,
    nodes: nodeExporterNodes,
  },
  {
    id: "fluentd-toleration",
    title: "fluentd-elasticsearch, with the master toleration",
    description: "The documentation's logging DaemonSet with its control-plane tolerations: a pod on every node, control plane included.",
    manifests: fluentdManifests,
    nodes: fluentdNodes,
  },
  {
    id: "fluentd-no-toleration",
    title: "fluentd-elasticsearch, without the toleration",
    description: "The same DaemonSet with the tolerations removed: the control-plane node gets no pod.",
    manifests: fluentdNoTolManifests,
    nodes: fluentdNodes,
  },
  {
    id: "hdfs-namenode",
    title: "HDFS NameNode on host: high-cpu nodes",
    description: "A DaemonSet with nodeSelector host: high-cpu: pods only on the two labelled nodes.",
    manifests: hdfsManifests,
    nodes: hdfsNodes,
  },
  {
    id: "ds-set-image-rollback",
    title: "DaemonSet: kubectl set image, then rollout undo",
    description:
      "A rolling update node by node (maxUnavailable 1) after kubectl set image, then kubectl rollout undo back to the first revision. Step through the rounds in the timeline.",
    manifests: rollManifests,
    nodes: rollNodes,
    steps: rollSteps,
  },
  {
    id: "ds-ondelete",
    title: "DaemonSet OnDelete update",
    description: "A new template with updateStrategy OnDelete changes nothing until a pod is deleted; the pod on node-02 comes back with the new image.",
    manifests: onDeleteManifests,
    nodes: onDeleteNodes,
    update: onDeleteUpdate,
    steps: onDeleteSteps,
  },
  {
    id: "nginx-statefulset",
    title: "nginx StatefulSet with its headless Service",
    description: "web-0, web-1, web-2 created in order, each once the one before is Running and Ready.",
    manifests: stsManifests,
    nodes: stsNodes,
  },
  {
    id: "job-completions",
    title: "Job with completions 5, parallelism 2",
    description: "Two pods at a time until five have succeeded.",
    manifests: jobManifests,
    nodes: jobNodes,
  },
  {
    id: "second-scheduler",
    title: "A pod for a second scheduler",
    description: "schedulerName: my-scheduler: no profile of the scheduler has that name, so it leaves the pod alone and the pod stays Pending with no message.",
    manifests: schedManifests,
    nodes: schedNodes,
  },
  {
    id: "bin-packing",
    title: "Bin packing with a second scheduler profile",
    description: "A KubeSchedulerConfiguration in the Scheduler tab: the web Deployment is spread by the default profile, the render Job is packed by bin-packing-scheduler (MostAllocated).",
    manifests: binPackingWorkloads,
    nodes: binPackingNodes,
    scheduler: binPackingScheduler,
  },
  {
    id: "node-name",
    title: "A pod with nodeName set by hand",
    description: "nodeName bypasses the scheduler: the pod runs on the cordoned node; the scheduled one goes to worker-1, and one asking for 3 CPUs stays Pending with the scheduler's message.",
    manifests: nodeNameManifests,
    nodes: nodeNameNodes,
  },
  {
    id: "large-1000",
    title: "1,000 nodes: DaemonSet and a zone-spread Deployment",
    description: "A generated cluster of 1,000 nodes in 4 zones; 100 tainted, 40 cordoned.",
    manifests: largeManifests,
    get nodes() {
      return (largeNodes ??= generatedNodes(1000));
    },
  },
];

export function exampleById(id: string): Example | null {
  return EXAMPLES.find((e) => e.id === id) ?? null;
}
