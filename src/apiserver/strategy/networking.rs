//! The strategies of the networking.k8s.io, policy, autoscaling, batch (CronJob), discovery.k8s.io and
//! coordination.k8s.io kinds that kubeplan stores without running their controllers
//! (`pkg/registry/{networking,policy,autoscaling,batch,discovery,coordination}/<kind>/strategy.go`): status
//! reset on create and kept on update, `generation` counted for the kinds that count it.

use super::pod::drop_disabled_template_fields;
use super::{first_generation, next_generation_if, Strategy};
use crate::api::autoscaling_v2::HorizontalPodAutoscaler;
use crate::api::batch_v1::CronJob;
use crate::api::coordination_v1::Lease;
use crate::api::discovery_v1::EndpointSlice;
use crate::api::networking_v1::{Ingress, IngressClass, NetworkPolicy};
use crate::api::policy_v1::PodDisruptionBudget;
use crate::apiserver::defaults::features;

impl Strategy for Ingress {
    fn prepare_for_create(&mut self) {
        self.status = Default::default();
        first_generation(&mut self.metadata);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status = old.status.clone();
        next_generation_if(&mut self.metadata, &old.metadata, self.spec != old.spec);
    }
}

impl Strategy for IngressClass {
    fn prepare_for_create(&mut self) {
        first_generation(&mut self.metadata);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        next_generation_if(&mut self.metadata, &old.metadata, self.spec != old.spec);
    }
}

impl Strategy for NetworkPolicy {
    fn prepare_for_create(&mut self) {
        first_generation(&mut self.metadata);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        next_generation_if(&mut self.metadata, &old.metadata, self.spec != old.spec);
    }
}

impl Strategy for PodDisruptionBudget {
    fn prepare_for_create(&mut self) {
        self.status = Default::default();
        first_generation(&mut self.metadata);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status = old.status.clone();
        next_generation_if(&mut self.metadata, &old.metadata, self.spec != old.spec);
    }
}

/// `autoscalerStrategy`: status reset on create, kept on update; no generation.
impl Strategy for HorizontalPodAutoscaler {
    fn prepare_for_create(&mut self) {
        self.status = Default::default();
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status = old.status.clone();
    }
}

impl Strategy for CronJob {
    fn prepare_for_create(&mut self) {
        self.status = Default::default();
        first_generation(&mut self.metadata);
        drop_disabled_template_fields(&mut self.spec.job_template.spec.template, None);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status = old.status.clone();
        let old_template = &old.spec.job_template.spec.template;
        drop_disabled_template_fields(&mut self.spec.job_template.spec.template, Some(old_template));
        next_generation_if(&mut self.metadata, &old.metadata, self.spec != old.spec);
    }
}

/// `endpointSliceStrategy`: `generation: 1`, bumped by any change but to metadata other than labels. The
/// topology and hints of disabled gates are dropped (none in v1.32).
impl Strategy for EndpointSlice {
    fn prepare_for_create(&mut self) {
        first_generation(&mut self.metadata);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        let changed = self.address_type != old.address_type
            || self.endpoints != old.endpoints
            || self.ports != old.ports
            || self.metadata.labels != old.metadata.labels;
        next_generation_if(&mut self.metadata, &old.metadata, changed);
    }
}

/// `leaseStrategy`: without CoordinatedLeaderElection (off) a Lease keeps no strategy or preferred holder.
impl Strategy for Lease {
    fn prepare_for_create(&mut self) {
        if !features::COORDINATED_LEADER_ELECTION {
            self.spec.strategy = None;
            self.spec.preferred_holder = None;
        }
    }

    fn prepare_for_update(&mut self, old: &Self) {
        if !features::COORDINATED_LEADER_ELECTION {
            if old.spec.strategy.is_none() {
                self.spec.strategy = None;
            }
            if old.spec.preferred_holder.is_none() {
                self.spec.preferred_holder = None;
            }
        }
    }
}
