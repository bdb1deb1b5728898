//! An in-memory file system for the CLI tests: `cli::run` reads its files through it.
#![allow(dead_code)]

use std::collections::BTreeMap;

use kubeplan::cli::Io;

/// Files by path; no directories, and an empty stdin.
pub struct Mem(pub BTreeMap<String, String>);

impl Io for Mem {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| format!("{path}: no such file"))
    }
    fn is_dir(&mut self, _: &str) -> bool {
        false
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String> {
        Err(format!("{path}: not a directory"))
    }
    fn read_stdin(&mut self) -> Result<String, String> {
        Ok(String::new())
    }
}
