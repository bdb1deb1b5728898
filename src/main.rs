//! The native command-line interface: a thin shell around [`kubeplan::cli`] that reads real files.

use std::io::{Read, Write};
use std::process::ExitCode;

use kubeplan::cli::{self, Command, Io};

/// mimalloc rather than the system allocator: see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use kubeplan::lsp::framing::{self, Decoder};
use kubeplan::lsp::Server;

/// The file system and standard output of the process.
struct Fs {
    stdout: std::io::Stdout,
}

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

    /// A regular file's size is checked before reading; a device or pipe (`/dev/zero`, stdin) is read up to
    /// one byte past the limit.
    fn read_bytes(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        let read = if path == "-" {
            std::io::stdin().lock().take(limit as u64 + 1).read_to_end(&mut bytes)
        } else {
            let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
            let size = file.metadata().map_err(|e| format!("{path}: {e}"))?.len();
            if size > limit as u64 {
                return Err(cli::too_large(path, size, limit));
            }
            file.take(limit as u64 + 1).read_to_end(&mut bytes)
        };
        read.map_err(|e| format!("{path}: {e}"))?;
        if bytes.len() > limit {
            return Err(cli::too_large(path, bytes.len() as u64, limit));
        }
        Ok(bytes)
    }

    fn exits_after_command(&self) -> bool {
        true
    }

    fn stdout(&mut self) -> Option<&mut dyn Write> {
        Some(&mut self.stdout)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut fs = Fs { stdout: std::io::stdout() };
    if let Ok(Command::Lsp(a)) = cli::command(&args) {
        return match cli::lsp_server(&a, &mut fs) {
            Ok(server) => serve(server),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let out = cli::run(&args, &mut fs);
    // A closed pipe (`kubeplan plan ... | head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(u8::try_from(out.code).unwrap_or(2))
}

/// `kubeplan lsp`: read framed messages from stdin, answer on stdout, until `exit` or the end of input.
fn serve(mut server: Server) -> ExitCode {
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut decoder = Decoder::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) => return ExitCode::from(1),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return ExitCode::from(1),
        };
        decoder.push(&buf[..n]);
        while let Some(message) = decoder.next_message() {
            let replies = match message {
                Ok(body) => server.handle(&body),
                Err(e) => {
                    eprintln!("kubeplan lsp: {e}");
                    continue;
                }
            };
            for reply in replies {
                if stdout.write_all(&framing::encode(&reply)).and_then(|_| stdout.flush()).is_err() {
                    return ExitCode::from(1);
                }
            }
            if let Some(code) = server.exit_code() {
                return ExitCode::from(u8::try_from(code).unwrap_or(1));
            }
        }
    }
}
