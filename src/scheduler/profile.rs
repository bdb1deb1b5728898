//! Scheduling profiles (`pkg/scheduler/profile`): one framework per profile of the configuration, looked up by
//! the `schedulerName` of the pods it schedules (`profile.Map`).

use super::config::{ConfigError, KubeSchedulerConfiguration};
use super::framework::Framework;

/// The configuration kube-scheduler runs, and a framework for each of its profiles, in the configuration's
/// order.
#[derive(Debug)]
pub struct Profiles {
    pub config: KubeSchedulerConfiguration,
    frameworks: Vec<Framework>,
}

impl Default for Profiles {
    /// The default configuration's one profile, `default-scheduler`.
    fn default() -> Self {
        match Profiles::new(KubeSchedulerConfiguration::default()) {
            Ok(p) => p,
            // The default configuration builds: a test checks it.
            Err(_) => Profiles { config: KubeSchedulerConfiguration::default(), frameworks: Vec::new() },
        }
    }
}

impl Profiles {
    /// `profile.NewMap` (as `scheduler.New` calls it): a framework per profile; the first that fails stops
    /// with kube-scheduler's message (`initializing profiles: creating profile for scheduler name …`).
    pub fn new(config: KubeSchedulerConfiguration) -> Result<Profiles, ConfigError> {
        let mut frameworks: Vec<Framework> = Vec::new();
        for (i, p) in config.profiles.iter().enumerate() {
            let at = format!("profiles[{i}]");
            let f = Framework::new(p).map_err(|e| {
                ConfigError::at(at.clone(), format!("creating profile for scheduler name {}: {e}", p.scheduler_name))
            });
            let f = f.and_then(|f| validate(&frameworks, &f, &at).map(|()| f)).map_err(|e| e.wrap("initializing profiles"))?;
            frameworks.push(f);
        }
        if frameworks.is_empty() {
            return Err(ConfigError::at("profiles", "at least one profile is required"));
        }
        Ok(Profiles { config, frameworks })
    }

    /// The profile that schedules pods naming `scheduler_name` (`frameworkForPod`).
    pub fn get(&self, scheduler_name: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.profile_name() == scheduler_name)
    }

    /// `HandlesSchedulerName`.
    pub fn handles(&self, scheduler_name: &str) -> bool {
        self.get(scheduler_name).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Framework> {
        self.frameworks.iter()
    }

    /// The profile whose queue sort orders the one scheduling queue (the first: all profiles share it).
    pub fn first(&self) -> Option<&Framework> {
        self.frameworks.first()
    }
}

/// `cfgValidator.validate`: a name, unique, and the first profile's queue sort plugin.
fn validate(built: &[Framework], f: &Framework, at: &str) -> Result<(), ConfigError> {
    if f.profile_name().is_empty() {
        return Err(ConfigError::at(format!("{at}.schedulerName"), "scheduler name is needed"));
    }
    if built.iter().any(|b| b.profile_name() == f.profile_name()) {
        return Err(ConfigError::at(format!("{at}.schedulerName"), format!("duplicate profile with scheduler name {:?}", f.profile_name())));
    }
    let queue_sort = |f: &Framework| {
        f.enabled().iter().find(|(p, _)| *p == super::framework::ExtensionPoint::QueueSort).and_then(|(_, l)| l.first().copied())
    };
    if let (Some(first), Some(this)) = (built.first().and_then(queue_sort), queue_sort(f)) {
        if first != this {
            return Err(ConfigError::at(
                format!("{at}.plugins.queueSort"),
                format!("different queue sort plugins for profile {:?}: {this:?}, first: {first:?}", f.profile_name()),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::ExtensionPoint;

    fn enabled(p: &Profiles, point: ExtensionPoint) -> Vec<&'static str> {
        let f = p.get("default-scheduler").unwrap();
        f.enabled().iter().find(|(x, _)| *x == point).map(|(_, l)| l.clone()).unwrap()
    }

    #[test]
    fn the_default_profile_expands_multi_point_into_every_point_a_plugin_implements() {
        let p = Profiles::new(KubeSchedulerConfiguration::default()).expect("the default configuration builds");
        let filters = enabled(&p, ExtensionPoint::Filter);
        assert_eq!(filters.len(), 12);
        assert_eq!((filters[0], filters[11]), ("NodeUnschedulable", "InterPodAffinity"));
        assert!(!filters.contains(&"ImageLocality"), "ImageLocality only scores");
        assert_eq!(enabled(&p, ExtensionPoint::PostFilter), ["DefaultPreemption"]);
        assert_eq!(enabled(&p, ExtensionPoint::QueueSort), ["PrioritySort"]);
        let weights = p.get("default-scheduler").unwrap().score_weights();
        let weight = |name| weights.iter().find(|(n, _)| *n == name).map(|(_, w)| *w);
        assert_eq!((weight("TaintToleration"), weight("NodeAffinity"), weight("PodTopologySpread")), (Some(3), Some(2), Some(2)));
        assert_eq!(weight("VolumeBinding"), Some(1), "no weight in multiPoint: the framework's 1");
        assert_eq!(weight("NodePorts"), None, "NodePorts does not score");
    }

    #[test]
    fn a_score_point_weight_overrides_multi_point_and_plugins_must_exist() {
        let mut c = KubeSchedulerConfiguration::default();
        c.profiles[0].plugins.score.enabled.push(crate::scheduler::config::Plugin::new("InterPodAffinity", 8));
        let p = Profiles::new(c.clone()).unwrap();
        let weights = p.get("default-scheduler").unwrap().score_weights();
        assert_eq!(weights[0], ("InterPodAffinity", 8), "plugins the point names and multiPoint also names come first");
        c.profiles[0].plugins.filter.enabled.push(crate::scheduler::config::Plugin::new("ImageLocality", 0));
        let e = Profiles::new(c).unwrap_err();
        assert_eq!(
            e.message,
            r#"initializing profiles: creating profile for scheduler name default-scheduler: plugin "ImageLocality" does not extend FilterPlugin plugin"#
        );
    }
}
