//! The listers the plugins read ([`Listers`]), over the cluster's store: the scheduler's informers are
//! synchronous in the model, so they see the store as it is.

use crate::api::apps_v1::{ReplicaSet, StatefulSet};
use crate::api::core_v1::{Namespace, PersistentVolumeClaim, Service};
use crate::api::storage_v1::StorageClass;
use crate::cluster::Store;

use super::framework::Listers;

impl Listers for Store {
    fn services<'a>(&'a self, namespace: &'a str) -> Box<dyn Iterator<Item = &'a Service> + 'a> {
        Box::new(self.list_in::<Service>(namespace))
    }

    fn replica_set(&self, namespace: &str, name: &str) -> Option<&ReplicaSet> {
        self.get::<ReplicaSet>(namespace, name)
    }

    fn stateful_set(&self, namespace: &str, name: &str) -> Option<&StatefulSet> {
        self.get::<StatefulSet>(namespace, name)
    }

    fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.get::<Namespace>("", name)
    }

    fn namespaces<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Namespace> + 'a> {
        Box::new(self.list::<Namespace>())
    }

    fn persistent_volume_claim(&self, namespace: &str, name: &str) -> Option<&PersistentVolumeClaim> {
        self.get::<PersistentVolumeClaim>(namespace, name)
    }

    fn storage_class(&self, name: &str) -> Option<&StorageClass> {
        self.get::<StorageClass>("", name)
    }
}
