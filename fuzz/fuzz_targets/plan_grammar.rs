//! Whole plans of generated clusters: nodes with any quantities, labels and taints; every workload kind with
//! small counts, selectors, tolerations, priorities and update strategies; an update; and steps. The grammar
//! keeps names in small pools so that selectors, owners and steps refer to each other and the fuzzer reaches the
//! controllers, the scheduler (filters, scores, preemption) and the rollouts, not only the decoder.
#![no_main]

use kubeplan_fuzz::grammar::Scenario;
use kubeplan_fuzz::{run, Files};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|scenario: Scenario| {
    let mut files = Files::default().with("m.yaml", scenario.manifests().as_bytes());
    let mut args = vec!["plan", "m.yaml", "-o", "json"];
    if let Some(update) = scenario.update() {
        files = files.with("u.yaml", update.as_bytes());
        args.extend(["--update", "u.yaml"]);
    }
    if let Some(steps) = scenario.steps() {
        files = files.with("s.yaml", steps.as_bytes());
        args.extend(["--steps", "s.yaml"]);
    }
    let out = run(&args, true, &mut files);
    kubeplan_fuzz::assert_canonical_json(&out.stdout);
    let wide = ["plan", "m.yaml", "-o", "wide"];
    run(&wide, true, &mut files);
});
