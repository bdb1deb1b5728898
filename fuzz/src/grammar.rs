//! A grammar of clusters for `plan_grammar`: what the fuzzer's bytes choose, rendered as the YAML a user would
//! write. Counts are bounded (a few nodes, a few workloads, a few replicas each) so that one execution stays
//! fast; names come from small pools so that selectors, owners, priority classes and steps meet.

use std::fmt::Write;

use arbitrary::{Arbitrary, Result, Unstructured};

/// A bounded list: at most `N` items.
#[derive(Debug)]
pub struct Few<T, const N: usize>(pub Vec<T>);

impl<'a, T: Arbitrary<'a>, const N: usize> Arbitrary<'a> for Few<T, N> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let n = u.int_in_range(0..=N)?;
        (0..n).map(|_| T::arbitrary(u)).collect::<Result<Vec<T>>>().map(Few)
    }
}

#[derive(Arbitrary, Debug)]
pub struct Scenario {
    nodes: Few<NodeSpec, 6>,
    objects: Few<Object, 6>,
    update: Option<Few<Object, 3>>,
    steps: Option<Few<Step, 4>>,
}

impl Scenario {
    pub fn manifests(&self) -> String {
        let mut docs: Vec<String> = self.nodes.0.iter().enumerate().map(|(i, n)| n.render(i)).collect();
        docs.extend(self.objects.0.iter().map(Object::render));
        docs.join("---\n")
    }

    pub fn update(&self) -> Option<String> {
        self.update.as_ref().map(|u| u.0.iter().map(Object::render).collect::<Vec<_>>().join("---\n"))
    }

    pub fn steps(&self) -> Option<String> {
        self.steps.as_ref().map(|s| s.0.iter().map(Step::render).collect())
    }
}

/// A quantity: ordinary ones most of the time, and the edges of Go's int64 arithmetic.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Quantity {
    Milli(u16),
    Units(u8),
    Binary(u8),
    Edge(u8),
}

impl Quantity {
    fn render(self) -> String {
        const EDGES: [&str; 10] =
            ["'0'", "null", "'1e17'", "'9223372036854775807'", "'16Ei'", "'-1'", "'0.5'", "'1e-9'", "'100Mi'", "'1.5'"];
        match self {
            Quantity::Milli(m) => format!("'{m}m'"),
            Quantity::Units(u) => format!("'{u}'"),
            Quantity::Binary(b) => format!("'{b}Gi'"),
            Quantity::Edge(e) => EDGES[e as usize % EDGES.len()].to_owned(),
        }
    }
}

const KEYS: [&str; 4] = ["zone", "tier", "kubernetes.io/hostname", "example.com/gpu"];
const VALUES: [&str; 4] = ["a", "b", "n0", "true"];

#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Label(u8, u8);

impl Label {
    fn key(self) -> &'static str {
        KEYS[self.0 as usize % KEYS.len()]
    }
    fn value(self) -> &'static str {
        VALUES[self.1 as usize % VALUES.len()]
    }
}

fn labels(ls: &[Label]) -> String {
    let items: Vec<String> = ls.iter().map(|l| format!("{}: '{}'", l.key(), l.value())).collect();
    format!("{{{}}}", items.join(", "))
}

#[derive(Arbitrary, Debug)]
pub struct Taint {
    label: Label,
    effect: u8,
}

const EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

#[derive(Arbitrary, Debug)]
pub struct NodeSpec {
    cpu: Quantity,
    memory: Quantity,
    pods: u8,
    labels: Few<Label, 3>,
    taints: Few<Taint, 2>,
    unschedulable: bool,
    not_ready: bool,
}

impl NodeSpec {
    fn render(&self, i: usize) -> String {
        let mut s = format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: n{i}\n  labels: {}\nspec:\n", labels(&self.labels.0));
        if self.unschedulable {
            s.push_str("  unschedulable: true\n");
        }
        if !self.taints.0.is_empty() {
            s.push_str("  taints:\n");
            for t in &self.taints.0 {
                let effect = EFFECTS[t.effect as usize % EFFECTS.len()];
                let _ = writeln!(s, "  - {{key: '{}', value: '{}', effect: {effect}}}", t.label.key(), t.label.value());
            }
        }
        let status = if self.not_ready { "'False'" } else { "'True'" };
        let _ = write!(
            s,
            "status:\n  capacity: {{cpu: {}, memory: {}, pods: '{}'}}\n  conditions: [{{type: Ready, status: {status}}}]\n",
            self.cpu.render(),
            self.memory.render(),
            self.pods % 12
        );
        s
    }
}

#[derive(Arbitrary, Debug)]
pub struct Toleration {
    label: Label,
    exists: bool,
    effect: Option<u8>,
}

#[derive(Arbitrary, Debug)]
pub struct Template {
    cpu: Option<Quantity>,
    memory: Option<Quantity>,
    image: u8,
    node_selector: Few<Label, 2>,
    tolerations: Few<Toleration, 2>,
    required_affinity: Option<Label>,
    preferred_affinity: Option<Label>,
    anti_affinity: bool,
    spread: Option<(u8, bool)>,
    priority_class: Option<u8>,
    host_port: Option<u8>,
    restart_never: bool,
}

impl Template {
    fn render(&self, app: &str, indent: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{indent}metadata:\n{indent}  labels: {{app: {app}}}\n{indent}spec:");
        let p = format!("{indent}  ");
        if self.restart_never {
            let _ = writeln!(s, "{p}restartPolicy: Never");
        }
        if !self.node_selector.0.is_empty() {
            let _ = writeln!(s, "{p}nodeSelector: {}", labels(&self.node_selector.0));
        }
        if let Some(pc) = self.priority_class {
            let _ = writeln!(s, "{p}priorityClassName: pc{}", pc % 3);
        }
        if !self.tolerations.0.is_empty() {
            let _ = writeln!(s, "{p}tolerations:");
            for t in &self.tolerations.0 {
                let op = if t.exists { "operator: Exists".to_owned() } else { format!("value: '{}'", t.label.value()) };
                let effect = t.effect.map(|e| format!(", effect: {}", EFFECTS[e as usize % EFFECTS.len()])).unwrap_or_default();
                let _ = writeln!(s, "{p}- {{key: '{}', {op}{effect}}}", t.label.key());
            }
        }
        self.render_affinity(&mut s, app, &p);
        if let Some((skew, hard)) = self.spread {
            let when = if hard { "DoNotSchedule" } else { "ScheduleAnyway" };
            let _ = writeln!(
                s,
                "{p}topologySpreadConstraints: [{{maxSkew: {}, topologyKey: zone, whenUnsatisfiable: {when}, labelSelector: {{matchLabels: {{app: {app}}}}}}}]",
                skew % 3
            );
        }
        let image = ["busybox:1.36", "busybox:1.37", "nginx"][self.image as usize % 3];
        let _ = writeln!(s, "{p}containers:\n{p}- name: c\n{p}  image: {image}");
        if self.cpu.is_some() || self.memory.is_some() {
            let mut r = Vec::new();
            if let Some(c) = self.cpu {
                r.push(format!("cpu: {}", c.render()));
            }
            if let Some(m) = self.memory {
                r.push(format!("memory: {}", m.render()));
            }
            let _ = writeln!(s, "{p}  resources: {{requests: {{{}}}}}", r.join(", "));
        }
        if let Some(port) = self.host_port {
            let _ = writeln!(s, "{p}  ports: [{{containerPort: 80, hostPort: {}}}]", 8000 + u16::from(port % 3));
        }
        s
    }

    fn render_affinity(&self, s: &mut String, app: &str, p: &str) {
        if self.required_affinity.is_none() && self.preferred_affinity.is_none() && !self.anti_affinity {
            return;
        }
        let _ = writeln!(s, "{p}affinity:");
        if self.required_affinity.is_some() || self.preferred_affinity.is_some() {
            let _ = writeln!(s, "{p}  nodeAffinity:");
            if let Some(l) = self.required_affinity {
                let _ = writeln!(
                    s,
                    "{p}    requiredDuringSchedulingIgnoredDuringExecution: {{nodeSelectorTerms: [{{matchExpressions: [{{key: '{}', operator: In, values: ['{}']}}]}}]}}",
                    l.key(),
                    l.value()
                );
            }
            if let Some(l) = self.preferred_affinity {
                let _ = writeln!(
                    s,
                    "{p}    preferredDuringSchedulingIgnoredDuringExecution: [{{weight: 10, preference: {{matchExpressions: [{{key: '{}', operator: Exists}}]}}}}]",
                    l.key()
                );
            }
        }
        if self.anti_affinity {
            let _ = writeln!(
                s,
                "{p}  podAntiAffinity: {{requiredDuringSchedulingIgnoredDuringExecution: [{{topologyKey: kubernetes.io/hostname, labelSelector: {{matchLabels: {{app: {app}}}}}}}]}}"
            );
        }
    }
}

#[derive(Arbitrary, Debug)]
pub enum Object {
    Deployment { name: u8, replicas: u8, template: Template, recreate: bool, surge: u8, unavailable: u8 },
    DaemonSet { name: u8, template: Template, surge: u8, unavailable: u8 },
    StatefulSet { name: u8, replicas: u8, template: Template, parallel: bool },
    ReplicaSet { name: u8, replicas: u8, template: Template },
    Job { name: u8, completions: u8, parallelism: u8, template: Template },
    Pod { name: u8, template: Template, node: Option<u8> },
    PriorityClass { name: u8, value: i32, preempt: bool },
    Namespace { name: u8 },
}

impl Object {
    fn render(&self) -> String {
        match self {
            Object::Deployment { name, replicas, template, recreate, surge, unavailable } => {
                let strategy = if *recreate {
                    "  strategy: {type: Recreate}\n".to_owned()
                } else {
                    format!("  strategy: {{rollingUpdate: {{maxSurge: {}, maxUnavailable: {}}}}}\n", surge % 3, unavailable % 3)
                };
                workload("apps/v1", "Deployment", &format!("d{}", name % 3), Some(*replicas % 8), &strategy, template)
            }
            Object::DaemonSet { name, template, surge, unavailable } => {
                let strategy = format!(
                    "  updateStrategy: {{rollingUpdate: {{maxSurge: {}, maxUnavailable: {}}}}}\n",
                    surge % 2,
                    1 - surge % 2 + unavailable % 2
                );
                workload("apps/v1", "DaemonSet", &format!("ds{}", name % 2), None, &strategy, template)
            }
            Object::StatefulSet { name, replicas, template, parallel } => {
                let policy = if *parallel { "Parallel" } else { "OrderedReady" };
                let extra = format!("  serviceName: s\n  podManagementPolicy: {policy}\n");
                workload("apps/v1", "StatefulSet", &format!("ss{}", name % 2), Some(*replicas % 6), &extra, template)
            }
            Object::ReplicaSet { name, replicas, template } => {
                workload("apps/v1", "ReplicaSet", &format!("rs{}", name % 2), Some(*replicas % 8), "", template)
            }
            Object::Job { name, completions, parallelism, template } => {
                let extra = format!("  completions: {}\n  parallelism: {}\n", completions % 6, parallelism % 4);
                let mut s = format!("apiVersion: batch/v1\nkind: Job\nmetadata: {{name: j{}}}\nspec:\n{extra}  template:\n", name % 2);
                s.push_str(&template.render(&format!("j{}", name % 2), "    "));
                s
            }
            Object::Pod { name, template, node } => {
                let mut s = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{}\n", name % 4);
                let body = template.render(&format!("p{}", name % 4), "");
                // The template's `metadata:` line is the pod's own; its labels go under the pod's metadata.
                s.push_str(body.trim_start_matches("metadata:\n"));
                if let Some(n) = node {
                    let _ = writeln!(s, "  nodeName: n{}", n % 6);
                }
                s
            }
            Object::PriorityClass { name, value, preempt } => {
                let policy = if *preempt { "PreemptLowerPriority" } else { "Never" };
                format!(
                    "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {{name: pc{}}}\nvalue: {}\npreemptionPolicy: {policy}\n",
                    name % 3,
                    value % 2_000_000_000
                )
            }
            Object::Namespace { name } => format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: ns{}}}\n", name % 2),
        }
    }
}

fn workload(api: &str, kind: &str, name: &str, replicas: Option<u8>, extra: &str, template: &Template) -> String {
    let mut s = format!("apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}}}\nspec:\n");
    if let Some(r) = replicas {
        let _ = writeln!(s, "  replicas: {r}");
    }
    s.push_str(extra);
    let _ = write!(s, "  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n");
    s.push_str(&template.render(name, "    "));
    s
}

#[derive(Arbitrary, Debug)]
pub enum Step {
    DeletePod { owner: u8, node: u8 },
    DeleteNode { node: u8 },
    DeleteObject { kind: u8, name: u8, orphan: bool },
    LabelNode { node: u8, label: Label, remove: bool },
    SetImage { kind: u8, name: u8, image: u8 },
    RollbackTo { kind: u8, name: u8, revision: u8 },
}

const KINDS: [(&str, &str); 3] = [("Deployment", "d"), ("DaemonSet", "ds"), ("StatefulSet", "ss")];

impl Step {
    fn render(&self) -> String {
        let named = |kind: u8, name: u8| {
            let (k, prefix) = KINDS[kind as usize % KINDS.len()];
            (k, format!("{prefix}{}", name % 2))
        };
        match self {
            Step::DeletePod { owner, node } => {
                let (_, owner) = named(*owner, *owner >> 2);
                format!("- {{action: deletePod, owner: {owner}, node: n{}}}\n", node % 6)
            }
            Step::DeleteNode { node } => format!("- {{action: deleteNode, name: n{}}}\n", node % 6),
            Step::DeleteObject { kind, name, orphan } => {
                let (k, n) = named(*kind, *name);
                let propagation = if *orphan { ", propagation: Orphan" } else { "" };
                format!("- {{action: deleteObject, kind: {k}, name: {n}{propagation}}}\n")
            }
            Step::LabelNode { node, label, remove } => {
                let value = if *remove { "null".to_owned() } else { format!("'{}'", label.value()) };
                format!("- {{action: labelNode, name: n{}, labels: {{'{}': {value}}}}}\n", node % 6, label.key())
            }
            Step::SetImage { kind, name, image } => {
                let (k, n) = named(*kind, *name);
                format!("- {{action: setImage, kind: {k}, name: {n}, container: c, image: 'img:{}'}}\n", image % 3)
            }
            Step::RollbackTo { kind, name, revision } => {
                let (k, n) = named(*kind, *name);
                format!("- {{action: rollbackTo, kind: {k}, name: {n}, revision: {}}}\n", revision % 4)
            }
        }
    }
}
