//! The Pod Security Standards' checks as a registry (`pod-security-admission/policy`): which checks a level at a
//! version runs, in which order, and how their results read together.

use crate::api::core_v1::PodSpec;
use crate::api::meta_v1::ObjectMeta;

use super::api::{Level, LevelVersion, Version};
use super::checks::{self, Check, Finding};

/// A finding with the check that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub check: &'static str,
    pub finding: Finding,
}

/// The newest version any check changed in: later versions, and `latest`, evaluate as this one.
fn max_version() -> u32 {
    checks::ALL.iter().filter_map(|c| c.versions.last()).map(|v| v.minimum).max().unwrap_or(0)
}

/// `EvaluatePod`: every check of `lv` the pod fails, baseline checks first, each group by check ID.
pub fn evaluate(lv: LevelVersion, meta: &ObjectMeta, spec: &PodSpec) -> Vec<Violation> {
    if lv.level == Level::Privileged {
        return Vec::new();
    }
    let max = max_version();
    let v = match lv.version {
        Version::Minor(m) => m.min(max),
        Version::Latest => max,
    };
    let overridden: Vec<&str> = if lv.level == Level::Restricted {
        checks::ALL.iter().filter(|c| c.level == Level::Restricted).filter_map(|c| c.at(v)).flat_map(|c| c.overrides.iter().copied()).collect()
    } else {
        Vec::new()
    };
    let applies = |c: &&Check| match c.level {
        Level::Baseline => !overridden.contains(&c.id),
        _ => lv.level == Level::Restricted,
    };
    let mut ordered: Vec<&Check> = checks::ALL.iter().filter(applies).collect();
    ordered.sort_by_key(|c| (c.level, c.id));
    ordered
        .into_iter()
        .filter_map(|c| {
            let finding = (c.at(v)?.check)(meta, spec)?;
            Some(Violation { check: c.id, finding })
        })
        .collect()
}

/// `AggregateCheckResult.ForbiddenReason`: the reasons, comma-separated.
pub fn forbidden_reason(violations: &[Violation]) -> String {
    violations.iter().map(|v| v.finding.reason.as_str()).collect::<Vec<_>>().join(", ")
}

/// `AggregateCheckResult.ForbiddenDetail`: each reason with its detail in parentheses, comma-separated.
pub fn forbidden_detail(violations: &[Violation]) -> String {
    let parts: Vec<String> = violations
        .iter()
        .map(|v| {
            if v.finding.detail.is_empty() {
                v.finding.reason.clone()
            } else {
                format!("{} ({})", v.finding.reason, v.finding.detail)
            }
        })
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::{Container, SecurityContext};
    use crate::apiserver::validation::OwnedPath;

    fn lv(level: Level, version: Version) -> LevelVersion {
        LevelVersion { level, version }
    }

    fn plain() -> PodSpec {
        PodSpec { containers: vec![Container { name: "app".into(), ..Default::default() }], ..Default::default() }
    }

    #[test]
    fn restricted_runs_baseline_checks_first_and_its_own_in_id_order() {
        let mut spec = plain();
        spec.host_network = true;
        let v = evaluate(lv(Level::Restricted, Version::Latest), &ObjectMeta::default(), &spec);
        let ids: Vec<_> = v.iter().map(|v| v.check).collect();
        assert_eq!(ids, ["hostNamespaces", "allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot", "seccompProfile_restricted"]);
        assert!(evaluate(lv(Level::Baseline, Version::Latest), &ObjectMeta::default(), &plain()).is_empty());
        assert!(evaluate(lv(Level::Privileged, Version::Latest), &ObjectMeta::default(), &spec).is_empty());
    }

    #[test]
    fn older_versions_run_older_rules() {
        // Before v1.22 restricted checked capabilities with the baseline rule, which a plain pod passes.
        let v = evaluate(lv(Level::Restricted, Version::Minor(21)), &ObjectMeta::default(), &plain());
        assert!(!v.iter().any(|v| v.check.starts_with("capabilities")));
        // Later than any rule change: as latest.
        let later = evaluate(lv(Level::Restricted, Version::Minor(99)), &ObjectMeta::default(), &plain());
        assert_eq!(later, evaluate(lv(Level::Restricted, Version::Latest), &ObjectMeta::default(), &plain()));
    }

    #[test]
    fn the_detail_reads_as_the_api_server_writes_it() {
        let mut spec = plain();
        spec.containers[0].security_context = Some(Box::new(SecurityContext { privileged: Some(true), ..Default::default() }));
        spec.host_network = true;
        let v = evaluate(lv(Level::Baseline, Version::Latest), &ObjectMeta::default(), &spec);
        assert_eq!(
            forbidden_detail(&v),
            r#"host namespaces (hostNetwork=true), privileged (container "app" must not set securityContext.privileged=true)"#
        );
        assert_eq!(forbidden_reason(&v), "host namespaces, privileged");
        assert_eq!(v[1].finding.fields, [OwnedPath::new("spec.containers[0].securityContext.privileged")]);
    }
}
