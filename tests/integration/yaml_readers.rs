//! The two YAML readers agree: every document the direct reader (`input::tree`, straight from the parser's
//! events) takes must read exactly as serde-saphyr reads it — values, keys, order and every span — on the
//! examples and every conformance case's files. The direct reader must also take nearly all of them: it exists
//! because manifests are plain, and a change that sent them all back to serde-saphyr would pass unnoticed
//! otherwise. (The fuzz target `load` checks the same agreement on arbitrary input.)

use crate::conformance_cases;

use std::path::{Path, PathBuf};

use kubeplan::input::yaml::{parse_chunk_directly, parse_chunk_fully, split_stream};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

#[test]
fn the_direct_reader_reads_every_document_it_takes_as_serde_saphyr_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    yaml_files(&root.join("examples"), &mut files);
    yaml_files(&root.join("www/examples"), &mut files);
    for case in conformance_cases::public_cases().into_iter().chain(conformance_cases::new_cases()) {
        yaml_files(&case, &mut files);
    }
    files.sort();
    assert!(files.len() >= 20, "too few YAML files found: {}", files.len());

    let (mut direct, mut documents) = (0usize, 0usize);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let name = file.display().to_string();
        for chunk in split_stream(&name, &text, &mut Vec::new()) {
            documents += 1;
            if let Some(tree) = parse_chunk_directly(&chunk) {
                direct += 1;
                assert_eq!(Ok(tree), parse_chunk_fully(&name, &chunk), "{name}, document at line {}", chunk.first_line);
            }
        }
    }
    assert!(direct * 100 >= documents * 95, "the direct reader took {direct} of {documents} documents");
}
