//! The Pod Security Standards' vocabulary (`pod-security-admission/api`): levels, versions, the namespace labels
//! that choose them, and the policy a namespace's labels amount to.

use std::collections::BTreeMap;
use std::fmt;

use crate::apiserver::validation::{FieldError, Path};

pub const ENFORCE_LEVEL_LABEL: &str = "pod-security.kubernetes.io/enforce";
pub const ENFORCE_VERSION_LABEL: &str = "pod-security.kubernetes.io/enforce-version";
pub const AUDIT_LEVEL_LABEL: &str = "pod-security.kubernetes.io/audit";
pub const AUDIT_VERSION_LABEL: &str = "pod-security.kubernetes.io/audit-version";
pub const WARN_LEVEL_LABEL: &str = "pod-security.kubernetes.io/warn";
pub const WARN_VERSION_LABEL: &str = "pod-security.kubernetes.io/warn-version";

/// A Pod Security Standards level, from the most to the least permissive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }

    /// `ParseLevel`: an unknown level reads as restricted, with an error.
    pub fn parse(s: &str) -> Result<Level, Level> {
        match s {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err(Level::Restricted),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy version: `v1.<minor>` or `latest`, which is newer than every numbered version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    Minor(u32),
    Latest,
}

impl Version {
    /// `ParseVersion`: `latest` or `v1.<n>` (no leading zeros); anything else reads as latest, with an error.
    pub fn parse(s: &str) -> Result<Version, Version> {
        if s == "latest" {
            return Ok(Version::Latest);
        }
        let minor = s.strip_prefix("v1.").filter(|m| {
            !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()) && (m.len() == 1 || !m.starts_with('0'))
        });
        minor.and_then(|m| m.parse().ok()).map(Version::Minor).ok_or(Version::Latest)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Minor(m) => write!(f, "v1.{m}"),
            Version::Latest => f.write_str("latest"),
        }
    }
}

/// A level at a version, printed `baseline:v1.28`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LevelVersion {
    pub level: Level,
    pub version: Version,
}

impl LevelVersion {
    pub const PRIVILEGED_LATEST: LevelVersion = LevelVersion { level: Level::Privileged, version: Version::Latest };
}

impl fmt::Display for LevelVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.version)
    }
}

/// What a namespace asks for in each mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub enforce: LevelVersion,
    pub audit: LevelVersion,
    pub warn: LevelVersion,
}

impl Policy {
    /// The default `PodSecurityConfiguration`: privileged:latest in every mode.
    pub const DEFAULT: Policy = Policy {
        enforce: LevelVersion::PRIVILEGED_LATEST,
        audit: LevelVersion::PRIVILEGED_LATEST,
        warn: LevelVersion::PRIVILEGED_LATEST,
    };

    pub fn fully_privileged(&self) -> bool {
        [self.enforce, self.audit, self.warn].iter().all(|lv| lv.level == Level::Privileged)
    }
}

/// `PolicyToEvaluate`: the policy a namespace's labels ask for over `defaults`, with an error per label whose
/// value is not a level or version. An invalid enforce level reads as restricted (fail closed), an invalid audit
/// or warn level as privileged (fail open), an invalid version as latest. Without its own warn label, warn is
/// raised to the enforce level, so a client hears about what enforcement will refuse.
pub fn policy_to_evaluate(labels: &BTreeMap<String, String>, defaults: Policy) -> (Policy, Vec<FieldError>) {
    let mut p = defaults;
    let mut errs = Vec::new();
    let labels_path = Path::of(&["metadata", "labels"]);
    let mut invalid = |label: &str, value: &str, detail: &str| {
        errs.push(FieldError::invalid(&labels_path.key(label), value.to_owned(), detail));
    };
    const LEVELS: &str = "must be one of privileged, baseline, restricted";
    const VERSIONS: &str = r#"must be "latest" or "v1.x""#;
    let mut has_enforce_level = false;
    if let Some(v) = labels.get(ENFORCE_LEVEL_LABEL) {
        p.enforce.level = Level::parse(v).unwrap_or_else(|l| {
            invalid(ENFORCE_LEVEL_LABEL, v, LEVELS);
            l
        });
        has_enforce_level = Level::parse(v).is_ok();
    }
    if let Some(v) = labels.get(ENFORCE_VERSION_LABEL) {
        p.enforce.version = Version::parse(v).unwrap_or_else(|l| {
            invalid(ENFORCE_VERSION_LABEL, v, VERSIONS);
            l
        });
    }
    if let Some(v) = labels.get(AUDIT_LEVEL_LABEL) {
        p.audit.level = Level::parse(v).unwrap_or_else(|_| {
            invalid(AUDIT_LEVEL_LABEL, v, LEVELS);
            Level::Privileged
        });
    }
    if let Some(v) = labels.get(AUDIT_VERSION_LABEL) {
        p.audit.version = Version::parse(v).unwrap_or_else(|l| {
            invalid(AUDIT_VERSION_LABEL, v, VERSIONS);
            l
        });
    }
    let has_warn_level = labels.contains_key(WARN_LEVEL_LABEL);
    if let Some(v) = labels.get(WARN_LEVEL_LABEL) {
        p.warn.level = Level::parse(v).unwrap_or_else(|_| {
            invalid(WARN_LEVEL_LABEL, v, LEVELS);
            Level::Privileged
        });
    }
    let has_warn_version = labels.contains_key(WARN_VERSION_LABEL);
    if let Some(v) = labels.get(WARN_VERSION_LABEL) {
        p.warn.version = Version::parse(v).unwrap_or_else(|l| {
            invalid(WARN_VERSION_LABEL, v, VERSIONS);
            l
        });
    }
    if !has_warn_level && has_enforce_level && p.enforce.level > p.warn.level {
        p.warn.level = p.enforce.level;
        if !has_warn_version {
            p.warn.version = p.enforce.version;
        }
    }
    (p, errs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn versions_parse_as_the_api_does() {
        assert_eq!(Version::parse("v1.28"), Ok(Version::Minor(28)));
        assert_eq!(Version::parse("latest"), Ok(Version::Latest));
        for bad in ["v1.028", "v2.1", "1.28", "v1.", "v1.x"] {
            assert_eq!(Version::parse(bad), Err(Version::Latest), "{bad}");
        }
        assert!(Version::Minor(40) < Version::Latest);
    }

    #[test]
    fn warn_follows_enforce_unless_set() {
        let (p, errs) = policy_to_evaluate(&labels(&[(ENFORCE_LEVEL_LABEL, "baseline"), (ENFORCE_VERSION_LABEL, "v1.28")]), Policy::DEFAULT);
        assert!(errs.is_empty());
        assert_eq!(p.warn.to_string(), "baseline:v1.28");
        assert_eq!(p.audit.to_string(), "privileged:latest");
        let (p, _) = policy_to_evaluate(
            &labels(&[(ENFORCE_LEVEL_LABEL, "restricted"), (WARN_LEVEL_LABEL, "baseline")]),
            Policy::DEFAULT,
        );
        assert_eq!(p.warn.level, Level::Baseline);
    }

    #[test]
    fn invalid_labels_fail_closed_for_enforce_and_open_for_the_rest() {
        let (p, errs) = policy_to_evaluate(&labels(&[(ENFORCE_LEVEL_LABEL, "strict"), (WARN_LEVEL_LABEL, "loud")]), Policy::DEFAULT);
        assert_eq!(p.enforce.level, Level::Restricted);
        assert_eq!(p.warn.level, Level::Privileged);
        assert_eq!(
            errs[0].to_string(),
            r#"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted"#
        );
        assert_eq!(errs.len(), 2);
    }
}
