//! Real controller hashes from the conformance cases (Kubernetes v1.32.13): each template is the workload's
//! `spec.template` as the API server stored it after defaulting, each hash the one the real controller gave it.

use kubeplan::api::core_v1::PodTemplateSpec;
use kubeplan::controller::hash::{
    compute_hash, daemonset_revision_data, hash_controller_revision, statefulset_revision_data, template_dump,
};

fn template(json: &str) -> PodTemplateSpec {
    serde_json::from_str(json).expect("template JSON")
}

/// `DaemonSet` `controller-revision-hash` and `Deployment` `pod-template-hash` (no collisions).
fn check_compute_hash(json: &str, want: &str) {
    assert_eq!(compute_hash(&template(json), None), want);
}

/// StatefulSet revision name hash: the controller always passes its collision count, 0 here.
fn check_revision_hash(json: &str, want: &str) {
    assert_eq!(hash_controller_revision(&statefulset_revision_data(&template(json)), Some(0)), want);
}

/// `a-docs-fluentd-elasticsearch`: DaemonSet `fluentd-elasticsearch`, initial template.
#[test]
fn a_docs_fluentd_elasticsearch_fluentd_elasticsearch_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"name":"fluentd-elasticsearch"}},"spec":{"containers":[{"image":"quay.io/fluentd_elasticsearch/fluentd:v2.5.2","imagePullPolicy":"IfNotPresent","name":"fluentd-elasticsearch","resources":{"limits":{"memory":"200Mi"},"requests":{"cpu":"100m","memory":"200Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,"tolerations":[{"effect":"NoSchedule","key":"node-role.kubernetes.io/control-plane","operator":"Exists"},{"effect":"NoSchedule","key":"node-role.kubernetes.io/master","operator":"Exists"}]}}"#,
        "688ff7487",
    );
}

/// `a-docs-node-exporter`: DaemonSet `node-exporter`, initial template.
#[test]
fn a_docs_node_exporter_node_exporter_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"node-exporter"}},"spec":{"containers":[{"image":"prom/node-exporter:v1.8.2","imagePullPolicy":"IfNotPresent","name":"node-exporter","ports":[{"containerPort":9100,"hostPort":9100,"name":"metrics","protocol":"TCP"}],"resources":{"limits":{"memory":"50Mi"},"requests":{"cpu":"100m","memory":"50Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","hostNetwork":true,"hostPID":true,"restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "5975dc867f",
    );
}

/// `a-random-005`: DaemonSet `ds-0`, initial template.
#[test]
fn a_random_005_ds_0_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"ds-0"}},"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"gpu-count","operator":"Lt","values":["0"]}],"matchFields":[{"key":"metadata.name","operator":"In","values":["n01"]}]}]}}},"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","ports":[{"containerPort":9100,"hostPort":9101,"protocol":"TCP"}],"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,"tolerations":[{"key":"dedicated","operator":"Equal","value":"infra"},{"operator":"Exists"},{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":30}]}}"#,
        "6f9949cf75",
    );
}

/// `a-init-container-request`: DaemonSet `agent`, initial template.
#[test]
fn a_init_container_request_agent_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"agent"}},"spec":{"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{"requests":{"cpu":"100m"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","initContainers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"init","resources":{"requests":{"cpu":"2"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "75bb5468cd",
    );
}

/// `a-random-020`: DaemonSet `ds-0`, initial template.
#[test]
fn a_random_020_ds_0_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"ds-0"}},"spec":{"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","ports":[{"containerPort":9100,"hostPort":9101,"protocol":"TCP"}],"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,"tolerations":[{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"gpu"}]}}"#,
        "5b6577f89d",
    );
}

/// `a-random-020`: DaemonSet `ds-1`, initial template.
#[test]
fn a_random_020_ds_1_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"ds-1"}},"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"gpu-count","operator":"In","values":["1","4"]},{"key":"gpu-count","operator":"Lt","values":["2"]}]},{"matchExpressions":[{"key":"tier","operator":"NotIn","values":["batch"]},{"key":"topology.kubernetes.io/zone","operator":"In","values":["zone-a"]}]}]}}},"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","hostNetwork":true,"priorityClassName":"system-node-critical","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,"tolerations":[{"effect":"NoSchedule","operator":"Exists"}]}}"#,
        "f748b7759",
    );
}

/// `s-ds-nodeselector-widen-surge`: DaemonSet `agent`, update template.
#[test]
fn s_ds_nodeselector_widen_surge_agent_update() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"agent"}},"spec":{"containers":[{"image":"agent:v2","imagePullPolicy":"IfNotPresent","name":"agent","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","nodeSelector":{"extra":"in"},"restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "696dbcd574",
    );
}

/// `b-deploy-fit`: Deployment `web`, initial template.
#[test]
fn b_deploy_fit_web_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{"requests":{"cpu":"1"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "7964c74964",
    );
}

/// `b-prefer-no-schedule`: Deployment `web`, initial template.
#[test]
fn b_prefer_no_schedule_web_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "7499f9478d",
    );
}

/// `b-hostport-deploy`: Deployment `web`, initial template.
#[test]
fn b_hostport_deploy_web_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","ports":[{"containerPort":8080,"hostPort":8080,"protocol":"TCP"}],"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "5859b775f9",
    );
}

/// `b-random-022`: Deployment `w`, initial template.
#[test]
fn b_random_022_w_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"w"}},"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"env","operator":"In","values":["staging"]},{"key":"gpu-count","operator":"In","values":["4"]}]},{"matchExpressions":[{"key":"tier","operator":"In","values":["backend"]}]}]}}},"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{"requests":{"cpu":"1","memory":"512Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,"tolerations":[{"key":"example.com/special","operator":"Exists"}]}}"#,
        "8449d5869d",
    );
}

/// `b-random-011`: Deployment `w`, initial template.
#[test]
fn b_random_011_w_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"w"}},"spec":{"affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"w"}},"topologyKey":"kubernetes.io/hostname"},"weight":100}]}},"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{"requests":{"cpu":"1","memory":"1Gi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,"topologySpreadConstraints":[{"labelSelector":{"matchLabels":{"app":"w"}},"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"ScheduleAnyway"}]}}"#,
        "b6989c898",
    );
}

/// `b-init-containers`: Deployment `web`, initial template.
#[test]
fn b_init_containers_web_initial() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{"requests":{"cpu":"100m"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","initContainers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"init","resources":{"requests":{"cpu":"3"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "7d7785df8f",
    );
}

/// `c-deploy-rolling-default-3`: Deployment `web`, update template.
#[test]
fn c_deploy_rolling_default_3_web_update() {
    check_compute_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.26","imagePullPolicy":"IfNotPresent","name":"web","resources":{"requests":{"cpu":"100m"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "7ff484d8b7",
    );
}

/// `c-sts-rolling-OrderedReady`: StatefulSet `db`, initial template.
#[test]
fn c_sts_rolling_orderedready_db_initial() {
    check_revision_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"db"}},"spec":{"containers":[{"image":"db:v1","imagePullPolicy":"IfNotPresent","name":"db","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "84ff67758b",
    );
}

/// `c-sts-rolling-OrderedReady`: StatefulSet `db`, update template.
#[test]
fn c_sts_rolling_orderedready_db_update() {
    check_revision_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"db"}},"spec":{"containers":[{"image":"db:v2","imagePullPolicy":"IfNotPresent","name":"db","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
        "6f8cd865bf",
    );
}

/// `b-random-001`: StatefulSet `w`, initial template.
#[test]
fn b_random_001_w_initial() {
    check_revision_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"w"}},"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["n02","n05","n08"]}]}]}}},"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{"requests":{"cpu":"500m","memory":"512Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,"topologySpreadConstraints":[{"labelSelector":{"matchLabels":{"app":"w"}},"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"ScheduleAnyway"}]}}"#,
        "7d9669dc6",
    );
}

/// `b-random-048`: StatefulSet `w`, initial template.
#[test]
fn b_random_048_w_initial() {
    check_revision_hash(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"w"}},"spec":{"affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"w"}},"topologyKey":"kubernetes.io/hostname"},"weight":100}]}},"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{"requests":{"cpu":"500m","memory":"64Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,"tolerations":[{"key":"example.com/special","operator":"Exists"}],"topologySpreadConstraints":[{"labelSelector":{"matchLabels":{"app":"w"}},"maxSkew":1,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"ScheduleAnyway"}]}}"#,
        "5945cdcfb5",
    );
}

/// The StatefulSet revision data is byte for byte what `getPatch` stores (here for `c-sts-rolling-OrderedReady`).
#[test]
fn statefulset_revision_data_bytes() {
    let t = template(
        r#"{"metadata":{"creationTimestamp":null,"labels":{"app":"db"}},"spec":{"containers":[{"image":"db:v1","imagePullPolicy":"IfNotPresent","name":"db","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}"#,
    );
    let want = r#"{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"db"}},"spec":{"containers":[{"image":"db:v1","imagePullPolicy":"IfNotPresent","name":"db","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}"#;
    assert_eq!(statefulset_revision_data(&t), want);
    assert_eq!(daemonset_revision_data(&t), want);
    assert_eq!(hash_controller_revision(want, Some(0)), "84ff67758b");
    // The probe is part of the hash: without it the name would differ.
    assert_ne!(hash_controller_revision(want, None), "84ff67758b");
}

/// The first bytes of the go-spew dump of a defaulted template.
#[test]
fn dump_starts_like_go_spew() {
    let t = template(r#"{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx","resources":{"requests":{"cpu":"100m","memory":"200Mi"}}}],"terminationGracePeriodSeconds":30,"securityContext":{}}}"#);
    let dump = template_dump(&t);
    assert!(dump.starts_with(
        "(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) GenerateName:(string) Namespace:(string) \
         SelfLink:(string) UID:(types.UID) ResourceVersion:(string) Generation:(int64)0 \
         CreationTimestamp:(v1.Time){Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}} \
         DeletionTimestamp:(*v1.Time)<nil> DeletionGracePeriodSeconds:(*int64)<nil> \
         Labels:(map[string]string)map[app:web] Annotations:(map[string]string)<nil> \
         OwnerReferences:([]v1.OwnerReference)<nil> Finalizers:([]string)<nil> ManagedFields:([]v1.ManagedFieldsEntry)<nil>} \
         Spec:(v1.PodSpec){Volumes:([]v1.Volume)<nil> InitContainers:([]v1.Container)<nil> \
         Containers:([]v1.Container)[{Name:(string)web Image:(string)nginx Command:([]string)<nil>"
    ), "{dump}");
    // Quantities: 100m keeps its text; 200Mi is not cached by ParseQuantity (200 is a multiple of 8).
    assert!(dump.contains(
        "Requests:(v1.ResourceList)map[\
         cpu:{i:(resource.int64Amount){value:(int64)100 scale:(resource.Scale)-3} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)100m Format:(resource.Format)DecimalSI} \
         memory:{i:(resource.int64Amount){value:(int64)209715200 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string) Format:(resource.Format)BinarySI}]"
    ), "{dump}");
    assert!(dump.contains("TerminationGracePeriodSeconds:(*int64)30 ActiveDeadlineSeconds:(*int64)<nil>"), "{dump}");
    assert!(dump.contains("SecurityContext:(*v1.PodSecurityContext){SELinuxOptions:(*v1.SELinuxOptions)<nil>"), "{dump}");
}

/// The controller hashes the template as read back from storage: quantities are re-parsed from their canonical
/// text, so spellings of the same amount hash alike once defaulted.
#[test]
fn quantities_hash_as_stored() {
    let with = |cpu: &str, mem: &str| {
        template(&format!(
            r#"{{"metadata":{{"labels":{{"app":"web"}}}},"spec":{{"containers":[{{"name":"web","image":"nginx","resources":{{"requests":{{"cpu":"{cpu}","memory":"{mem}"}}}}}}]}}}}"#
        ))
    };
    let canonical = compute_hash(&with("500m", "1Gi"), None);
    assert_eq!(compute_hash(&with("0.5", "1024Mi"), None), canonical);
    // The same amount in another format is another quantity: 1073741824 stays DecimalSI.
    assert_ne!(compute_hash(&with("500m", "1073741824"), None), canonical);
}

#[test]
fn collision_count_changes_the_hash() {
    let t = template(r#"{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}"#);
    let none = compute_hash(&t, None);
    assert_ne!(compute_hash(&t, Some(0)), none);
    assert_ne!(compute_hash(&t, Some(1)), compute_hash(&t, Some(0)));
}
