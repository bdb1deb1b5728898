//! What the API server warns kubectl about when it accepts an object (each kind's `WarningsOnCreate` and
//! `WarningsOnUpdate`, `pkg/api/pod/warnings.go`, the Secret strategy's key pair check): the warning texts, which
//! requests get them, and that the controllers' own requests print none.

use kubeplan::facade::{plan, PlanReport, PlanRequest};
use kubeplan::input::Source;

const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {kubernetes.io/hostname: n1}}\n\
                    status: {capacity: {cpu: '4', memory: 8Gi, pods: '110'}, conditions: [{type: Ready, status: 'True'}]}";

fn report(manifests: &str, update: Option<&str>) -> PlanReport {
    plan(PlanRequest {
        manifests: vec![Source::new("in.yaml", format!("{NODE}\n---\n{manifests}"))],
        update: update.map(|u| vec![Source::new("update.yaml", u)]).unwrap_or_default(),
        ..Default::default()
    })
}

/// The warnings, as `phase kind/name: message`.
fn warnings(manifests: &str, update: Option<&str>) -> Vec<String> {
    let r = report(manifests, update);
    assert!(r.rejections().is_empty(), "{:?}", r.rejections());
    r.warnings().iter().map(|w| format!("{} {}/{}: {}", w.phase, w.kind, w.name, w.message)).collect()
}

fn b64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn tls_secret(cert: &str, key: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: tls, namespace: default}}\ntype: kubernetes.io/tls\n\
         data: {{tls.crt: '{}', tls.key: '{}'}}",
        b64(cert),
        b64(key)
    )
}

const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n";

#[test]
fn a_tls_secret_without_pem_blocks_warns_as_x509_key_pair_does() {
    let truncated = "-----BEGIN CERTIFICATE-----";
    assert_eq!(
        warnings(&tls_secret(truncated, KEY), None),
        ["initial Secret/tls: tls: failed to find any PEM data in certificate input"]
    );
    assert_eq!(warnings(&tls_secret(CERT, ""), None), ["initial Secret/tls: tls: failed to find any PEM data in key input"]);
}

#[test]
fn a_tls_secret_with_switched_or_wrong_blocks_says_which() {
    assert_eq!(
        warnings(&tls_secret(KEY, CERT), None),
        ["initial Secret/tls: tls: failed to find certificate PEM data in certificate input, but did find a private \
          key; PEM inputs may have been switched"]
    );
    assert_eq!(
        warnings(&tls_secret(CERT, CERT), None),
        ["initial Secret/tls: tls: found a certificate rather than a key in the PEM for the private key"]
    );
    let other = "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n-----BEGIN BAR-----\n-----END BAR-----\n";
    assert_eq!(
        warnings(&tls_secret(other, KEY), None),
        ["initial Secret/tls: tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM \
          blocks of the following types: [FOO BAR]"]
    );
}

#[test]
fn a_well_formed_pair_of_pem_blocks_gets_no_warning() {
    assert!(warnings(&tls_secret(CERT, KEY), None).is_empty());
    // A block whose END line names another type is no block at all.
    let mismatched = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERT-----\n";
    assert_eq!(
        warnings(&tls_secret(mismatched, KEY), None),
        ["initial Secret/tls: tls: failed to find any PEM data in certificate input"]
    );
}

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  \
                          replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    \
                          spec:\n      nodeSelector: {beta.kubernetes.io/os: linux}\n      containers:\n      - name: c\n        \
                          image: IMAGE\n";

#[test]
fn a_template_on_a_deprecated_node_label_warns_once_for_the_workload_not_for_its_pods() {
    let w = warnings(&DEPLOYMENT.replace("IMAGE", "nginx"), None);
    assert_eq!(
        w,
        ["initial Deployment/web: spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use \
          \"kubernetes.io/os\" instead"]
    );
}

#[test]
fn an_update_warns_about_the_template_only_when_the_template_changed() {
    // A DaemonSet's strategy warns on update only when the template changed (a new template generation).
    let ds = |image: &str, tier: &str| {
        DEPLOYMENT
            .replace("Deployment", "DaemonSet")
            .replace("  replicas: 2\n", "")
            .replace("name: web, namespace: default", &format!("name: web, namespace: default, labels: {{tier: {tier}}}"))
            .replace("IMAGE", image)
    };
    let relabelled = warnings(&ds("nginx", "a"), Some(&ds("nginx", "b")));
    assert_eq!(relabelled.len(), 1, "a label change leaves the template alone: {relabelled:?}");
    let changed = warnings(&ds("nginx", "a"), Some(&ds("nginx:1.27", "a")));
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed[1].starts_with("update DaemonSet/web: spec.template.spec.nodeSelector[beta.kubernetes.io/os]"));
    // A Deployment's update with a new template warns again.
    let w = warnings(&DEPLOYMENT.replace("IMAGE", "nginx"), Some(&DEPLOYMENT.replace("IMAGE", "nginx:1.27")));
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[1].starts_with("update Deployment/web: spec.template.spec.nodeSelector[beta.kubernetes.io/os]"), "{w:?}");
}

#[test]
fn a_pod_warns_about_its_name_env_ports_and_selectors() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web.v1, namespace: default}\nspec:\n  \
               topologySpreadConstraints: [{maxSkew: 1, topologyKey: failure-domain.beta.kubernetes.io/zone, \
               whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}]\n  containers:\n  - name: c\n    \
               image: nginx\n    env: [{name: A, value: '1'}, {name: A, value: '2'}, {name: B, value: x}, {name: B, value: '$(B)y'}]\n    \
               ports: [{containerPort: 80}, {containerPort: 80, hostPort: 8080}]\n    resources: {requests: {memory: '1.5'}}\n";
    assert_eq!(
        warnings(pod, None),
        [
            "initial Pod/web.v1: metadata.name: this is used in the Pod's hostname, which can result in surprising \
             behavior; a DNS label is recommended: [must not contain dots]",
            "initial Pod/web.v1: spec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/zone is \
             deprecated since v1.17; use \"topology.kubernetes.io/zone\" instead",
            "initial Pod/web.v1: spec.containers[0].resources.requests[memory]: fractional byte value \"1500m\" is \
             invalid, must be an integer",
            "initial Pod/web.v1: spec.containers[0].env[1]: hides previous definition of \"A\", which may be dropped \
             when using apply",
            "initial Pod/web.v1: spec.containers[0].ports[1]: overlapping port definition with spec.containers[0].ports[0]",
        ]
    );
}

#[test]
fn an_ingress_with_the_class_annotation_and_no_class_name_warns() {
    let ingress = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: default, \
                   annotations: {kubernetes.io/ingress.class: nginx}}\nspec:\n  defaultBackend: {service: {name: web, \
                   port: {number: 80}}}\n";
    assert_eq!(
        warnings(ingress, None),
        ["initial Ingress/web: annotation \"kubernetes.io/ingress.class\" is deprecated, please use \
          'spec.ingressClassName' instead"]
    );
}

#[test]
fn a_claim_with_the_beta_class_annotation_warns() {
    let claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: default, annotations: \
                 {volume.beta.kubernetes.io/storage-class: fast}}\nspec: {accessModes: [ReadWriteOnce], resources: \
                 {requests: {storage: 1Gi}}}\n";
    assert_eq!(
        warnings(claim, None),
        ["initial PersistentVolumeClaim/data: metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated \
          since v1.8; use \"storageClassName\" attribute instead"]
    );
}
