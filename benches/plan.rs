//! Large-scale planning benchmark: `cargo bench --bench plan` (optionally `-- NAME...` to run only the scenarios
//! whose name contains one of the NAMEs). See `benches/README.md` for the scenarios and the latest figures.
//!
//! The scenarios are `../shared/bench/`'s: `ds-5k`, `basic-5k-10k`, `mixed-5k-150k` and `ds-130k`, read from
//! `$KUBEPLAN_BENCH_DIR`, or else from `target/bench-data/`, generated there by `../shared/bench/gen.py` when
//! missing. Each scenario runs in a child process of this binary (re-executed with `--scenario NAME FILE`), so
//! that its peak RSS (`VmHWM`) is its own. The child times reading (YAML load and decode), planning
//! (controllers, scheduler and kubelet until settled), and the JSON output, as `kubeplan plan --output json`
//! does them; the parent prints a table and writes `target/bench-results.json`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use kubeplan::input::{self, Source};
use kubeplan::api::core_v1::Pod;
use kubeplan::api::GroupKind;
use kubeplan::facade::{plan_loaded, PlanRequest};

/// The CLI's allocator (src/main.rs), so that the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SCENARIOS: [&str; 4] = ["ds-5k", "basic-5k-10k", "mixed-5k-150k", "ds-130k"];

/// What one scenario measured (one JSON line from the child).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Result {
    scenario: String,
    nodes: usize,
    pods: usize,
    pods_placed: usize,
    placements: usize,
    load_s: f64,
    plan_s: f64,
    output_s: f64,
    total_s: f64,
    pods_per_s: f64,
    output_bytes: usize,
    peak_rss_kb: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--scenario") {
        let (Some(name), Some(file)) = (args.get(1), args.get(2)) else {
            eprintln!("usage: plan --scenario NAME FILE");
            std::process::exit(2);
        };
        let r = run_scenario(name, Path::new(file));
        println!("{}", serde_json::to_string(&r).expect("a result serialises"));
        return;
    }
    // `cargo bench` passes `--bench`; every other plain argument filters the scenarios.
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let selected: Vec<&str> =
        SCENARIOS.iter().copied().filter(|s| filters.is_empty() || filters.iter().any(|f| s.contains(f.as_str()))).collect();
    let dir = bench_dir(&selected);
    let exe = std::env::current_exe().expect("the bench binary knows its path");
    let mut results = Vec::new();
    for name in selected {
        let file = dir.join(format!("{name}.yaml"));
        eprintln!("running {name} ({})", file.display());
        let out = Command::new(&exe).arg("--scenario").arg(name).arg(&file).output().expect("the bench re-executes itself");
        if !out.status.success() {
            eprintln!("{name} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
            continue;
        }
        let line = String::from_utf8_lossy(&out.stdout);
        match serde_json::from_str::<Result>(line.trim()) {
            Ok(r) => results.push(r),
            Err(e) => eprintln!("{name}: unreadable result ({e}): {line}"),
        }
    }
    print_table(&results);
    let path = target_dir().join("bench-results.json");
    let json = serde_json::to_string_pretty(&results).expect("results serialise");
    match std::fs::write(&path, json + "\n") {
        Ok(()) => println!("\nwritten to {}", path.display()),
        Err(e) => eprintln!("cannot write {}: {e}", path.display()),
    }
}

/// Read, plan and render one scenario, timing each part.
fn run_scenario(name: &str, file: &Path) -> Result {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let t0 = Instant::now();
    let sources = vec![Source::new(file.display().to_string(), text)];
    let loaded = input::load(&sources);
    let load_s = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let report = plan_loaded(loaded, PlanRequest::default());
    let plan_s = t1.elapsed().as_secs_f64();

    let t2 = Instant::now();
    // As the native CLI prints it: written out in parts as it is made, never held whole.
    let mut written = Counted(0);
    kubeplan::output::json::write_to(&report, kubeplan::output::json::Detail::Full, &mut written).expect("counting cannot fail");
    let output_s = t2.elapsed().as_secs_f64();
    let total_s = t0.elapsed().as_secs_f64();

    let objects = report.objects();
    let pods_placed = objects.list::<Pod>().filter(|p| !p.spec.node_name.is_empty()).count();
    Result {
        scenario: name.to_owned(),
        nodes: objects.count(GroupKind::Node),
        pods: objects.count(GroupKind::Pod),
        pods_placed,
        placements: report.placements().len(),
        load_s,
        plan_s,
        output_s,
        total_s,
        pods_per_s: pods_placed as f64 / plan_s.max(1e-9),
        output_bytes: written.0,
        peak_rss_kb: peak_rss_kb(),
    }
}

/// `VmHWM` of this process, in kB (0 where /proc is not available).
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    }
}

/// `$KUBEPLAN_BENCH_DIR`, or `target/bench-data/` with the scenario files generated when any is missing.
fn bench_dir(selected: &[&str]) -> PathBuf {
    if let Some(d) = std::env::var_os("KUBEPLAN_BENCH_DIR") {
        return PathBuf::from(d);
    }
    let dir = target_dir().join("bench-data");
    if selected.iter().all(|s| dir.join(format!("{s}.yaml")).exists()) {
        return dir;
    }
    // `../shared` from the repository root (`../../shared` from a worktree under `wt/`).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gen = ["../shared/bench/gen.py", "../../shared/bench/gen.py"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.exists())
        .unwrap_or_else(|| root.join("../shared/bench/gen.py"));
    eprintln!("generating the scenarios into {} with {}", dir.display(), gen.display());
    std::fs::create_dir_all(&dir).expect("target/bench-data can be created");
    let status = Command::new("python3").arg(&gen).arg(&dir).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("{} failed; set KUBEPLAN_BENCH_DIR to a directory holding the scenario files", gen.display());
        std::process::exit(2);
    }
    dir
}

fn print_table(results: &[Result]) {
    println!(
        "\n{:<15} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10} {:>9} {:>11}",
        "scenario", "nodes", "placed", "load s", "plan s", "output s", "total s", "pods/s", "JSON MB", "peak RSS MB"
    );
    for r in results {
        println!(
            "{:<15} {:>7} {:>8} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>10.0} {:>9.1} {:>11.1}",
            r.scenario,
            r.nodes,
            r.pods_placed,
            r.load_s,
            r.plan_s,
            r.output_s,
            r.total_s,
            r.pods_per_s,
            r.output_bytes as f64 / 1e6,
            r.peak_rss_kb as f64 / 1024.0,
        );
    }
}

/// A sink that only counts the bytes written to it.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
