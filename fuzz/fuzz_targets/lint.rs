//! Linting arbitrary bytes, with and without nodes, strict or not, rendered in every format.
#![no_main]

use kubeplan_fuzz::{run, Files};
use libfuzzer_sys::fuzz_target;

const FORMATS: [&str; 6] = ["text", "json", "sarif", "github", "junit", "lsp"];

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else { return };
    // Bit 0: --strict; bit 1: plan the manifests on themselves as the nodes too; bits 2-4: the format;
    // bit 5: --closed-world.
    let format = FORMATS[(options as usize >> 2) % FORMATS.len()];
    let mut files = Files::default().with("m.yaml", rest);
    let mut args = vec!["lint", "m.yaml", "--format", format];
    if options & 1 == 1 {
        args.push("--strict");
    }
    if options & 32 == 32 {
        args.push("--closed-world");
    }
    if options & 2 == 2 {
        files = files.with("n.yaml", rest);
        args.extend(["--nodes", "n.yaml"]);
    }
    let out = run(&args, true, &mut files);
    if format == "json" || format == "sarif" || format == "lsp" {
        serde_json::from_str::<serde_json::Value>(&out.stdout).expect("the report is JSON");
    }
});
