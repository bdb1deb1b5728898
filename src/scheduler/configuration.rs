//! kube-scheduler's `--config` among the input: the first `KubeSchedulerConfiguration` document gives the
//! profiles the scheduler runs, or kube-scheduler's refusal; any further one is refused (kube-scheduler reads one
//! file). One reading serves the plan (a rejection per refusal), lint and editors (a finding per error, at its
//! field), and the playground ([`check`]).

use serde_json::Value;

use crate::diag::{Diagnostic, Span};
use crate::input::{self, Document, Source};

use super::config::ConfigError;
use super::Profiles;

/// The message of a second configuration document (kube-scheduler has none: it reads one `--config` file).
pub const SECOND_CONFIGURATION: &str =
    "only one KubeSchedulerConfiguration may be given (kube-scheduler reads one --config file); this one is ignored";

/// What kube-scheduler makes of the configuration documents.
#[derive(Debug, Default)]
pub struct Configured {
    /// The profiles of the first document, when kube-scheduler would start with it.
    pub profiles: Option<Profiles>,
    pub refusals: Vec<Refusal>,
}

/// A document kube-scheduler refuses: its whole message, where it points first, and each error at its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub file: String,
    pub span: Span,
    pub message: String,
    pub errors: Vec<LocatedError>,
}

/// One error of a refusal: its message, the JSON path of its field (empty for the document) and the field's
/// span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedError {
    pub path: String,
    pub span: Span,
    pub message: String,
}

impl Refusal {
    fn new(doc: &Document, e: &ConfigError) -> Refusal {
        let errors: Vec<LocatedError> = e
            .problems
            .iter()
            .map(|p| LocatedError { path: p.path.clone(), span: doc.tree.locate_span(&p.path), message: p.message.clone() })
            .collect();
        let span = errors.first().map_or(doc.tree.span, |e| e.span);
        Refusal { file: doc.file.to_string(), span, message: e.message.clone(), errors }
    }

    /// One located error diagnostic per error.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.errors.iter().map(|e| Diagnostic::error("scheduler-config", &self.file, e.span, e.message.clone()))
    }
}

/// Read the configuration documents as kube-scheduler reads its `--config`.
pub fn configure(documents: &[Document]) -> Configured {
    let mut out = Configured::default();
    for (i, doc) in documents.iter().enumerate() {
        let result = if i == 0 { super::profiles_from(&doc.tree) } else { Err(ConfigError::at("", SECOND_CONFIGURATION)) };
        match result {
            Ok(p) => out.profiles = Some(p),
            Err(e) => out.refusals.push(Refusal::new(doc, &e)),
        }
    }
    out
}

/// A configuration file checked as kube-scheduler checks it, for editors and the playground.
#[derive(Clone, Debug, Default)]
pub struct Check {
    /// The configuration as kube-scheduler would run it (v1, defaulted; see
    /// [`super::config::KubeSchedulerConfiguration::effective`]), when it would start with it.
    pub effective: Option<Value>,
    /// What is wrong, located: the file's syntax, then each error of the configuration at its field.
    pub diagnostics: Vec<Diagnostic>,
}

/// Check a configuration file (other documents in it are ignored). A file without a configuration is the
/// default configuration.
pub fn check(source: &Source) -> Check {
    let loaded = input::load(std::slice::from_ref(source));
    let syntax = loaded.diagnostics.into_iter().filter(|d| d.severity == crate::diag::Severity::Error && d.code != "unknown-kind");
    let mut diagnostics: Vec<Diagnostic> = syntax.collect();
    let configured = configure(&loaded.scheduler_configurations);
    for r in &configured.refusals {
        diagnostics.extend(r.diagnostics());
    }
    let effective = match (&configured.profiles, loaded.scheduler_configurations.is_empty()) {
        (Some(p), _) => Some(p.config.effective()),
        (None, true) => Some(super::config::KubeSchedulerConfiguration::default().effective()),
        (None, false) => None,
    };
    Check { effective, diagnostics }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_located_at_their_fields_and_a_valid_file_gives_the_effective_configuration() {
        let text = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nparallelism: 0\nprofiles:\n- percentageOfNodesToScore: 101\n";
        let c = check(&Source::new("s.yaml", text));
        assert!(c.effective.is_none());
        let at: Vec<(u32, u32, &str)> = c.diagnostics.iter().map(|d| (d.span.start.line, d.span.start.col, d.message.as_str())).collect();
        assert_eq!(
            at,
            [
                (3, 14, "parallelism: Invalid value: 0: should be an integer value greater than zero"),
                (5, 29, "profiles[0].percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]")
            ]
        );
        let ok = check(&Source::new("s.yaml", text.replace("parallelism: 0", "parallelism: 4").replace("101", "40")));
        assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
        let effective = ok.effective.unwrap();
        assert_eq!((effective["parallelism"].as_i64(), effective["profiles"][0]["percentageOfNodesToScore"].as_i64()), (Some(4), Some(40)));
    }

    #[test]
    fn a_second_configuration_is_refused() {
        let doc = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";
        let loaded = input::load(&[Source::new("s.yaml", format!("{doc}---\n{doc}"))]);
        let c = configure(&loaded.scheduler_configurations);
        assert!(c.profiles.is_some());
        assert_eq!(c.refusals.len(), 1);
        assert_eq!((c.refusals[0].span.start.line, c.refusals[0].message.as_str()), (4, SECOND_CONFIGURATION));
    }
}
