//! Planning arbitrary bytes (with an update and a steps file cut from the same input) through the CLI, in every
//! output format.
#![no_main]

use kubeplan_fuzz::{run, Files};
use libfuzzer_sys::fuzz_target;

/// The input is up to three files separated by `\n#%%\n`: manifests, an update, steps.
const SEPARATOR: &[u8] = b"\n#%%\n";

fuzz_target!(|data: &[u8]| {
    let mut parts = split(data);
    let manifests = parts.next().unwrap_or_default();
    let update = parts.next();
    let steps = parts.next();
    let output = ["json", "table", "wide", "yaml", "rollout"][data.first().map_or(0, |b| *b as usize % 5)];
    let mut files = Files::default().with("m.yaml", manifests);
    let mut args = vec!["plan", "m.yaml", "-o", output];
    if let Some(u) = update {
        files = files.with("u.yaml", u);
        args.extend(["--update", "u.yaml"]);
    }
    if let Some(s) = steps {
        files = files.with("s.yaml", s);
        args.extend(["--steps", "s.yaml"]);
    }
    let out = run(&args, true, &mut files);
    if output == "json" {
        kubeplan_fuzz::assert_canonical_json(&out.stdout);
    }
});

fn split(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(i) => {
                rest = Some(&r[i + SEPARATOR.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}
