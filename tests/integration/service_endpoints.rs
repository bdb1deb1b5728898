//! Services in a plan's views: what the endpoints controller would put in each Service's Endpoints
//! (`syncService`: the selected pods, `ShouldPodBeInEndpoints`, `FindPort`, ready or not-ready addresses,
//! `publishNotReadyAddresses`), and the DNS names a headless Service gives its pods (the StatefulSet article's
//! `web-0.nginx.default.svc.cluster.local`), in the report, the JSON and the tables.

use kubeplan::api::core_v1::{Pod, Service};
use kubeplan::api::Object;
use kubeplan::cluster::Concurrency;
use kubeplan::controller::endpoint::sync_service;
use kubeplan::facade::report::{Empty, SelectedPod, Listed, Omission, ServiceEndpoints};
use kubeplan::facade::{plan, PlanReport, PlanRequest};
use kubeplan::input::{load, Source};
use kubeplan::sim::Simulation;

fn node(name: &str, cpu: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {{kubernetes.io/hostname: {name}}}}}\n\
         status: {{capacity: {{cpu: '{cpu}', memory: 8Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}\n"
    )
}

/// The StatefulSet article's example: a headless Service `nginx` and a StatefulSet `web` governed by it.
const NGINX: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: nginx, labels: {app: nginx}}\nspec:\n  ports: [{port: 80, name: web}]\n  clusterIP: None\n  selector: {app: nginx}\n";
const WEB: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: nginx\n  replicas: 2\n  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n    spec:\n      containers:\n      - name: nginx\n        image: registry.k8s.io/nginx-slim:0.21\n        ports: [{containerPort: 80, name: web}]\n";

/// A Deployment `api` of `replicas` pods asking for one cpu each, with a container port named `http`.
fn deployment(replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: api}}}}\n  template:\n    metadata: {{labels: {{app: api}}}}\n    spec:\n      containers:\n      - name: api\n        image: api:1\n        ports: [{{containerPort: 8080, name: http}}]\n        resources: {{requests: {{cpu: '1'}}}}\n"
    )
}

/// A Service `name` selecting `selector` (YAML flow map, or nothing), forwarding port 80 to `target`.
fn service(name: &str, selector: Option<&str>, target: &str) -> String {
    let selector = selector.map(|s| format!("  selector: {s}\n")).unwrap_or_default();
    format!("apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n{selector}  ports: [{{port: 80, targetPort: {target}}}]\n")
}

fn report(docs: &[&str]) -> PlanReport {
    let input = docs.join("---\n");
    let r = plan(PlanRequest { manifests: vec![Source::new("input.yaml", input)], ..Default::default() });
    assert!(r.diagnostics().is_empty(), "{:?}", r.diagnostics());
    assert!(!r.rejected(), "{:?}", r.rejections());
    r
}

fn service_of<'a>(r: &'a PlanReport, name: &str) -> &'a ServiceEndpoints {
    r.services().iter().find(|s| s.name == name).unwrap_or_else(|| panic!("service {name}"))
}

/// Each selected pod's name and where the Endpoints list it.
fn listed(s: &ServiceEndpoints) -> Vec<(&str, Listed)> {
    s.pods.iter().map(|e| (e.pod.as_str(), e.endpoint)).collect()
}

fn dns_name(r: &PlanReport, pod: &str) -> Option<String> {
    r.pod_dns_name(r.objects().get::<Pod>("default", pod).expect("pod"))
}

#[test]
fn a_statefulset_governed_by_a_headless_service_gives_its_pods_dns_names() {
    let n1 = node("n1", "4");
    let r = report(&[&n1, NGINX, WEB]);
    assert_eq!(dns_name(&r, "web-0").as_deref(), Some("web-0.nginx.default.svc.cluster.local"));
    assert_eq!(dns_name(&r, "web-1").as_deref(), Some("web-1.nginx.default.svc.cluster.local"));
    let nginx = service_of(&r, "nginx");
    assert_eq!((nginx.r#type.as_str(), nginx.cluster_ip.as_str(), nginx.empty), ("ClusterIP", "None", None));
    let web0 = SelectedPod {
        pod: "web-0".into(),
        node_name: "n1".into(),
        endpoint: Listed::Ready,
        hostname: Some("web-0".into()),
        target_ports: vec![80],
    };
    assert_eq!(nginx.pods.first(), Some(&web0), "the address carries the pod's hostname: its subdomain is nginx");
    assert_eq!(listed(nginx), [("web-0", Listed::Ready), ("web-1", Listed::Ready)]);
}

#[test]
fn a_subdomain_naming_a_service_with_a_cluster_ip_gives_no_dns_name() {
    let n1 = node("n1", "4");
    let headful = NGINX.replace("  clusterIP: None\n", "");
    let r = report(&[&n1, &headful, WEB]);
    assert_eq!(dns_name(&r, "web-0"), None);
    assert!(service_of(&r, "nginx").cluster_ip.starts_with("10.96."), "allocated");
    // The pods are still its endpoints; only a headless Service publishes per-pod records.
    assert_eq!(listed(service_of(&r, "nginx")).len(), 2);
    let missing = report(&[&n1, WEB]);
    assert_eq!(dns_name(&missing, "web-0"), None, "no Service nginx at all");
}

#[test]
fn running_pods_are_ready_addresses_and_pending_ones_are_left_out() {
    // One node with room for two of the three pods: the third stays Pending, without an IP.
    let (n1, api) = (node("n1", "2"), deployment(3));
    let svc = service("api", Some("{app: api}"), "http");
    let r = report(&[&n1, &api, &svc]);
    let s = service_of(&r, "api");
    let ready: Vec<&SelectedPod> = s.pods.iter().filter(|e| e.endpoint == Listed::Ready).collect();
    assert_eq!(ready.len(), 2);
    assert!(ready.iter().all(|e| e.node_name == "n1" && e.target_ports == [8080]), "targetPort http is 8080 on the pods");
    let pending: Vec<&SelectedPod> = s.pods.iter().filter(|e| e.node_name.is_empty()).collect();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].endpoint, Listed::Omitted(Omission::NoAddress));
    assert_eq!(s.empty, None);
    assert_eq!(dns_name(&r, &ready[0].pod), None, "no subdomain");
}

#[test]
fn a_named_target_port_no_container_has_leaves_every_pod_out() {
    let (n1, api) = (node("n1", "4"), deployment(2));
    let svc = service("metrics", Some("{app: api}"), "metrics");
    let r = report(&[&n1, &api, &svc]);
    let s = service_of(&r, "metrics");
    assert_eq!(s.pods.len(), 2);
    assert!(s.pods.iter().all(|e| e.endpoint == Listed::Omitted(Omission::NoPort) && e.target_ports.is_empty()));
    assert_eq!(s.empty, Some(Empty::AllOmitted));
}

#[test]
fn a_selector_matching_no_pod_says_so_and_one_without_a_selector_is_user_managed() {
    let (n1, api) = (node("n1", "4"), deployment(1));
    let typo = service("typo", Some("{app: apii}"), "http");
    let manual = service("manual", None, "8080");
    let r = report(&[&n1, &api, &typo, &manual]);
    let typo = service_of(&r, "typo");
    assert_eq!((typo.pods.len(), typo.empty), (0, Some(Empty::SelectsNothing)));
    let manual = service_of(&r, "manual");
    assert_eq!((manual.pods.len(), manual.empty), (0, Some(Empty::NoSelector)), "not 'matches nothing'");
    let names: Vec<&str> = r.services().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["manual", "typo"], "namespace/name order");
}

#[test]
fn a_selector_only_selects_pods_of_its_own_namespace() {
    let (n1, api) = (node("n1", "4"), deployment(1));
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n";
    let elsewhere = service("api", Some("{app: api}"), "http").replace("metadata: {name: api}", "metadata: {name: api, namespace: other}");
    let r = report(&[&n1, &api, ns, &elsewhere]);
    assert_eq!(service_of(&r, "api").empty, Some(Empty::SelectsNothing));
}

#[test]
fn completed_job_pods_are_terminal_and_left_out() {
    let n1 = node("n1", "4");
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n  template:\n    metadata: {labels: {app: once}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n";
    let svc = service("once", Some("{app: once}"), "80");
    let r = report(&[&n1, job, &svc]);
    let s = service_of(&r, "once");
    assert_eq!(s.pods.len(), 1);
    assert_eq!(s.pods[0].endpoint, Listed::Omitted(Omission::Terminal));
    assert_eq!(s.empty, Some(Empty::AllOmitted));
}

#[test]
fn an_external_name_service_gets_no_endpoints() {
    let (n1, api) = (node("n1", "4"), deployment(1));
    let ext = "apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: db.example.com, selector: {app: api}}\n";
    let r = report(&[&n1, &api, ext]);
    let s = service_of(&r, "ext");
    assert_eq!((s.pods.len(), s.empty), (0, Some(Empty::ExternalName)));
}

/// A planned cluster of one node, two `api` pods and the Service `svc`, then `api`'s first pod failing its
/// readiness (its Ready condition False, as the kubelet writes it when a readiness probe fails).
fn with_one_pod_not_ready(svc: &str) -> (Simulation, Service) {
    let input = [node("n1", "4"), deployment(2), svc.to_owned()].join("---\n");
    let mut sim = Simulation::new();
    sim.begin_phase("initial");
    for m in load(&[Source::new("input.yaml", input)]).manifests {
        sim.cluster.create(m.object).expect("created");
    }
    sim.settle();
    let mut pod = sim.cluster.store().list::<Pod>().next().expect("a pod").clone();
    let ready = pod.status.conditions.iter_mut().find(|c| c.r#type == "Ready").expect("Ready");
    ready.status = "False".into();
    let _ = sim.cluster.patch(Object::Pod(std::sync::Arc::new(pod)), Concurrency::Unchecked);
    let svc = sim.cluster.store().list::<Service>().next().expect("the Service").clone();
    (sim, svc)
}

#[test]
fn a_pod_that_is_not_ready_is_a_not_ready_address_unless_the_service_publishes_it() {
    let svc = service("api", Some("{app: api}"), "http");
    let (sim, s) = with_one_pod_not_ready(&svc);
    let endpoints = sync_service(sim.cluster.store(), &s);
    let states: Vec<Listed> = endpoints.pods.iter().map(|e| e.endpoint).collect();
    assert_eq!(states, [Listed::NotReady, Listed::Ready]);
    assert_eq!(endpoints.empty, None, "a not-ready address is still listed");

    let published = svc.replace("spec:\n", "spec:\n  publishNotReadyAddresses: true\n");
    let (sim, s) = with_one_pod_not_ready(&published);
    assert!(s.spec.publish_not_ready_addresses);
    let endpoints = sync_service(sim.cluster.store(), &s);
    assert!(endpoints.pods.iter().all(|e| e.endpoint == Listed::Ready), "published as ready addresses");
}

#[test]
fn the_json_carries_services_and_pod_dns_names() {
    let n1 = node("n1", "4");
    let r = report(&[&n1, NGINX, WEB]);
    let doc = kubeplan::output::json::to_value(&r);
    assert_eq!(doc["podDnsNames"]["default/web-1"], "web-1.nginx.default.svc.cluster.local");
    let svc = &doc["services"][0];
    assert_eq!((svc["name"].as_str(), svc["clusterIP"].as_str()), (Some("nginx"), Some("None")));
    assert_eq!(svc["pods"][0]["endpoint"], "ready");
    assert_eq!(svc["pods"][0]["hostname"], "web-0");
    let text = kubeplan::output::json::to_string(&r);
    assert_eq!(text, serde_json::to_string_pretty(&doc).expect("json") + "\n", "streamed as the value prints");
    assert_eq!(text, kubeplan::output::json::to_string(&report(&[&n1, NGINX, WEB])), "the same bytes every time");
}

#[test]
fn the_json_says_why_a_service_is_empty() {
    let (n1, api) = (node("n1", "4"), deployment(1));
    let typo = service("typo", Some("{app: apii}"), "http");
    let doc = kubeplan::output::json::to_value(&report(&[&n1, &api, &typo]));
    assert_eq!(doc["services"][0]["empty"], "selectsNothing");
    assert_eq!(doc["podDnsNames"], serde_json::json!({}));
}

#[test]
fn the_wide_table_shows_dns_names_and_the_table_shows_services_only_when_there_are_some() {
    let n1 = node("n1", "4");
    let r = report(&[&n1, NGINX, WEB]);
    let wide = kubeplan::output::table::render(&r, true);
    let header = wide.lines().next().expect("a header");
    assert!(header.ends_with("DNS NAME"), "{header}");
    assert!(wide.lines().any(|l| l.contains("pod/web-0") && l.ends_with("web-0.nginx.default.svc.cluster.local")), "{wide}");
    let narrow = kubeplan::output::table::render(&r, false);
    assert!(!narrow.contains("DNS NAME"));
    let svc_line = narrow.lines().find(|l| l.contains("service/nginx")).expect("a Services block");
    let cells: Vec<&str> = svc_line.split_whitespace().collect();
    assert_eq!(cells, ["default", "service/nginx", "ClusterIP", "None", "80/TCP", "web-0:80,web-1:80"]);

    let (api, typo) = (deployment(1), service("typo", Some("{app: apii}"), "http"));
    let r = report(&[&n1, &api, &typo]);
    let table = kubeplan::output::table::render(&r, true);
    assert!(!table.contains("DNS NAME"), "no pod has one: no column");
    assert!(table.contains("default/typo: its selector app=apii matches no pod in namespace default"), "{table}");
    let without = kubeplan::output::table::render(&report(&[&n1, &api]), false);
    assert!(!without.contains("ENDPOINTS"), "no Services, no block");
}

#[test]
fn the_table_says_which_pods_a_service_leaves_out_and_shortens_long_lists_as_kubectl_does() {
    // Two of six pods fit: the ENDPOINTS column has their two addresses, the note the four Pending ones.
    let (n1, api) = (node("n1", "2"), deployment(6));
    let svc = service("api", Some("{app: api}"), "http");
    let r = report(&[&n1, &api, &svc]);
    let table = kubeplan::output::table::render(&r, false);
    let note = table.lines().find(|l| l.starts_with("  default/api: leaves out ")).unwrap_or_else(|| panic!("{table}"));
    assert_eq!(note.matches("(no pod IP: not running)").count(), 3, "{note}");
    assert!(note.ends_with(" + 1 more..."), "{note}");
    let row = table.lines().find(|l| l.contains("service/api")).expect("row");
    assert_eq!(row.matches(":8080").count(), 2, "{row}");
}
