//! Reading arbitrary bytes as a manifest file: decoding, splitting, YAML, typed decoding. Every problem must be
//! a located diagnostic inside the file. Every document read straight from the parser's events must read the same
//! through serde-saphyr, the reference reader.
#![no_main]

use kubeplan::input::{load, yaml, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = Source::from_bytes("f.yaml", data);
    let lines = kubeplan::input::encoding::line_starts(&src.text).len() as u32;
    let loaded = load(std::slice::from_ref(&src));
    for d in &loaded.diagnostics {
        assert_eq!(d.file, "f.yaml");
        assert!(d.span.start.line >= 1 && d.span.start.line <= lines, "{d:?} in {lines} lines");
        assert!(!d.message.is_empty());
    }
    for chunk in yaml::split_stream("f.yaml", &src.text, &mut Vec::new()) {
        if let Some(direct) = yaml::parse_chunk_directly(&chunk) {
            assert_eq!(Ok(direct), yaml::parse_chunk_fully("f.yaml", &chunk), "{:?}", chunk.text);
        }
    }
});
