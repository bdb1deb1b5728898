//! What kubectl itself does for `kubectl set image` and `kubectl rollout undo`: these are client-side
//! read-modify-write operations, not API server features.

use crate::cluster::{Cluster, Rejection};

fn reject(cluster: &mut Cluster, kind: &str, namespace: &str, name: &str, message: String) {
    cluster.rec.rejections.push(Rejection {
        phase: cluster.rec.phase.clone(),
        kind: kind.to_owned(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        message,
        file: None,
        line: None,
        column: None,
    });
}

/// `kubectl set image KIND/NAME CONTAINER=IMAGE` (`*` for every container), recording the change cause when given.
pub fn set_image(cluster: &mut Cluster, kind: &str, namespace: &str, name: &str, container: &str, image: &str, change_cause: &str) {
    let _ = (container, image, change_cause);
    reject(cluster, kind, namespace, name, "kubeplan does not model kubectl set image yet".into());
}

/// `kubectl rollout undo KIND/NAME [--to-revision=N]`.
pub fn rollback(cluster: &mut Cluster, kind: &str, namespace: &str, name: &str, revision: i64) {
    let _ = revision;
    reject(cluster, kind, namespace, name, "kubeplan does not model kubectl rollout undo yet".into());
}
