//! Lint throughput: `cargo bench --bench lint` (optionally `-- N` for the number of resources, default
//! 20,000). Generates a corpus of realistic manifests — Deployments, DaemonSets, StatefulSets, Services, Jobs,
//! Pods and ConfigMaps, 30–50 lines each, some with problems — lints it in one call as `kubeplan lint` does,
//! and prints resources per second for the whole run and for reading alone.
//!
//! `-- N --write DIR` writes the corpus to DIR instead (its files as `kubeplan lint` would read them), so two
//! builds of the CLI can be timed on the same files (`benches/paired.sh`, `hyperfine`).

use std::time::Instant;

use kubeplan::input::{self, Source};
use kubeplan::lint::{lint, LintOptions};

/// The CLI's allocator (src/main.rs), so that the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn deployment(i: usize) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  namespace: team-{ns}
  labels:
    app: web-{i}
    tier: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web-{i}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata:
      labels:
        app: web-{i}
        tier: frontend
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: MODE
          value: production
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
      tolerations:
      - key: dedicated
        operator: Equal
        value: web
        effect: NoSchedule
",
        ns = i % 7
    )
}

fn daemonset(i: usize) -> String {
    format!(
        "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent-{i}
  namespace: kube-system
spec:
  selector:
    matchLabels: {{app: agent-{i}}}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {{maxUnavailable: 1}}
  template:
    metadata:
      labels: {{app: agent-{i}}}
    spec:
      hostNetwork: true
      tolerations:
      - key: node-role.kubernetes.io/master
        operator: Exists
        effect: NoSchedule
      containers:
      - name: agent
        image: registry.example.com/agent:2.{i}
        args: [\"--metrics-port=9100\"]
        ports:
        - containerPort: 9100
        volumeMounts:
        - {{name: proc, mountPath: /host/proc, readOnly: true}}
      volumes:
      - name: proc
        hostPath: {{path: /proc}}
"
    )
}

fn statefulset(i: usize) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db-{i}
spec:
  serviceName: db-{i}
  replicas: 3
  selector:
    matchLabels: {{app: db-{i}}}
  template:
    metadata:
      labels: {{app: db-{i}}}
    spec:
      containers:
      - name: postgres
        image: postgres:16
        ports:
        - {{containerPort: 5432, name: pg}}
        resources:
          requests: {{cpu: 500m, memory: 1Gi}}
---
apiVersion: v1
kind: Service
metadata:
  name: db-{i}
spec:
  clusterIP: None
  selector: {{app: db-{i}}}
  ports:
  - port: 5432
    targetPort: pg
"
    )
}

fn job(i: usize) -> String {
    format!(
        "apiVersion: batch/v1
kind: Job
metadata:
  name: migrate-{i}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: {policy}
      containers:
      - name: migrate
        image: migrate:1.{i}
        command: [\"/migrate\", \"--to=latest\"]
        resources:
          requests: {{cpu: 50m, memory: 64Mi}}
",
        policy = if i % 10 == 0 { "Always" } else { "Never" }
    )
}

fn pod_and_config(i: usize) -> String {
    format!(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: config-{i}
data:
  app.properties: |
    mode=production
    level=info
---
apiVersion: v1
kind: Pod
metadata:
  name: debug-{i}
  labels: {{app: debug}}
spec:
  containers:
  - name: shell
    image: busybox:1.36
    command: [sleep, \"3600\"]
    resources:
      requests: {{cpu: 10m, memory: 16Mi}}
"
    )
}

/// About `n` resources, one file per 500.
fn corpus(n: usize) -> (Vec<Source>, usize) {
    let mut files = Vec::new();
    let mut text = String::new();
    let mut count = 0;
    let mut i = 0;
    while count < n {
        let (doc, k) = match i % 10 {
            0..=4 => (deployment(i), 1),
            5 | 6 => (daemonset(i), 1),
            7 => (statefulset(i), 2),
            8 => (job(i), 1),
            _ => (pod_and_config(i), 2),
        };
        if !text.is_empty() {
            text.push_str("---\n");
        }
        text.push_str(&doc);
        count += k;
        i += 1;
        if i % 500 == 0 {
            files.push(Source::new(format!("manifests/part-{:03}.yaml", files.len()), std::mem::take(&mut text)));
        }
    }
    if !text.is_empty() {
        files.push(Source::new(format!("manifests/part-{:03}.yaml", files.len()), text));
    }
    (files, count)
}

/// The directory after `--write`, if given.
fn write_dir() -> Option<std::path::PathBuf> {
    let mut args = std::env::args().skip_while(|a| a != "--write");
    args.next()?;
    args.next().map(Into::into)
}

fn write_corpus(dir: &std::path::Path, sources: &[Source]) {
    for source in sources {
        let path = dir.join(&source.name);
        std::fs::create_dir_all(path.parent().expect("a file name under manifests/")).expect("create the corpus directory");
        std::fs::write(&path, source.text.as_bytes()).expect("write a corpus file");
    }
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(20_000);
    let (sources, count) = corpus(n);
    if let Some(dir) = write_dir() {
        write_corpus(&dir, &sources);
        println!("corpus: {count} resources written to {}", dir.display());
        return;
    }
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    println!("corpus: {count} resources in {} files, {:.1} MB", sources.len(), bytes as f64 / 1e6);

    let t = Instant::now();
    let loaded = input::load(&sources);
    let read = t.elapsed().as_secs_f64();
    println!("read only:  {:>9.0} resources/s ({} objects, {read:.3}s)", count as f64 / read, loaded.manifests.len());

    // Warm-up, then the best of three.
    let report = lint(&sources, &LintOptions::default());
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let r = lint(&sources, &LintOptions::default());
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(r.findings.len(), report.findings.len());
    }
    println!(
        "lint:       {:>9.0} resources/s ({} findings, {best:.3}s)",
        count as f64 / best,
        report.findings.len()
    );
}
