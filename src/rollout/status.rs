//! What `kubectl rollout status` prints for a workload (`kubectl/pkg/polymorphichelpers/rollout_status.go`:
//! the DaemonSet, Deployment and StatefulSet status viewers), reading the [`WorkloadStatus`] the recorder kept.

use serde::Serialize;

use crate::cluster::WorkloadStatus;
use crate::go::fmt::quote;

/// One answer of a status viewer: the line kubectl prints (without its newline), whether kubectl stops watching,
/// and whether it is an error (kubectl prints `error: <message>` and exits 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusLine {
    pub message: String,
    pub done: bool,
    pub error: bool,
}

impl StatusLine {
    fn waiting(message: String) -> StatusLine {
        StatusLine { message, done: false, error: false }
    }

    fn done(message: String) -> StatusLine {
        StatusLine { message, done: true, error: false }
    }

    fn error(message: String, done: bool) -> StatusLine {
        StatusLine { message, done, error: true }
    }

    /// The line as kubectl writes it: the message on stdout, or `error: ` and the message on stderr.
    pub fn printed(&self) -> String {
        if self.error {
            format!("error: {}", self.message)
        } else {
            self.message.clone()
        }
    }
}

const ONLY_ROLLING_UPDATE: &str = "rollout status is only available for RollingUpdate strategy type";

/// `StatusViewer.Status` for the workload `name` (with revision 0: no particular revision asked for).
pub fn status(name: &str, s: &WorkloadStatus) -> StatusLine {
    match s {
        WorkloadStatus::DaemonSet {
            generation,
            observed_generation,
            strategy,
            desired_number_scheduled: desired,
            updated_number_scheduled: updated,
            number_available: available,
            ..
        } => {
            if strategy != "RollingUpdate" {
                return StatusLine::error(ONLY_ROLLING_UPDATE.into(), true);
            }
            if generation > observed_generation {
                return StatusLine::waiting("Waiting for daemon set spec update to be observed...".into());
            }
            let name = quote(name);
            if updated < desired {
                StatusLine::waiting(format!(
                    "Waiting for daemon set {name} rollout to finish: {updated} out of {desired} new pods have been updated..."
                ))
            } else if available < desired {
                StatusLine::waiting(format!(
                    "Waiting for daemon set {name} rollout to finish: {available} of {desired} updated pods are available..."
                ))
            } else {
                StatusLine::done(format!("daemon set {name} successfully rolled out"))
            }
        }
        WorkloadStatus::Deployment {
            generation,
            observed_generation,
            spec_replicas,
            replicas,
            updated_replicas: updated,
            available_replicas: available,
            progress_deadline_exceeded,
            ..
        } => {
            if generation > observed_generation {
                return StatusLine::waiting("Waiting for deployment spec update to be observed...".into());
            }
            let name = quote(name);
            if *progress_deadline_exceeded {
                return StatusLine::error(format!("deployment {name} exceeded its progress deadline"), false);
            }
            match spec_replicas {
                Some(want) if updated < want => StatusLine::waiting(format!(
                    "Waiting for deployment {name} rollout to finish: {updated} out of {want} new replicas have been updated..."
                )),
                _ if replicas > updated => StatusLine::waiting(format!(
                    "Waiting for deployment {name} rollout to finish: {} old replicas are pending termination...",
                    replicas - updated
                )),
                _ if available < updated => StatusLine::waiting(format!(
                    "Waiting for deployment {name} rollout to finish: {available} of {updated} updated replicas are available..."
                )),
                _ => StatusLine::done(format!("deployment {name} successfully rolled out")),
            }
        }
        WorkloadStatus::StatefulSet {
            generation,
            observed_generation,
            strategy,
            spec_replicas,
            rolling_update,
            partition,
            ready_replicas: ready,
            updated_replicas: updated,
            current_replicas: current,
            current_revision,
            update_revision,
        } => {
            if strategy != "RollingUpdate" {
                return StatusLine::error(ONLY_ROLLING_UPDATE.into(), true);
            }
            if *observed_generation == 0 || generation > observed_generation {
                return StatusLine::waiting("Waiting for statefulset spec update to be observed...".into());
            }
            if let Some(want) = spec_replicas {
                if ready < want {
                    return StatusLine::waiting(format!("Waiting for {} pods to be ready...", want - ready));
                }
            }
            if *rolling_update {
                if let (Some(want), Some(partition)) = (spec_replicas, partition) {
                    if *updated < want - partition {
                        return StatusLine::waiting(format!(
                            "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...",
                            want - partition
                        ));
                    }
                }
                return StatusLine::done(format!(
                    "partitioned roll out complete: {updated} new pods have been updated..."
                ));
            }
            if update_revision != current_revision {
                return StatusLine::waiting(format!(
                    "waiting for statefulset rolling update to complete {updated} pods at revision {update_revision}..."
                ));
            }
            StatusLine::done(format!(
                "statefulset rolling update complete {current} pods at revision {current_revision}..."
            ))
        }
    }
}

/// Whether the workload has nothing left to roll out: the viewer's "done", judged also for strategies the viewer
/// refuses (OnDelete, where old pods wait for someone to delete them) as if they rolled.
pub fn complete(s: &WorkloadStatus) -> bool {
    let mut s = s.clone();
    match &mut s {
        WorkloadStatus::DaemonSet { strategy, .. } | WorkloadStatus::StatefulSet { strategy, .. } => {
            *strategy = "RollingUpdate".into()
        }
        WorkloadStatus::Deployment { .. } => {}
    }
    let line = status("", &s);
    line.done && !line.error
}

/// How kubectl names a workload: `daemonset.apps/name`.
pub fn resource_name(kind: &str, name: &str) -> String {
    format!("{}.apps/{name}", kind.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(
        generation: i64,
        observed: i64,
        strategy: &str,
        desired: i32,
        updated: i32,
        available: i32,
    ) -> WorkloadStatus {
        WorkloadStatus::DaemonSet {
            generation,
            observed_generation: observed,
            strategy: strategy.into(),
            desired_number_scheduled: desired,
            updated_number_scheduled: updated,
            number_ready: available,
            number_available: available,
        }
    }

    #[test]
    fn daemonset_viewer() {
        assert_eq!(
            status("x", &ds(2, 1, "RollingUpdate", 3, 3, 3)).message,
            "Waiting for daemon set spec update to be observed..."
        );
        assert_eq!(
            status("x", &ds(2, 2, "RollingUpdate", 3, 1, 3)).message,
            "Waiting for daemon set \"x\" rollout to finish: 1 out of 3 new pods have been updated..."
        );
        assert_eq!(
            status("x", &ds(2, 2, "RollingUpdate", 3, 3, 2)).message,
            "Waiting for daemon set \"x\" rollout to finish: 2 of 3 updated pods are available..."
        );
        let done = status("x", &ds(2, 2, "RollingUpdate", 3, 3, 3));
        assert_eq!((done.message.as_str(), done.done), ("daemon set \"x\" successfully rolled out", true));
        let on_delete = status("x", &ds(2, 2, "OnDelete", 3, 1, 3));
        assert!(on_delete.error && on_delete.done);
        assert_eq!(on_delete.printed(), "error: rollout status is only available for RollingUpdate strategy type");
        assert!(!complete(&ds(2, 2, "OnDelete", 3, 1, 3)));
    }

    fn deploy(spec: i32, replicas: i32, updated: i32, available: i32) -> WorkloadStatus {
        WorkloadStatus::Deployment {
            generation: 1,
            observed_generation: 1,
            strategy: "RollingUpdate".into(),
            spec_replicas: Some(spec),
            replicas,
            updated_replicas: updated,
            ready_replicas: available,
            available_replicas: available,
            progress_deadline_exceeded: false,
            paused: false,
        }
    }

    #[test]
    fn deployment_viewer_checks_in_kubectl_order() {
        assert_eq!(
            status("web", &deploy(3, 4, 1, 3)).message,
            "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."
        );
        assert_eq!(
            status("web", &deploy(3, 4, 3, 3)).message,
            "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination..."
        );
        assert_eq!(
            status("web", &deploy(3, 3, 3, 2)).message,
            "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available..."
        );
        assert!(status("web", &deploy(3, 3, 3, 3)).done);
    }

    #[test]
    fn statefulset_viewer_partitioned_and_not() {
        let sts = |rolling: bool, partition: Option<i32>, ready: i32, updated: i32, cur: &str, upd: &str| {
            WorkloadStatus::StatefulSet {
                generation: 2,
                observed_generation: 2,
                strategy: "RollingUpdate".into(),
                spec_replicas: Some(3),
                rolling_update: rolling,
                partition,
                ready_replicas: ready,
                updated_replicas: updated,
                current_replicas: 3 - updated,
                current_revision: cur.into(),
                update_revision: upd.into(),
            }
        };
        assert_eq!(status("db", &sts(true, Some(0), 2, 1, "a", "b")).message, "Waiting for 1 pods to be ready...");
        assert_eq!(
            status("db", &sts(true, Some(1), 3, 1, "a", "b")).message,
            "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated..."
        );
        let done = status("db", &sts(true, Some(1), 3, 2, "a", "b"));
        assert_eq!(
            (done.message.as_str(), done.done),
            ("partitioned roll out complete: 2 new pods have been updated...", true)
        );
        assert_eq!(
            status("db", &sts(false, None, 3, 1, "a", "b")).message,
            "waiting for statefulset rolling update to complete 1 pods at revision b..."
        );
        assert_eq!(
            status("db", &sts(false, None, 3, 0, "b", "b")).message,
            "statefulset rolling update complete 3 pods at revision b..."
        );
    }
}
