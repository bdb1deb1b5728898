//! Validation rules of the Kubernetes v1.32 API server, one or two manifests per rule, with the exact messages
//! the Go code produces (`pkg/apis/*/validation`).

use crate::validation_util;

use kubeplan::api::Object;
use kubeplan::apiserver::validation::{self, invalid_message, ErrorKind, FieldError};
use validation_util::{errors, message, object};

/// A DaemonSet whose pod spec is `spec` (indented under `spec.template.spec`).
fn ds(spec: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {{app: agent}}\n  template:\n    metadata:\n      labels: {{app: agent}}\n    spec:\n{}",
        indent(spec, 6)
    )
}

fn indent(s: &str, n: usize) -> String {
    s.lines().map(|l| format!("{}{l}\n", " ".repeat(n))).collect()
}

const C: &str = "containers:\n- name: c\n  image: busybox:1.36\n";

fn one(yaml: &str) -> String {
    let e = errors(yaml);
    assert_eq!(e.len(), 1, "expected one error, got {e:#?}");
    e[0].clone()
}

const DNS_SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

#[test]
fn a_valid_daemonset_has_no_errors() {
    assert!(errors(&ds(C)).is_empty());
}

// ---- names ----

#[test]
fn object_names_are_dns_subdomains() {
    let y = ds(C).replace("name: agent\nspec", "name: Agent_1\nspec");
    assert_eq!(one(&y), format!("metadata.name: Invalid value: \"Agent_1\": {DNS_SUBDOMAIN}"));
    // The API server generates the name before validating; the prefix may end with a dash.
    let y = ds(C).replace("  name: agent\n", "  generateName: agent-\n  name: agent-bbbbb\n");
    assert!(errors(&y).is_empty(), "a generateName may end with a dash");
    let y = ds(C).replace("  name: agent\n", "  generateName: Agent-\n  name: agent-bbbbb\n");
    assert_eq!(one(&y), format!("metadata.generateName: Invalid value: \"Agent-\": {DNS_SUBDOMAIN}"));
    let y = ds(C).replace("  name: agent\n", "  labels: {}\n");
    assert_eq!(one(&y), "metadata.name: Required value: name or generateName is required");
}

#[test]
fn statefulset_names_are_dns_labels() {
    let y = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web.v1}\nspec:\n  selector: {matchLabels: {app: web}}\n  serviceName: web\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: nginx}]\n";
    assert_eq!(one(y), "metadata.name: Invalid value: \"web.v1\": must not contain dots");
}

#[test]
fn container_names_and_images() {
    let y = ds("containers:\n- name: Main\n  image: busybox\n- name: side\n- name: side\n  image: x\n");
    assert_eq!(
        errors(&y),
        vec![
            format!("spec.template.spec.containers[0].name: Invalid value: \"Main\": {DNS_LABEL}"),
            "spec.template.spec.containers[1].image: Required value".to_owned(),
            "spec.template.spec.containers[2].name: Duplicate value: \"side\"".to_owned(),
        ]
    );
}

#[test]
fn pod_spec_names() {
    let y = ds(&format!("{C}nodeName: Node_1\npriorityClassName: High\nserviceAccountName: a..b\nhostname: a.b\n"));
    assert_eq!(
        errors(&y),
        vec![
            format!("spec.template.spec.serviceAccountName: Invalid value: \"a..b\": {DNS_SUBDOMAIN}"),
            format!("spec.template.spec.nodeName: Invalid value: \"Node_1\": {DNS_SUBDOMAIN}"),
            "spec.template.spec.hostname: Invalid value: \"a.b\": must not contain dots".to_owned(),
            format!("spec.template.spec.priorityClassName: Invalid value: \"High\": {DNS_SUBDOMAIN}"),
        ]
    );
}

// ---- labels, annotations, selectors ----

#[test]
fn labels_keys_and_values() {
    let y = ds(C).replace("name: agent\nspec", "name: agent\n  labels: {\"-x\": ok, \"a/b/c\": v, tier: \"bad value\"}\nspec");
    assert_eq!(
        errors(&y),
        vec![
            format!("metadata.labels: Invalid value: \"-x\": {NAME_PART}"),
            "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".to_owned(),
            format!("metadata.labels: Invalid value: \"bad value\": {LABEL_VALUE}"),
        ]
    );
}

#[test]
fn template_labels_are_reported_at_template_labels() {
    let y = ds(C).replace("labels: {app: agent}\n    spec", "labels: {app: agent, v: \"x y\"}\n    spec");
    assert_eq!(one(&y), format!("spec.template.labels: Invalid value: \"x y\": {LABEL_VALUE}"));
}

#[test]
fn annotation_keys_and_size() {
    let y = ds(C).replace("name: agent\nspec", "name: agent\n  annotations: {\"example.com/Ok\": a, \"bad key\": b}\nspec");
    assert_eq!(one(&y), format!("metadata.annotations: Invalid value: \"bad key\": {NAME_PART}"));
    let big = "x".repeat(256 * 1024);
    let y = ds(C).replace("name: agent\nspec", &format!("name: agent\n  annotations: {{a: {big}}}\nspec"));
    assert_eq!(one(&y), "metadata.annotations: Too long: may not be more than 262144 bytes");
}

#[test]
fn selector_must_match_template_labels() {
    let y = ds(C).replace("matchLabels: {app: agent}", "matchLabels: {app: other}");
    assert_eq!(
        one(&y),
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"agent\"}: `selector` does not match template `labels`"
    );
}

#[test]
fn empty_selector_prints_as_written() {
    let y = ds(C).replace("selector:\n    matchLabels: {app: agent}", "selector:\n    matchLabels: {}");
    assert_eq!(
        message(&y).unwrap(),
        "DaemonSet.apps \"agent\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset"
    );
    let y = ds(C).replace("selector:\n    matchLabels: {app: agent}", "selector: {}");
    assert_eq!(
        message(&y).unwrap(),
        "DaemonSet.apps \"agent\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset"
    );
}

#[test]
fn selector_expressions() {
    let y = ds(C).replace(
        "matchLabels: {app: agent}",
        "matchLabels: {app: agent}\n    matchExpressions:\n    - {key: tier, operator: In}\n    - {key: zone, operator: Exists, values: [a]}\n    - {key: x, operator: Near, values: [a]}",
    );
    assert_eq!(
        errors(&y),
        vec![
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            "spec.selector.matchExpressions[2].operator: Invalid value: \"Near\": not a valid selector operator",
        ]
    );
}

#[test]
fn deployment_without_selector() {
    let y = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: nginx}]\n";
    assert_eq!(
        message(y).unwrap(),
        "Deployment.apps \"web\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`]"
    );
}

// ---- containers, ports ----

#[test]
fn restart_policies() {
    assert_eq!(
        one(&ds(&format!("{C}restartPolicy: Never\n"))),
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
    );
    let e = errors(&ds(&format!("{C}restartPolicy: Sometimes\n")));
    assert_eq!(
        e,
        vec![
            "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\"",
        ]
    );
    assert_eq!(
        one(&ds("containers:\n- name: c\n  image: x\n  restartPolicy: Always\n")),
        "spec.template.spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"
    );
    assert_eq!(
        one(&ds(&format!("{C}initContainers:\n- name: i\n  image: x\n  restartPolicy: OnFailure\n"))),
        "spec.template.spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""
    );
    assert_eq!(
        one(&ds(&format!("{C}activeDeadlineSeconds: 10\n"))),
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"
    );
}

#[test]
fn container_ports() {
    let y = ds("containers:\n- name: c\n  image: x\n  ports:\n  - {containerPort: 70000}\n  - {name: web, containerPort: 80, hostPort: -1, protocol: HTTP}\n  - {name: web, containerPort: 81}\n  - {name: Bad--, hostPort: 90}\n");
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.template.spec.containers[0].ports[1].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive",
            "spec.template.spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.template.spec.containers[0].ports[2].name: Duplicate value: \"web\"",
            "spec.template.spec.containers[0].ports[3].name: Invalid value: \"Bad--\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.template.spec.containers[0].ports[3].name: Invalid value: \"Bad--\": must not contain consecutive hyphens",
            "spec.template.spec.containers[0].ports[3].name: Invalid value: \"Bad--\": must not begin or end with a hyphen",
            "spec.template.spec.containers[0].ports[3].containerPort: Required value",
        ]
    );
}

#[test]
fn host_ports_are_unique_across_containers() {
    let y = ds("containers:\n- name: a\n  image: x\n  ports: [{containerPort: 80, hostPort: 80}]\n- name: b\n  image: x\n  ports: [{containerPort: 80, hostPort: 80}, {containerPort: 80, hostPort: 80, protocol: UDP}]\n");
    assert_eq!(one(&y), "spec.template.spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//80\"");
}

#[test]
fn host_network_ports() {
    let y = ds("hostNetwork: true\ncontainers:\n- name: a\n  image: x\n  ports: [{containerPort: 9100, hostPort: 9101}, {containerPort: 9200}]\n");
    assert_eq!(
        one(&y),
        "spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 9101: must match `containerPort` when `hostNetwork` is true"
    );
}

#[test]
fn environment_and_mounts() {
    // The first "cfg" volume is invalid and left out, so the second one is no duplicate and mounts find it.
    let y = ds("containers:\n- name: c\n  image: x\n  env:\n  - {name: \"\"}\n  - {name: A=B}\n  - name: C\n    value: x\n    valueFrom: {fieldRef: {fieldPath: status.phase}}\n  volumeMounts:\n  - {name: data, mountPath: /data}\n  - {name: cfg, mountPath: /data}\nvolumes:\n- name: cfg\n  configMap: {name: cfg, defaultMode: 1000}\n- name: cfg\n  emptyDir: {}\n");
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
            "spec.template.spec.containers[0].env[0].name: Required value",
            "spec.template.spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
            "spec.template.spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
            "spec.template.spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
            "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            "spec.template.spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique",
        ]
    );
}

#[test]
fn volumes_need_one_source() {
    let y = ds(&format!("{C}volumes:\n- name: a\n  hostPath: {{path: /x, type: Dir}}\n- name: b\n  emptyDir: {{}}\n  secret: {{secretName: s}}\n"));
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"",
            "spec.template.spec.volumes[1].secret: Forbidden: may not specify more than 1 volume type",
        ]
    );
}

#[test]
fn probes_and_pull_policy() {
    let y = ds("containers:\n- name: c\n  image: x\n  imagePullPolicy: Sometimes\n  livenessProbe: {successThreshold: 2, periodSeconds: -1}\n  readinessProbe:\n    tcpSocket: {port: 0}\n    terminationGracePeriodSeconds: 5\n");
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
            "spec.template.spec.containers[0].livenessProbe: Required value: must specify a handler type",
            "spec.template.spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.template.spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "spec.template.spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.template.spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes",
        ]
    );
}

// ---- resources ----

#[test]
fn requests_may_not_exceed_limits() {
    let y = ds("containers:\n- name: c\n  image: x\n  resources:\n    requests: {cpu: '2', memory: 1Gi}\n    limits: {cpu: '1', memory: 512Mi}\n");
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
            "spec.template.spec.containers[0].resources.requests: Invalid value: \"1Gi\": must be less than or equal to memory limit of 512Mi",
        ]
    );
}

#[test]
fn resource_names_and_quantities() {
    // An unprefixed name such as "gpu" is in the Kubernetes domain: it may be overcommitted, but is not a
    // container resource. Extended resources must be whole and requested exactly at their limit.
    let y = ds("containers:\n- name: c\n  image: x\n  resources:\n    requests: {cpu: '-1', gpu: '1', example.com/gpu: 500m, example.com/fpga: '1'}\n    limits: {example.com/gpu: '1'}\n");
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
            "spec.template.spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
            "spec.template.spec.containers[0].resources.requests[example.com/gpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"500m\", Format:\"DecimalSI\"}: must be an integer",
            "spec.template.spec.containers[0].resources.requests: Invalid value: \"500m\": must be equal to example.com/gpu limit of 1",
            "spec.template.spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
            "spec.template.spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
        ]
    );
}

#[test]
fn huge_pages_need_cpu_or_memory() {
    let y = ds("containers:\n- name: c\n  image: x\n  resources:\n    limits: {hugepages-2Mi: 3Mi}\n    requests: {hugepages-2Mi: 3Mi}\n");
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi",
            "spec.template.spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi",
            "spec.template.spec.containers[0].resources: Forbidden: HugePages require cpu or memory",
        ]
    );
}

// ---- tolerations ----

#[test]
fn tolerations() {
    let y = ds(&format!(
        "{C}tolerations:\n- {{operator: Equal, value: x}}\n- {{key: a, operator: Exists, value: x}}\n- {{key: a, operator: Like}}\n- {{key: a, effect: NoRun}}\n- {{key: a, operator: Exists, effect: NoSchedule, tolerationSeconds: 10}}\n- {{key: a, value: \"a b\"}}\n"
    ));
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"".to_owned(),
            "spec.template.spec.tolerations[1].operator: Invalid value: \"x\": value must be empty when `operator` is 'Exists'".to_owned(),
            "spec.template.spec.tolerations[2].operator: Unsupported value: \"Like\": supported values: \"Equal\", \"Exists\"".to_owned(),
            "spec.template.spec.tolerations[3].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"".to_owned(),
            "spec.template.spec.tolerations[4].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set".to_owned(),
            format!("spec.template.spec.tolerations[5].operator: Invalid value: \"a b\": {LABEL_VALUE}"),
        ]
    );
}

// ---- affinity, spread ----

#[test]
fn node_affinity() {
    let y = ds(&format!(
        "{C}affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {{key: zone, operator: In}}\n        - {{key: cpus, operator: Gt, values: ['1', '2']}}\n        - {{key: x, operator: Has}}\n        matchFields:\n        - {{key: metadata.name, operator: In, values: [a, b]}}\n        - {{key: spec.nodeName, operator: Exists}}\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 0\n      preference: {{matchExpressions: [{{key: a, operator: Exists}}]}}\n"
    ));
    let p = "spec.template.spec.affinity.nodeAffinity";
    let r = format!("{p}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]");
    assert_eq!(
        errors(&y),
        vec![
            format!("{r}.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"),
            format!("{r}.matchExpressions[1].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"),
            format!("{r}.matchExpressions[2].operator: Invalid value: \"Has\": not a valid selector operator"),
            format!("{r}.matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector"),
            format!("{r}.matchFields[1].operator: Invalid value: \"Exists\": not a valid selector operator"),
            format!("{r}.matchFields[1].key: Invalid value: \"spec.nodeName\": not a valid field selector key"),
            format!("{p}.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100"),
        ]
    );
    let y = ds(&format!("{C}affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms: []\n"));
    assert_eq!(
        one(&y),
        format!("{p}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term")
    );
}

#[test]
fn pod_anti_affinity_and_spread() {
    let y = ds(&format!(
        "{C}affinity:\n  podAntiAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n    - labelSelector: {{matchLabels: {{app: agent}}}}\n      topologyKey: \"\"\ntopologySpreadConstraints:\n- {{maxSkew: 0, topologyKey: zone, whenUnsatisfiable: Always}}\n- {{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}}\n- {{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, minDomains: 0}}\n"
    ));
    assert_eq!(
        errors(&y),
        vec![
            "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty".to_owned(),
            format!("spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must be non-empty"),
            format!("spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": {NAME_PART}"),
            "spec.template.spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero".to_owned(),
            "spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Always\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"".to_owned(),
            "spec.template.spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{zone, DoNotSchedule}\"".to_owned(),
            "spec.template.spec.topologySpreadConstraints[2].minDomains: Invalid value: 0: must be greater than zero".to_owned(),
        ]
    );
}

// ---- DaemonSet update strategy ----

fn ds_strategy(strategy: &str) -> String {
    ds(C).replace("  template:\n", &format!("  updateStrategy:\n{}  template:\n", indent(strategy, 4)))
}

#[test]
fn daemonset_rolling_update_parameters() {
    assert_eq!(
        one(&ds_strategy("type: RollingUpdate\nrollingUpdate: {maxUnavailable: 0, maxSurge: 0}\n")),
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
    );
    assert_eq!(
        one(&ds_strategy("type: RollingUpdate\nrollingUpdate: {maxUnavailable: 1, maxSurge: 1}\n")),
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero"
    );
    assert_eq!(
        errors(&ds_strategy("type: RollingUpdate\nrollingUpdate: {maxUnavailable: 150%, maxSurge: abc}\n")),
        vec![
            "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"abc\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%",
        ]
    );
    assert_eq!(
        one(&ds_strategy("type: RollingUpdate\nrollingUpdate: {maxUnavailable: -1}\n")),
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"
    );
    assert!(errors(&ds_strategy("type: OnDelete\n")).is_empty());
    assert_eq!(
        one(&ds_strategy("type: Rolling\n")),
        "spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Rolling\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\""
    );
}

// ---- Deployments ----

fn deploy(spec_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n{}  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: c, image: nginx}}]\n",
        indent(spec_extra, 2)
    )
}

#[test]
fn deployment_rules() {
    assert!(errors(&deploy("")).is_empty());
    assert_eq!(
        one(&deploy("strategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 0%}}\n")),
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"
    );
    assert_eq!(
        one(&deploy("strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n")),
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
    );
    assert_eq!(
        one(&deploy("minReadySeconds: 600\n")),
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"
    );
    assert_eq!(one(&deploy("replicas: -1\n")), "spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    assert_eq!(
        message(&deploy("selector: {matchLabels: {}}\n").replace("  selector: {matchLabels: {app: web}}\n", "")).unwrap(),
        "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
    );
}

// ---- StatefulSets ----

fn sts(extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  serviceName: db\n  selector: {{matchLabels: {{app: db}}}}\n{}  template:\n    metadata: {{labels: {{app: db}}}}\n    spec:\n      containers: [{{name: c, image: postgres}}]\n",
        indent(extra, 2)
    )
}

#[test]
fn statefulset_rules() {
    assert!(errors(&sts("")).is_empty());
    assert_eq!(
        one(&sts("podManagementPolicy: Ordered\n")),
        "spec.podManagementPolicy: Invalid value: \"Ordered\": must be 'OrderedReady' or 'Parallel'"
    );
    assert_eq!(
        one(&sts("updateStrategy: {type: OnDelete, rollingUpdate: {partition: 1}}\n")),
        "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"
    );
    assert_eq!(
        one(&sts("updateStrategy: {rollingUpdate: {partition: -1}}\n")),
        "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"
    );
    assert_eq!(
        one(&sts("persistentVolumeClaimRetentionPolicy: {whenDeleted: Keep, whenScaled: Retain}\n")),
        "spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\""
    );
    let y = sts("").replace("spec:\n      containers", "spec:\n      restartPolicy: OnFailure\n      containers");
    assert_eq!(one(&y), "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"");
    // The pod spec of a StatefulSet template is not validated beyond restartPolicy and activeDeadlineSeconds.
    let y = sts("").replace("containers: [{name: c, image: postgres}]", "containers: []");
    assert!(errors(&y).is_empty());
}

#[test]
fn statefulset_updates_may_only_change_some_fields() {
    let old = object(&sts(""));
    let new = object(&sts("replicas: 3\nminReadySeconds: 5\n").replace("image: postgres", "image: postgres:16"));
    assert!(validation::validate_update(&new, &old).is_empty());
    let new = object(&sts("").replace("serviceName: db", "serviceName: db2"));
    assert_eq!(
        msgs(validation::validate_update(&new, &old)),
        vec!["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]
    );
}

// ---- Jobs ----

fn job(extra: &str, pod_extra: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: pi}}\nspec:\n{}  template:\n    spec:\n      restartPolicy: Never\n{}      containers: [{{name: c, image: perl}}]\n",
        indent(extra, 2),
        indent(pod_extra, 6)
    )
}

#[test]
fn job_rules() {
    assert!(errors(&job("", "")).is_empty());
    let y = job("", "").replace("      restartPolicy: Never\n", "");
    assert_eq!(
        message(&y).unwrap(),
        "Job.batch \"pi\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
    );
    assert_eq!(
        errors(&job("", "").replace("restartPolicy: Never", "restartPolicy: Sometimes")),
        vec![
            "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\"",
        ]
    );
    assert_eq!(
        errors(&job("parallelism: -1\nbackoffLimit: -2\n", "")),
        vec![
            "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
            "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0",
        ]
    );
    assert_eq!(
        one(&job("completionMode: Indexed\ncompletions: null\nparallelism: 2\n", "")),
        "spec.completions: Required value: when completion mode is Indexed"
    );
    assert_eq!(
        one(&job("podFailurePolicy:\n  rules:\n  - action: FailJob\n    onExitCodes: {operator: In, values: [1]}\n", "").replace("Never", "OnFailure")),
        "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"
    );
    assert_eq!(
        errors(&job("podFailurePolicy:\n  rules:\n  - action: Retry\n    onExitCodes: {operator: In, values: [3, 0, 1]}\n", "")),
        vec![
            "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Retry\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
            "spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator",
            "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 0, 1}: must be ordered",
        ]
    );
}

#[test]
fn job_generated_selector_must_not_be_overridden() {
    let y = job("selector: {matchLabels: {batch.kubernetes.io/controller-uid: other}}\n", "");
    assert_eq!(
        errors(&y),
        vec![
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"other\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"uid-pi\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"uid-pi\", \"job-name\":\"pi\"}: `selector` does not match template `labels`",
        ]
    );
}

#[test]
fn job_updates_keep_the_template_and_completions() {
    let old = object(&job("", ""));
    let new = object(&job("completions: 3\n", "").replace("image: perl", "image: perl:5"));
    let e = msgs(validation::validate_update(&new, &old));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_eq!(e[0], "spec.completions: Invalid value: 3: field is immutable");
    assert!(e[1].starts_with("spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\""), "{}", e[1]);
    assert!(e[1].ends_with(": field is immutable"));
}

// ---- immutable fields on update ----

fn msgs(errs: Vec<FieldError>) -> Vec<String> {
    errs.iter().map(ToString::to_string).collect()
}

#[test]
fn selectors_are_immutable() {
    let old = object(&ds(C));
    let new = object(&ds(C).replace("{app: agent}", "{app: agent2}"));
    let errs = validation::validate_update(&new, &old);
    assert_eq!(
        invalid_message(&new, &errs),
        "DaemonSet.apps \"agent\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"agent2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    );
    assert_eq!(errs[0].kind, ErrorKind::Invalid);
    let old = object(&deploy(""));
    let new = object(&deploy("").replace("{app: web}", "{app: web, v: '2'}"));
    assert_eq!(
        msgs(validation::validate_update(&new, &old)),
        vec!["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"v\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]
    );
    // A new template is a normal update.
    let new = object(&ds(C).replace("busybox:1.36", "busybox:1.37"));
    assert!(validation::validate_update(&new, &object(&ds(C))).is_empty());
}

#[test]
fn priority_class_rules() {
    let pc = |body: &str| format!("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {{name: high}}\n{body}");
    assert!(errors(&pc("value: 1000\n")).is_empty());
    assert_eq!(one(&pc("value: 2000000000\n")), "value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
    assert_eq!(
        one(&pc("value: 1\npreemptionPolicy: Sometimes\n")),
        "preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\""
    );
    let y = pc("value: 5\n").replace("name: high", "name: system-high");
    assert_eq!(
        one(&y),
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-high is not a known system priority class"
    );
    let old = object(&pc("value: 1000\n"));
    let new = object(&pc("value: 2000\n"));
    assert_eq!(msgs(validation::validate_update(&new, &old)), vec!["value: Forbidden: may not be changed in an update."]);
}

// ---- Pods and Nodes ----

#[test]
fn pod_rules() {
    let pod = |spec: &str| format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{}", indent(spec, 2));
    assert!(errors(&pod(C)).is_empty());
    assert_eq!(
        one(&pod(&format!("{C}activeDeadlineSeconds: 0\n"))),
        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"
    );
    assert_eq!(
        one(&pod("containers:\n- {name: c, image: ' busybox'}\n")),
        "spec.containers[0].image: Invalid value: \" busybox\": must not have leading or trailing whitespace"
    );
    assert_eq!(one(&pod("containers: []\n")), "spec.containers: Required value");
    let old = object(&pod(C));
    let new = object(&pod(&format!("{C}nodeSelector: {{a: b}}\n")));
    assert_eq!(
        msgs(validation::validate_update(&new, &old)),
        vec!["spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"]
    );
    let new = object(&pod(C).replace("busybox:1.36", "busybox:1.37"));
    assert!(validation::validate_update(&new, &old).is_empty());
}

#[test]
fn node_taints() {
    let y = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  taints:\n  - {key: a, effect: NoSchedule}\n  - {key: a, value: x, effect: NoSchedule}\n  - {key: b}\n";
    assert_eq!(
        message(y).unwrap(),
        "Node \"n1\" is invalid: [metadata.taints[1]: Duplicate value: core.Taint{Key:\"a\", Value:\"x\", Effect:\"NoSchedule\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair, metadata.taints[2].effect: Required value]"
    );
}

// ---- the message ----

#[test]
fn several_errors_are_bracketed_once_each() {
    let o: Object = object(&ds(C));
    let e1 = FieldError::required(&validation::Path::new("a"), "");
    let e2 = FieldError::invalid(&validation::Path::new("b"), 3, "bad");
    assert_eq!(invalid_message(&o, std::slice::from_ref(&e1)), "DaemonSet.apps \"agent\" is invalid: a: Required value");
    assert_eq!(
        invalid_message(&o, &[e1.clone(), e2, e1]),
        "DaemonSet.apps \"agent\" is invalid: [a: Required value, b: Invalid value: 3: bad]"
    );
    assert_eq!(invalid_message(&o, &[]), "DaemonSet.apps \"agent\" is invalid");
}

// ---- the parts, for linters ----

#[test]
fn errors_keep_their_parts() {
    let y = ds(&format!("{C}restartPolicy: Never\n"));
    let errs = validation::validate_create(&object(&y));
    assert_eq!(errs.len(), 1);
    let e = &errs[0];
    assert_eq!(e.kind, ErrorKind::NotSupported);
    assert_eq!(e.kind.cause_type(), "FieldValueNotSupported");
    assert_eq!(e.field, "spec.template.spec.restartPolicy");
    assert_eq!(e.value, validation::BadValue::Str("Never".into()));
    assert_eq!(e.detail, "supported values: \"Always\"");
    assert_eq!(e.body(), "Unsupported value: \"Never\": supported values: \"Always\"");
}

#[test]
fn empty_template_labels_print_as_written() {
    let y = ds(C).replace("metadata:\n      labels: {app: agent}", "metadata:\n      labels: {}");
    assert_eq!(
        message(&y).unwrap(),
        "DaemonSet.apps \"agent\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{}: `selector` does not match template `labels`"
    );
    let y = ds(C).replace("    metadata:\n      labels: {app: agent}\n", "");
    assert_eq!(
        message(&y).unwrap(),
        "DaemonSet.apps \"agent\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`"
    );
}

#[test]
fn a_nil_daemonset_selector_selects_nothing() {
    let y = ds(C).replace("  selector:\n    matchLabels: {app: agent}\n", "");
    assert_eq!(
        one(&y),
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"agent\"}: `selector` does not match template `labels`"
    );
}
