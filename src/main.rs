//! The native command-line interface: a thin shell around [`kubeplan::cli`] that reads real files.

use std::io::{Read, Write};
use std::process::ExitCode;

use kubeplan::cli::{self, Io};

struct Fs;

impl Io for Fs {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
    }

    fn is_dir(&mut self, path: &str) -> bool {
        std::path::Path::new(path).is_dir()
    }

    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String> {
        let entries = std::fs::read_dir(path).map_err(|e| format!("{path}: {e}"))?;
        Ok(entries.filter_map(|e| e.ok()).map(|e| e.path().display().to_string()).collect())
    }

    fn read_stdin(&mut self) -> Result<String, String> {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("reading stdin: {e}"))?;
        Ok(s)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = cli::run(&args, &mut Fs);
    // A closed pipe (`kubeplan plan ... | head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(u8::try_from(out.code).unwrap_or(2))
}
