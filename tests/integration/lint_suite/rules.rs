//! Lint rules on fixtures: each trap is reported at its field, its suggested fix makes it go away, the plan on
//! --nodes is located on the workloads, and the CLI's exit codes and formats.

use kubeplan::cli;
use kubeplan::diag::{Pos, Severity};
use kubeplan::input::Source;
use kubeplan::lint::locate::LineIndex;
use kubeplan::lint::{lint, Edit, Finding, LintOptions, LintReport};

use crate::memfs::Mem;

pub(crate) fn data(name: &str) -> Source {
    let path = format!("{}/tests/data/lint/{name}", env!("CARGO_MANIFEST_DIR"));
    Source::new(format!("tests/data/lint/{name}"), std::fs::read_to_string(path).unwrap())
}

pub(crate) fn find<'a>(r: &'a LintReport, rule: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

pub(crate) fn one<'a>(r: &'a LintReport, rule: &str) -> &'a Finding {
    let all = find(r, rule);
    assert_eq!(all.len(), 1, "{rule}: {:#?}", r.findings);
    all[0]
}

pub(crate) fn at(f: &Finding) -> (u32, u32) {
    (f.span.start.line, f.span.start.col)
}

/// Apply edits (of one file) to a text, last first.
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let index = LineIndex::new(text);
    let mut ranges: Vec<(usize, usize, &str)> =
        edits.iter().map(|e| (index.offset(e.span.start), index.offset(e.span.end), e.text.as_str())).collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out = text.to_owned();
    for (a, b, t) in ranges {
        out.replace_range(a..b, t);
    }
    out
}

/// Apply a finding's fix to the fixture and lint again: the finding's rule must not fire there any more.
pub(crate) fn fix_clears(src: &Source, f: &Finding) -> LintReport {
    let fix = f.fix.as_ref().expect("a fix");
    assert!(!fix.edits.is_empty(), "{}: no edits", f.rule);
    let fixed = Source::new(src.name.clone(), apply(&src.text, &fix.edits));
    let r = lint(std::slice::from_ref(&fixed), &LintOptions::default());
    let still: Vec<_> = r.findings.iter().filter(|g| g.rule == f.rule && g.object == f.object).collect();
    assert!(still.is_empty(), "{} still reported after its fix:\n{}\n{still:#?}", f.rule, fixed.text);
    assert!(find(&r, "yaml-syntax").is_empty(), "the fix broke the YAML:\n{}", fixed.text);
    r
}

#[test]
fn traps_are_located_and_their_fixes_work() {
    let src = data("traps.yaml");
    let r = lint(std::slice::from_ref(&src), &LintOptions::default());

    let f = one(&r, "removed-api-version");
    assert_eq!(at(f), (9, 1));
    assert_eq!(f.fix.as_ref().unwrap().edits[0].text, "apps/v1");
    let after = fix_clears(&src, f);
    // Once in apps/v1 the DaemonSet is applied, and its own traps remain.
    assert!(find(&after, "surge-with-host-port").len() == 1);

    let f = one(&r, "master-toleration-only");
    assert_eq!(at(f), (27, 9));
    let after = fix_clears(&src, f);
    assert!(find(&after, "master-toleration-only").is_empty());

    let f = one(&r, "surge-with-host-port");
    assert_eq!(at(f), (20, 7));
    assert_eq!((f.span.end.line, f.span.end.col), (20, 18));
    assert_eq!(f.related[0].span.start, Pos { line: 35, col: 11 });
    fix_clears(&src, f);

    let f = one(&r, "ondelete-update");
    assert_eq!(at(f), (46, 5));
    fix_clears(&src, f);

    let f = one(&r, "unknown-scheduler");
    assert_eq!(at(f), (51, 7));
    fix_clears(&src, f);

    let f = one(&r, "unknown-field");
    assert_eq!(at(f), (59, 9));
    assert_eq!(f.severity, Severity::Error, "kubectl's default strict field validation refuses the object");
    assert!(f.message.ends_with("did you mean \"imagePullPolicy\"?"), "{}", f.message);
    fix_clears(&src, f);

    let f = one(&r, "statefulset-service-missing");
    assert_eq!(at(f), (66, 3));
    let after = fix_clears(&src, f);
    assert!(find(&after, "statefulset-service-not-headless").is_empty());

    let admission = one(&r, "api-admission");
    assert_eq!(at(admission), (52, 7));
    assert!(admission.message.ends_with("pods \"log-agent-\" is forbidden: no PriorityClass with name agent-critical was found"));

    let ns = find(&r, "openshift-namespace-node-selector");
    assert_eq!(ns.len(), 2, "both DaemonSets of the namespace");
    assert_eq!(at(ns[0]), (13, 3));
    assert_eq!(ns[0].related[0].span.start, Pos { line: 7, col: 5 });
    fix_clears(&src, ns[0]);

    // DaemonSet containers without resources: only the exporter's.
    let f = one(&r, "daemonset-no-resources");
    assert_eq!(at(f), (31, 9));
}

#[test]
fn unknown_fields_are_errors_with_or_without_strict() {
    for strict in [false, true] {
        let r = lint(&[data("traps.yaml")], &LintOptions { strict, ..Default::default() });
        assert_eq!(one(&r, "unknown-field").severity, Severity::Error);
    }
}

#[test]
fn a_priority_class_in_the_files_satisfies_admission() {
    let mut src = data("traps.yaml");
    src.text.push_str("---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: agent-critical\nvalue: 1000\n");
    let r = lint(&[src], &LintOptions::default());
    assert!(find(&r, "api-admission").is_empty());
}

#[test]
fn a_headless_service_satisfies_the_statefulset_and_a_plain_one_does_not() {
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: postgres}]\n";
    let plain = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 5432\n";
    let r = lint(&[Source::new("s.yaml", sts), Source::new("svc.yaml", plain)], &LintOptions::default());
    let f = one(&r, "statefulset-service-not-headless");
    assert_eq!(f.related[0].file, "svc.yaml");
    let edit = &f.fix.as_ref().unwrap().edits[0];
    assert_eq!(edit.file, "svc.yaml");
    let fixed = apply(plain, std::slice::from_ref(edit));
    assert_eq!(fixed, "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  ports:\n  - port: 5432\n");
    let r = lint(&[Source::new("s.yaml", sts), Source::new("svc.yaml", fixed)], &LintOptions::default());
    assert!(find(&r, "statefulset-service-not-headless").is_empty());
    assert!(find(&r, "statefulset-service-missing").is_empty());
}

#[test]
fn every_field_error_is_its_own_finding() {
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: two}\nspec:\n  selector: {matchLabels: {app: two}}\n  template:\n    metadata: {labels: {app: two}}\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        resources: {requests: {cpu: 10m}}\n        ports:\n        - {containerPort: 80, protocol: SCTPX}\n";
    let r = lint(&[Source::new("ds.yaml", ds)], &LintOptions::default());
    let api: Vec<_> = r.findings.iter().filter(|f| f.rule.starts_with("api-")).collect();
    assert_eq!(api.len(), 2, "{api:#?}");
    assert_eq!(at(api[0]), (9, 7));
    assert_eq!(api[0].message, "DaemonSet.apps \"two\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    assert_eq!(at(api[1]), (15, 31));
    assert!(api[1].message.starts_with("DaemonSet.apps \"two\" is invalid: spec.template.spec.containers[0].ports[0].protocol: Unsupported value: \"SCTPX\""), "{}", api[1].message);
}

#[test]
fn the_plan_on_nodes_is_located_on_the_workloads() {
    let options = LintOptions { nodes: vec![data("nodes.yaml")], ..Default::default() };
    let r = lint(&[data("workloads.yaml")], &options);
    let pending = find(&r, "pods-pending");
    assert_eq!(pending.len(), 2, "{:#?}", r.findings);
    assert_eq!(pending[0].message, "DaemonSet agent leaves 2 of 3 pods Pending: Insufficient cpu on node-a, node-b");
    assert_eq!(at(pending[0]), (27, 13), "at the cpu request");
    assert_eq!(pending[0].field.as_deref(), Some("spec.template.spec.containers[0].resources.requests.cpu"));
    assert!(pending[1].message.starts_with("Pod big stays Pending: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."), "{}", pending[1].message);
    let idle = one(&r, "daemonset-no-nodes");
    assert_eq!(idle.message, "DaemonSet gpu-driver runs on none of the 3 nodes: node(s) didn't match the DaemonSet's node selector/affinity on cp-1, node-a, node-b");
    assert_eq!(at(idle), (41, 7));
    let tol = one(&r, "toleration-matches-no-taint");
    assert_eq!(tol.message, "toleration dedicated=gpu:NoSchedule matches no taint on any of the 3 nodes");
    assert_eq!(at(tol), (18, 9));
    // Without nodes, none of this is said.
    let r = lint(&[data("workloads.yaml")], &LintOptions::default());
    assert!(r.findings.iter().all(|f| !matches!(f.rule, "pods-pending" | "daemonset-no-nodes" | "toleration-matches-no-taint")));
}

fn run(args: &str, files: &[(&str, &str)]) -> cli::Outcome {
    let mut io = Mem(files.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
    let args: Vec<String> = args.split_whitespace().map(String::from).collect();
    cli::run(&args, &mut io)
}

const CLEAN: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n";
/// A custom resource whose definition is not in the input: a warning (the cluster may have the definition).
const WARN_ONLY: &str = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n";
const BROKEN: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n";

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(run("lint a.yaml", &[("a.yaml", CLEAN)]).code, 0);
    let out = run("lint a.yaml", &[("a.yaml", CLEAN)]);
    assert_eq!(out.stdout, "No problems found in 1 objects.\n");
    assert_eq!(run("lint a.yaml", &[("a.yaml", WARN_ONLY)]).code, 0);
    assert_eq!(run("lint a.yaml --fail-on warning", &[("a.yaml", WARN_ONLY)]).code, 1);
    let unknown_field = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n  bogus: 1\n";
    assert_eq!(run("lint a.yaml", &[("a.yaml", unknown_field)]).code, 1, "strict decoding is kubectl's default");
    assert_eq!(run("lint a.yaml --strict", &[("a.yaml", unknown_field)]).code, 1);
    assert_eq!(run("lint a.yaml", &[("a.yaml", BROKEN)]).code, 1);
    assert_eq!(run("lint missing.yaml", &[]).code, 2);
    // A YAML syntax error makes the input unusable, as for `plan`.
    assert_eq!(run("lint a.yaml", &[("a.yaml", "spec: [unclosed\n")]).code, 2);
    assert_eq!(run("lint a.yaml --format xml", &[("a.yaml", CLEAN)]).code, 2);
    // kube-scheduler refuses a configuration without profile names; a plan reports it and plans on the default
    // configuration (exit 1), and lint ends the same way.
    let config = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: \"\"\n";
    let files = [("a.yaml", CLEAN), ("s.yaml", config)];
    assert_eq!(run("plan a.yaml s.yaml", &files).code, 1);
    assert_eq!(run("lint a.yaml s.yaml", &files).code, 1);
}

#[test]
fn text_output_shows_the_line_and_a_caret() {
    let out = run("lint a.yaml", &[("a.yaml", BROKEN)]);
    assert_eq!(
        out.stdout,
        "error[api-required]: Pod \"p\" is invalid: spec.containers: Required value\n --> a.yaml:5:3\n  |\n5 |   containers: []\n  |   ^^^^^^^^^^^^^^\n\nFound 1 error in 1 objects.\n"
    );
}

#[test]
fn github_json_and_junit_formats() {
    let out = run("lint a.yaml --format github", &[("a.yaml", BROKEN)]);
    assert_eq!(
        out.stdout,
        "::error file=a.yaml,line=5,col=3,endLine=5,endColumn=16,title=kubeplan api-required::Pod \"p\" is invalid: spec.containers: Required value\n"
    );
    let out = run("lint a.yaml --format json", &[("a.yaml", BROKEN)]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["range"], serde_json::json!({"start": {"line": 5, "column": 3}, "end": {"line": 5, "column": 17}}));
    assert_eq!(v["findings"][0]["field"], "spec.containers");
    assert_eq!(v["summary"]["error"], 1);
    let out = run("lint a.yaml b.yaml --format junit", &[("a.yaml", BROKEN), ("b.yaml", CLEAN)]);
    assert!(out.stdout.contains("<testsuites name=\"kubeplan lint\" tests=\"2\" failures=\"1\" errors=\"0\">"), "{}", out.stdout);
    assert!(out.stdout.contains("<testcase name=\"Pod default/p\" classname=\"b.yaml\"/>"), "{}", out.stdout);
    assert!(out.stdout.contains("<failure message=\"Pod &quot;p&quot; is invalid: spec.containers: Required value\" type=\"api-required\">"), "{}", out.stdout);
    let out = run("lint a.yaml --format lsp", &[("a.yaml", BROKEN)]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["a.yaml"][0]["range"], serde_json::json!({"start": {"line": 4, "character": 2}, "end": {"line": 4, "character": 16}}));
    assert_eq!(v["a.yaml"][0]["severity"], 1);
}

#[test]
fn the_scheduler_configuration_is_checked_at_its_fields_and_its_profiles_are_known() {
    let text = "\
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  pluginConfig:
  - name: DefaultPreemption
    args: {minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0}
- schedulerName: batch
---
apiVersion: v1
kind: Pod
metadata: {name: job}
spec:
  schedulerName: batch
  containers: [{name: c, image: busybox}]
";
    let src = Source::new("s.yaml", text);
    let r = lint(std::slice::from_ref(&src), &LintOptions::default());
    let errors = find(&r, "scheduler-config");
    let located: Vec<((u32, u32), &str)> = errors.iter().map(|f| (at(f), f.message.as_str())).collect();
    assert_eq!(
        located,
        [
            ((7, 41), "profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute"),
            ((7, 71), "profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage"),
        ]
    );
    assert_eq!(errors[0].severity, Severity::Error);
    // Invalid: kube-scheduler would not start, so only the default profile is known and `batch` is a trap.
    assert_eq!(at(one(&r, "unknown-scheduler")), (14, 3), "at the schedulerName field");

    let valid = Source::new("s.yaml", text.replace("minCandidateNodesAbsolute: 0", "minCandidateNodesAbsolute: 5"));
    let r = lint(std::slice::from_ref(&valid), &LintOptions::default());
    assert!(find(&r, "scheduler-config").is_empty() && find(&r, "unknown-scheduler").is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_template_the_namespace_level_refuses_is_reported_once_at_the_template() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: locked\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: debug\n  namespace: locked\nspec:\n  selector: {matchLabels: {app: debug}}\n  template:\n    metadata: {labels: {app: debug}}\n    spec:\n      hostNetwork: true\n      containers: [{name: c, image: busybox}]\n";
    let r = lint(&[Source::new("psa.yaml", text)], &LintOptions::default());
    let f = one(&r, "api-admission");
    assert!(
        f.message.ends_with("pods \"debug-<hash>-\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)"),
        "{}",
        f.message
    );
    assert_eq!(at(f), (18, 7), "at the template's hostNetwork");
}

const NODE: &str = "apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
status:
  capacity: {cpu: '4', memory: 8Gi, pods: '110'}
  conditions: [{type: Ready, status: 'True'}]
";

fn daemonset(extra_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: agent, namespace: kube-system}}
spec:
  selector: {{matchLabels: {{app: agent}}}}
  template:
    metadata: {{labels: {{app: agent}}}}
    spec:{extra_spec}
      containers: [{{name: c, image: agent:v1}}]
"
    )
}

#[test]
fn a_critical_daemonset_without_resources_is_not_said_to_be_evicted_first() {
    let plain = lint(&[Source::new("ds.yaml", daemonset(""))], &LintOptions::default());
    let f = one(&plain, "daemonset-no-resources");
    assert!(f.message.ends_with("and it is evicted first when a node runs short"), "{}", f.message);
    for class in ["system-node-critical", "system-cluster-critical"] {
        let r = lint(&[Source::new("ds.yaml", daemonset(&format!("\n      priorityClassName: {class}")))], &LintOptions::default());
        let f = one(&r, "daemonset-no-resources");
        assert_eq!(f.severity, Severity::Warning);
        assert!(!f.message.contains("evicted first"), "{}", f.message);
        assert!(
            f.message.ends_with(&format!("as a {class} pod the kubelet never evicts it, so when it grows, the node's other pods are evicted in its place")),
            "{}",
            f.message
        );
    }
}

#[test]
fn unmatched_tolerations_of_dedicated_node_taints_are_all_notes() {
    let tolerations = "\n      tolerations:\n      - {key: CriticalAddonsOnly, operator: Exists}\n      - {key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}\n      - {key: dedicated, value: gpu, effect: NoSchedule}";
    let options = LintOptions { nodes: vec![Source::new("nodes.yaml", NODE)], ..Default::default() };
    let r = lint(&[Source::new("ds.yaml", daemonset(tolerations))], &options);
    let notes = find(&r, "well-known-toleration-matches-no-taint");
    assert_eq!(notes.iter().map(|f| f.field.as_deref().unwrap_or("")).collect::<Vec<_>>(), ["spec.template.spec.tolerations[0]", "spec.template.spec.tolerations[1]"]);
    assert!(notes.iter().all(|f| f.severity == Severity::Info), "{notes:#?}");
    let typo = one(&r, "toleration-matches-no-taint");
    assert_eq!((typo.severity, typo.field.as_deref()), (Severity::Warning, Some("spec.template.spec.tolerations[2]")));
}

#[test]
fn a_namespace_the_input_lacks_is_reported_where_plan_refuses() {
    let ds = daemonset("").replace("namespace: kube-system", "namespace: monitoring");
    let options = LintOptions { nodes: vec![Source::new("nodes.yaml", NODE)], ..Default::default() };
    let r = lint(&[Source::new("ds.yaml", ds.clone())], &options);
    let f = one(&r, "namespace-not-in-input");
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(at(f), (3, 25), "at the metadata.namespace field");
    assert!(f.message.starts_with("Namespace \"monitoring\" is not in the input; unless the cluster has it, the API server refuses the object in it (namespaces \"monitoring\" not found)"), "{}", f.message);
    // plan, with the input as the whole cluster, refuses it.
    let out = run("plan nodes.yaml ds.yaml", &[("nodes.yaml", NODE), ("ds.yaml", &ds)]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("namespaces \"monitoring\" not found"), "{}", out.stdout);
    // With --closed-world it is an error; with the namespace in the input, nothing is said.
    let closed = lint(&[Source::new("ds.yaml", ds.clone())], &LintOptions { closed_world: true, ..Default::default() });
    assert_eq!(one(&closed, "namespace-not-in-input").severity, Severity::Error);
    let with_ns = format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: monitoring}}\n---\n{ds}");
    assert!(find(&lint(&[Source::new("ds.yaml", with_ns)], &options), "namespace-not-in-input").is_empty());
}

#[test]
fn the_readme_documents_every_rule_with_its_one_severity() {
    let readme = include_str!("../../../README.md");
    for rule in kubeplan::lint::rules::RULES {
        let row = format!("| `{}` | {} |", rule.id, rule.severity);
        let closed_world = format!("| `{}` | {} (error with `--closed-world`) |", rule.id, rule.severity);
        assert!(readme.contains(&row) || readme.contains(&closed_world), "README lacks the row of {}", rule.id);
    }
}
