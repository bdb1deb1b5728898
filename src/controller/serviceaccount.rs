//! The ServiceAccount controller (`pkg/controller/serviceaccount/serviceaccounts_controller.go`): every
//! namespace has a `default` ServiceAccount, made the moment the namespace exists (the model's reading of the
//! controller's reaction to the namespace's creation event).

use crate::api::core_v1::{Namespace, ServiceAccount};
use crate::api::Object;
use crate::apiserver::admission::service_account::DEFAULT_SERVICE_ACCOUNT_NAME;
use crate::cluster::{Cluster, Store};

/// The UIDs of the accounts this controller makes: their own series, the n-th namespace's account taking n
/// (the controller acts outside the API server's logical clock).
fn uid(n: usize) -> String {
    format!("00000000-0000-0000-5a00-{n:012}")
}

/// `syncNamespace` for every namespace: make the `default` account where it is missing.
pub fn sync_all(cluster: &mut Cluster) {
    let missing: Vec<(usize, Namespace)> = namespaces_by_age(cluster.store())
        .into_iter()
        .enumerate()
        .filter(|(_, ns)| cluster.store().get::<ServiceAccount>(&ns.metadata.name, DEFAULT_SERVICE_ACCOUNT_NAME).is_none())
        .map(|(i, ns)| (i + 1, ns.clone()))
        .collect();
    for (n, ns) in missing {
        let mut sa = ServiceAccount::default();
        sa.metadata.name = DEFAULT_SERVICE_ACCOUNT_NAME.to_owned();
        sa.metadata.namespace = ns.metadata.name.clone();
        // The account comes with its namespace: the same creation time.
        let _ = cluster.create_beside(Object::ServiceAccount(Box::new(sa)), &ns.metadata, uid(n));
    }
}

/// The namespaces in the order they were created.
fn namespaces_by_age(store: &Store) -> Vec<&Namespace> {
    let mut all: Vec<&Namespace> = store.list::<Namespace>().collect();
    all.sort_by_key(|ns| Store::creation_index(&ns.metadata));
    all
}
