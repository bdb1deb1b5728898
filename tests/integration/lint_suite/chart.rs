//! Whole charts: each reference that resolves to nothing is reported at its field, its fix (where there is
//! one) makes it go away, and what a cluster resolves anyway (labels controllers add, sidecar ports, optional
//! references, objects Kubernetes makes itself, pods operators make) is not reported.

use kubeplan::diag::Severity;
use kubeplan::input::Source;
use kubeplan::lint::{lint, LintOptions, LintReport};

use super::rules::{at, data, find, fix_clears, one};

fn lint_text(text: &str) -> LintReport {
    lint(&[Source::new("chart.yaml", text)], &LintOptions::default())
}

/// The rules of the chart's findings, for asserting that nothing else is reported.
fn chart_rules(r: &LintReport) -> Vec<&'static str> {
    const CHART: &[&str] = &[
        "service-selects-nothing",
        "service-target-port-undeclared",
        "probe-port-undeclared",
        "anti-affinity-misses-replicas",
        "pdb-selects-nothing",
        "network-policy-selects-nothing",
        "hpa-target-missing",
        "hpa-min-above-replicas",
        "ingress-service-missing",
        "ingress-service-port-missing",
        "configmap-not-in-input",
        "secret-not-in-input",
        "serviceaccount-not-in-input",
        "pvc-not-in-input",
    ];
    r.findings.iter().map(|f| f.rule).filter(|r| CHART.contains(r)).collect()
}

#[test]
fn every_broken_reference_is_located_and_fixed() {
    let src = data("chart.yaml");
    let r = lint(std::slice::from_ref(&src), &LintOptions::default());

    let f = one(&r, "serviceaccount-not-in-input");
    assert_eq!((at(f), f.severity), ((14, 7), Severity::Info), "the cluster may hold the account");
    assert!(f.message.contains("error looking up service account shop/web-sa: serviceaccount \"web-sa\" not found"), "{}", f.message);
    assert!(find(&r, "api-admission").is_empty(), "admission assumes the account the chart rule reports: {:#?}", r.findings);

    let f = one(&r, "anti-affinity-misses-replicas");
    assert_eq!(at(f), (18, 13));
    fix_clears(&src, f);

    let f = one(&r, "probe-port-undeclared");
    assert_eq!(at(f), (29, 30));
    assert_eq!(f.fix.as_ref().unwrap().edits[0].text, "http");
    fix_clears(&src, f);

    // envFrom's missing ConfigMap, with the close name the chart has; the optional Secret and the root CA
    // ConfigMap Kubernetes publishes are not reported.
    let f = one(&r, "configmap-not-in-input");
    assert_eq!((at(f), f.severity), ((31, 26), Severity::Info));
    assert_eq!(f.fix.as_ref().unwrap().edits[0].text, "web-conf");
    fix_clears(&src, f);
    assert!(find(&r, "secret-not-in-input").is_empty());

    let f = one(&r, "pvc-not-in-input");
    assert_eq!(at(f), (39, 33));

    let f = one(&r, "service-selects-nothing");
    assert_eq!(at(f), (53, 3));
    assert_eq!(f.related[0].span.start.line, 12, "the labels of the closest pod template");
    fix_clears(&src, f);

    let f = one(&r, "service-target-port-undeclared");
    assert_eq!(at(f), (69, 5));
    fix_clears(&src, f);

    let f = one(&r, "pdb-selects-nothing");
    assert_eq!(at(f), (78, 3));
    fix_clears(&src, f);

    let f = one(&r, "network-policy-selects-nothing");
    assert_eq!(at(f), (87, 3));
    fix_clears(&src, f);

    let f = one(&r, "hpa-min-above-replicas");
    assert_eq!((at(f), f.severity), ((97, 3), Severity::Info));
    assert_eq!(f.related[0].span.start.line, 7, "the workload's replicas");
    fix_clears(&src, f);

    let f = one(&r, "hpa-target-missing");
    assert_eq!(at(f), (106, 59));

    let f = one(&r, "ingress-service-port-missing");
    assert_eq!(at(f), (121, 40));
    assert_eq!(f.fix.as_ref().unwrap().edits[0].text, "80");
    fix_clears(&src, f);

    let f = one(&r, "ingress-service-missing");
    assert_eq!(at(f), (125, 21));

    assert_eq!(r.count_at_least(Severity::Error), 0, "every trap is accepted by the API server: {:#?}", r.findings);
}

#[test]
fn closed_world_makes_missing_references_errors() {
    let options = LintOptions { closed_world: true, ..Default::default() };
    let r = lint(&[data("chart.yaml")], &options);
    for rule in ["serviceaccount-not-in-input", "configmap-not-in-input", "pvc-not-in-input"] {
        let f = one(&r, rule);
        assert_eq!(f.severity, Severity::Error, "{rule}");
        assert!(f.message.contains("--closed-world"), "{}", f.message);
    }
    assert_eq!(r.exit_code(Severity::Error).code(), 1);
    assert_eq!(lint(&[data("chart.yaml")], &LintOptions::default()).exit_code(Severity::Error).code(), 0);
    assert!(find(&r, "api-admission").is_empty(), "one finding for the missing account, not two");
}

const STATEFULSET: &str = "\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres
        ports: [{name: pg, containerPort: 5432}]
        volumeMounts: [{name: data, mountPath: /data}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: replaced-by-the-template}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432, targetPort: pg}]
";

fn per_pod_service(pod: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: Service\nmetadata: {{name: {pod}}}\nspec:\n  selector: {{statefulset.kubernetes.io/pod-name: {pod}}}\n  ports: [{{port: 5432}}]\n"
    )
}

#[test]
fn labels_controllers_add_are_selectable() {
    // A Service per StatefulSet pod: db-0 and db-1 exist, db-2 does not.
    let r = lint_text(&format!("{STATEFULSET}{}{}", per_pod_service("db-1"), per_pod_service("db-2")));
    let f = one(&r, "service-selects-nothing");
    assert_eq!(f.object.as_deref(), Some("Service default/db-2"));
    // The claim template's volume is the controller's, not a claim the chart must hold.
    assert!(find(&r, "pvc-not-in-input").is_empty(), "{:#?}", r.findings);

    let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: busybox}]\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: migrate}\nspec:\n  maxUnavailable: 0\n  selector: {matchLabels: {batch.kubernetes.io/job-name: migrate}}\n";
    assert!(chart_rules(&lint_text(job)).is_empty());
}

#[test]
fn target_ports_are_found_as_the_endpoints_controller_finds_them() {
    let deployment = |init_policy: &str, protocol: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: dns}}\nspec:\n  selector: {{matchLabels: {{app: dns}}}}\n  template:\n    metadata: {{labels: {{app: dns}}}}\n    spec:\n      initContainers:\n      - name: proxy\n        image: envoy\n{init_policy}        ports: [{{name: metrics, containerPort: 9901}}]\n      containers:\n      - name: dns\n        image: coredns\n        ports: [{{name: dns, containerPort: 53, protocol: {protocol}}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: dns}}\nspec:\n  selector: {{app: dns}}\n  ports:\n  - {{name: dns, port: 53, targetPort: dns, protocol: UDP}}\n  - {{name: metrics, port: 9901, targetPort: metrics}}\n"
        )
    };
    // A sidecar's ports count; the protocol must agree.
    assert!(chart_rules(&lint_text(&deployment("        restartPolicy: Always\n", "UDP"))).is_empty());
    let r = lint_text(&deployment("", "TCP"));
    let found = find(&r, "service-target-port-undeclared");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].message.contains("declares port \"dns\" as TCP, not UDP"), "{}", found[0].message);
    assert!(found[1].message.contains("declares no TCP port named \"metrics\""), "{}", found[1].message);
}

#[test]
fn what_the_cluster_resolves_anyway_is_not_reported() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: default
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: cache}}
            topologyKey: kubernetes.io/hostname
          - labelSelector: {matchLabels: {app: api}}
            matchLabelKeys: [pod-template-hash]
            topologyKey: kubernetes.io/hostname
      containers:
      - name: api
        image: api
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: http}}
        livenessProbe: {tcpSocket: {port: 8080}}
        env:
        - name: TOKEN
          valueFrom: {secretKeyRef: {name: maybe, key: token, optional: true}}
      volumes:
      - name: ca
        configMap: {name: kube-root-ca.crt}
      - name: extra
        projected:
          sources:
          - configMap: {name: maybe-too, optional: true}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache}
spec:
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: redis, image: redis}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec:
  podSelector: {}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus}
spec:
  selector: {app.kubernetes.io/name: prometheus, prometheus: k8s}
  ports: [{port: 9090, targetPort: web}]
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s}
spec:
  podMetadata:
    labels: {app.kubernetes.io/name: prometheus, prometheus: k8s}
";
    let r = lint_text(text);
    assert!(chart_rules(&r).is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_budget_without_a_selector_protects_nothing() {
    let text = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: none}\nspec:\n  minAvailable: 1\n";
    let r = lint_text(text);
    let f = one(&r, "pdb-selects-nothing");
    assert!(f.message.contains("has no selector"), "{}", f.message);
}

#[test]
fn plan_and_lint_call_a_custom_resource_without_its_definition_the_same() {
    let text = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";
    let planned = kubeplan::facade::plan(kubeplan::facade::PlanRequest {
        manifests: vec![Source::new("chart.yaml", text)],
        ..Default::default()
    });
    let d: Vec<_> = planned.diagnostics().iter().filter(|d| d.code == "crd-not-in-input").collect();
    let r = lint_text(text);
    let f = one(&r, "crd-not-in-input");
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].severity, d[0].span, d[0].message.as_str()), (f.severity, f.span, f.message.as_str()));
    assert_eq!(f.severity, Severity::Warning, "the cluster may have the definition: not refused");
}
