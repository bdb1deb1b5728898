//! ServiceAccount (`plugin/pkg/admission/serviceaccount`): every pod runs as a ServiceAccount of its namespace
//! (`default` unless it names one), which must exist; unless automounting is off, every container and init
//! container gets the account's API credentials as the projected `kube-api-access-XXXXX` volume; a pod without
//! image pull secrets takes the account's.
//!
//! The plugin sets `serviceAccountName` in the mutating phase, before validation: that is why a pod that brings
//! its own projected `serviceAccountToken` volume without naming an account passes validation.

use crate::api::core_v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath, LocalObjectReference,
    ObjectFieldSelector, Pod, ProjectedVolumeSource, ServiceAccountTokenProjection, Volume, VolumeMount,
    VolumeProjection,
};
use crate::apiserver::validation::OwnedPath;

use super::{Attributes, Context, MutationInterface, Operation, Plugin, Refusal, ValidationInterface};

pub const PLUGIN_NAME: &str = "ServiceAccount";
/// The account a pod runs as when it names none.
pub const DEFAULT_SERVICE_ACCOUNT_NAME: &str = "default";
/// The prefix of the token volume's generated name.
pub const SERVICE_ACCOUNT_VOLUME_NAME: &str = "kube-api-access";
/// Where every container finds the credentials.
pub const DEFAULT_API_TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// An account annotated `true` limits the secrets its pods may use to those it lists.
pub const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION: &str = "kubernetes.io/enforce-mountable-secrets";
/// Pods the kubelet mirrors from static manifests carry this annotation; they may not use accounts.
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// `serviceaccount.WarnOnlyBoundTokenExpirationSeconds`: the token lifetime the plugin asks for (an hour and
/// seven seconds, which marks tokens the API server warns about rather than rejects once stale).
pub const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS: i64 = 3607;
/// `corev1.ProjectedVolumeSourceDefaultMode` (0644).
const PROJECTED_DEFAULT_MODE: i32 = 0o644;

/// What the plugin reads of a ServiceAccount.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub automount_service_account_token: Option<bool>,
    /// The names in `imagePullSecrets`.
    pub image_pull_secrets: Vec<String>,
    /// The names in `secrets`.
    pub secrets: Vec<String>,
    /// The value of [`ENFORCE_MOUNTABLE_SECRETS_ANNOTATION`], if annotated.
    pub enforce_mountable_secrets: Option<String>,
}

impl Account {
    /// The account the ServiceAccount controller makes in every namespace.
    pub fn default_account() -> Account {
        Account { name: DEFAULT_SERVICE_ACCOUNT_NAME.to_owned(), ..Account::default() }
    }

    /// What the plugin reads of a stored ServiceAccount.
    pub fn of(sa: &crate::api::core_v1::ServiceAccount) -> Account {
        Account {
            name: sa.metadata.name.clone(),
            automount_service_account_token: sa.automount_service_account_token,
            image_pull_secrets: sa.image_pull_secrets.iter().map(|r| r.name.clone()).collect(),
            secrets: sa.secrets.iter().map(|r| r.name.clone()).collect(),
            enforce_mountable_secrets: sa.metadata.annotations.get(ENFORCE_MOUNTABLE_SECRETS_ANNOTATION).cloned(),
        }
    }

    /// `enforceMountableSecrets`: the annotation parsed as Go's `strconv.ParseBool` (anything else is false).
    fn enforces_mountable_secrets(&self) -> bool {
        matches!(self.enforce_mountable_secrets.as_deref(), Some("1" | "t" | "T" | "true" | "TRUE" | "True"))
    }
}

/// The plugin.
pub struct ServiceAccount;

impl Plugin for ServiceAccount {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, operation: Operation) -> bool {
        operation == Operation::Create
    }
    fn mutating(&self) -> Option<&dyn MutationInterface> {
        Some(self)
    }
    fn validating(&self) -> Option<&dyn ValidationInterface> {
        Some(self)
    }
}

impl MutationInterface for ServiceAccount {
    /// `Admit`: default the account, look it up, mount its token, inherit its pull secrets; then `Validate`.
    fn admit(&self, a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let Some(pod) = a.pod() else { return Ok(()) };
        if pod.metadata.annotations.contains_key(MIRROR_POD_ANNOTATION) {
            return self.validate(a, cx);
        }
        let namespace = a.namespace().to_owned();
        let pod = a.pod_mut().expect("a pod request");
        if pod.spec.service_account_name.is_empty() {
            pod.spec.service_account_name = DEFAULT_SERVICE_ACCOUNT_NAME.to_owned();
        }
        let name = pod.spec.service_account_name.clone();
        let Some(account) = cx.listers.service_account(&namespace, &name) else {
            return Err(not_found(a, &namespace, &name));
        };
        let pod = a.pod_mut().expect("a pod request");
        if should_automount(&account, pod) {
            mount_service_account_token(pod, cx);
        }
        if pod.spec.image_pull_secrets.is_empty() {
            pod.spec.image_pull_secrets =
                account.image_pull_secrets.iter().map(|n| LocalObjectReference { name: n.clone() }).collect();
        }
        self.validate(a, cx)
    }
}

impl ValidationInterface for ServiceAccount {
    /// `Validate`: a mirror pod uses no account or secrets; any other pod names an existing account and, when
    /// the account enforces it, only the secrets the account lists.
    fn validate(&self, a: &Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let Some(pod) = a.pod() else { return Ok(()) };
        let forbid = |cause: String, field: OwnedPath| Err(Refusal::forbidden(PLUGIN_NAME, a, cause, vec![field]));
        if pod.metadata.annotations.contains_key(MIRROR_POD_ANNOTATION) {
            return match mirror_pod_violation(pod) {
                Some((cause, field)) => forbid(cause.to_owned(), field),
                None => Ok(()),
            };
        }
        let namespace = a.namespace();
        let name = &pod.spec.service_account_name;
        if name.is_empty() {
            let cause = format!("no service account specified for pod {namespace}/{}", pod.metadata.name);
            return forbid(cause, OwnedPath::new("spec.serviceAccountName"));
        }
        let Some(account) = cx.listers.service_account(namespace, name) else {
            return Err(not_found(a, namespace, name));
        };
        if account.enforces_mountable_secrets() {
            if let Some((cause, field)) = unmountable_secret(&account, pod) {
                return forbid(cause, field);
            }
        }
        Ok(())
    }
}

/// The refusal for an account that does not exist.
fn not_found(a: &Attributes<'_>, namespace: &str, name: &str) -> Refusal {
    let cause = format!("error looking up service account {namespace}/{name}: serviceaccount {name:?} not found");
    Refusal::forbidden(PLUGIN_NAME, a, cause, vec![OwnedPath::new("spec.serviceAccountName")])
}

/// `shouldAutomount`: the pod's setting wins over the account's; both unset means yes.
fn should_automount(account: &Account, pod: &Pod) -> bool {
    pod.spec.automount_service_account_token.or(account.automount_service_account_token).unwrap_or(true)
}

/// `mountServiceAccountToken`: mount the token volume read-only in every init container and container that has
/// nothing at the mount path yet, and add the volume when one of them needed it. A volume already named
/// `kube-api-access-…` is reused; otherwise a name is generated, whether or not it ends up used.
fn mount_service_account_token(pod: &mut Pod, cx: &mut Context<'_>) {
    let prefix = format!("{SERVICE_ACCOUNT_VOLUME_NAME}-");
    let existing = pod.spec.volumes.iter().find(|v| v.name.starts_with(&prefix)).map(|v| v.name.clone());
    let has_volume = existing.is_some();
    let volume_name = existing.unwrap_or_else(|| cx.names.generate(&prefix));
    let mount = VolumeMount {
        name: volume_name.clone(),
        read_only: true,
        mount_path: DEFAULT_API_TOKEN_MOUNT_PATH.to_owned(),
        ..Default::default()
    };
    let mut needs_volume = false;
    for c in pod.spec.init_containers.iter_mut().chain(pod.spec.containers.iter_mut()) {
        if !c.volume_mounts.iter().any(|m| m.mount_path == DEFAULT_API_TOKEN_MOUNT_PATH) {
            c.volume_mounts.push(mount.clone());
            needs_volume = true;
        }
    }
    if !has_volume && needs_volume {
        pod.spec.volumes.push(Volume { name: volume_name, projected: Some(Box::new(token_volume_source())), ..Default::default() });
    }
}

/// `TokenVolumeSource`: the token, the cluster's CA bundle, the namespace, and (OpenShift's addition, which the
/// conformance cluster runs) the service CA bundle.
pub fn token_volume_source() -> ProjectedVolumeSource {
    let config_map = |name: &str, key: &str| VolumeProjection {
        config_map: Some(Box::new(ConfigMapProjection {
            name: name.to_owned(),
            items: vec![KeyToPath { key: key.to_owned(), path: key.to_owned(), mode: None }],
            optional: None,
        })),
        ..Default::default()
    };
    ProjectedVolumeSource {
        default_mode: Some(PROJECTED_DEFAULT_MODE),
        sources: vec![
            VolumeProjection {
                service_account_token: Some(Box::new(ServiceAccountTokenProjection {
                    path: "token".to_owned(),
                    expiration_seconds: Some(WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS),
                    audience: String::new(),
                })),
                ..Default::default()
            },
            config_map("kube-root-ca.crt", "ca.crt"),
            VolumeProjection {
                downward_api: Some(Box::new(DownwardAPIProjection {
                    items: vec![DownwardAPIVolumeFile {
                        path: "namespace".to_owned(),
                        field_ref: Some(Box::new(ObjectFieldSelector {
                            api_version: "v1".to_owned(),
                            field_path: "metadata.namespace".to_owned(),
                        })),
                        ..Default::default()
                    }],
                })),
                ..Default::default()
            },
            config_map("openshift-service-ca.crt", "service-ca.crt"),
        ],
    }
}

/// What a mirror pod may not use: an account, secrets, a token projection.
fn mirror_pod_violation(pod: &Pod) -> Option<(&'static str, OwnedPath)> {
    if !pod.spec.service_account_name.is_empty() {
        return Some(("a mirror pod may not reference service accounts", OwnedPath::new("spec.serviceAccountName")));
    }
    if let Some(field) = secret_references(pod).into_iter().next().map(|(_, f, _)| f) {
        return Some(("a mirror pod may not reference secrets", field));
    }
    let spec = OwnedPath::new("spec.volumes");
    pod.spec.volumes.iter().enumerate().find_map(|(i, v)| {
        let p = v.projected.as_deref()?;
        p.sources.iter().any(|s| s.service_account_token.is_some()).then(|| {
            ("a mirror pod may not use ServiceAccountToken volume projections", spec.index(i).child("projected"))
        })
    })
}

/// Where a pod names a secret: the kind of reference, its field, the secret.
enum SecretUse<'p> {
    Volume,
    Env { container: &'p str, init: bool, var: &'p str },
    EnvFrom { container: &'p str, init: bool },
}

/// Every secret a pod's volumes and environment name, in the order `limitSecretReferences` checks them.
fn secret_references(pod: &Pod) -> Vec<(SecretUse<'_>, OwnedPath, &str)> {
    let mut out = Vec::new();
    let spec = OwnedPath::new("spec");
    for (i, v) in pod.spec.volumes.iter().enumerate() {
        if let Some(s) = &v.secret {
            out.push((SecretUse::Volume, spec.child("volumes").index(i).child("secret").child("secretName"), s.secret_name.as_str()));
        }
    }
    for (list, init) in [("initContainers", true), ("containers", false)] {
        let containers = if init { &pod.spec.init_containers } else { &pod.spec.containers };
        for (ci, c) in containers.iter().enumerate() {
            let at = spec.child(list).index(ci);
            for (ei, e) in c.env.iter().enumerate() {
                if let Some(r) = e.value_from.as_ref().and_then(|v| v.secret_key_ref.as_ref()) {
                    let field = at.child("env").index(ei).child("valueFrom").child("secretKeyRef").child("name");
                    out.push((SecretUse::Env { container: &c.name, init, var: &e.name }, field, r.name.as_str()));
                }
            }
            for (ei, e) in c.env_from.iter().enumerate() {
                if let Some(r) = &e.secret_ref {
                    let field = at.child("envFrom").index(ei).child("secretRef").child("name");
                    out.push((SecretUse::EnvFrom { container: &c.name, init }, field, r.name.as_str()));
                }
            }
        }
    }
    out
}

/// `limitSecretReferences`: the first secret the account does not list, or pull secret it does not list.
fn unmountable_secret(account: &Account, pod: &Pod) -> Option<(String, OwnedPath)> {
    let sa = &account.name;
    for (usage, field, secret) in secret_references(pod) {
        if account.secrets.iter().any(|s| s == secret) {
            continue;
        }
        let which = |init: bool| if init { "init container" } else { "container" };
        let cause = match usage {
            SecretUse::Volume => format!(
                "volume with secret.secretName=\"{secret}\" is not allowed because service account {sa} does not reference that secret"
            ),
            SecretUse::Env { container, init, var } => format!(
                "{} {container} with envVar {var} referencing secret.secretName=\"{secret}\" is not allowed because service account {sa} does not reference that secret",
                which(init)
            ),
            SecretUse::EnvFrom { container, init } => format!(
                "{} {container} with envFrom referencing secret.secretName=\"{secret}\" is not allowed because service account {sa} does not reference that secret",
                which(init)
            ),
        };
        return Some((cause, field));
    }
    pod.spec.image_pull_secrets.iter().enumerate().find(|(_, r)| !account.image_pull_secrets.contains(&r.name)).map(|(i, r)| {
        (
            format!(
                "imagePullSecrets[{i}].name=\"{}\" is not allowed because service account {sa} does not reference that imagePullSecret",
                r.name
            ),
            OwnedPath::new("spec.imagePullSecrets").index(i).child("name"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Container;
    use crate::api::Object;
    use crate::apiserver::admission::testing::{pod, Fake};
    use crate::apiserver::names::NameGenerator;

    fn cluster() -> Fake {
        let mut fake = Fake::default().with_namespace("default");
        fake.accounts.insert(("default".into(), "default".into()), Account::default_account());
        fake
    }

    fn admit(fake: &Fake, names: &mut NameGenerator, obj: &mut Object) -> Result<(), String> {
        let mut cx = Context::new(fake, names);
        let mut a = Attributes { operation: Operation::Create, object: obj, old: None };
        ServiceAccount.admit(&mut a, &mut cx).map_err(|r| r.to_string())
    }

    fn spec(obj: &Object) -> &crate::api::core_v1::PodSpec {
        match obj {
            Object::Pod(p) => &p.spec,
            _ => unreachable!(),
        }
    }

    fn spec_mut(obj: &mut Object) -> &mut crate::api::core_v1::PodSpec {
        match obj {
            Object::Pod(p) => &mut std::sync::Arc::make_mut(p).spec,
            _ => unreachable!(),
        }
    }

    #[test]
    fn default_account_and_a_token_mounted_in_every_container() {
        let fake = cluster();
        let mut names = NameGenerator::default();
        let mut obj = pod("default", "p");
        spec_mut(&mut obj).init_containers.push(Container::default());
        admit(&fake, &mut names, &mut obj).unwrap();
        let s = spec(&obj);
        assert_eq!(s.service_account_name, "default");
        assert_eq!(s.volumes.len(), 1);
        assert_eq!(s.volumes[0].name, "kube-api-access-bbbbb");
        let mounts: Vec<_> = s.init_containers.iter().chain(&s.containers).map(|c| &c.volume_mounts[0]).collect();
        assert!(mounts.iter().all(|m| m.name == "kube-api-access-bbbbb" && m.read_only && m.mount_path == DEFAULT_API_TOKEN_MOUNT_PATH));
        // The next pod's volume takes the next name.
        let mut second = pod("default", "q");
        admit(&fake, &mut names, &mut second).unwrap();
        assert_eq!(spec(&second).volumes[0].name, "kube-api-access-bbbbc");
    }

    #[test]
    fn a_missing_account_is_refused_by_generate_name_before_a_name_exists() {
        let fake = cluster();
        let mut names = NameGenerator::default();
        let mut obj = pod("default", "");
        obj.meta_mut().generate_name = "api-5f7bf6447b-".into();
        spec_mut(&mut obj).service_account_name = "runner".into();
        assert_eq!(
            admit(&fake, &mut names, &mut obj),
            Err(r#"pods "api-5f7bf6447b-" is forbidden: error looking up service account default/runner: serviceaccount "runner" not found"#.into())
        );
        assert_eq!(names.peek("kube-api-access-"), "kube-api-access-bbbbb", "no volume name used up");
    }

    #[test]
    fn automount_pod_setting_wins_over_the_account() {
        let mut fake = cluster();
        let mut quiet = Account::default_account();
        quiet.name = "quiet".into();
        quiet.automount_service_account_token = Some(false);
        fake.accounts.insert(("default".into(), "quiet".into()), quiet);
        let mut names = NameGenerator::default();
        let mut off = pod("default", "a");
        spec_mut(&mut off).service_account_name = "quiet".into();
        admit(&fake, &mut names, &mut off).unwrap();
        assert!(spec(&off).volumes.is_empty() && spec(&off).containers[0].volume_mounts.is_empty());
        let mut on = pod("default", "b");
        spec_mut(&mut on).service_account_name = "quiet".into();
        spec_mut(&mut on).automount_service_account_token = Some(true);
        admit(&fake, &mut names, &mut on).unwrap();
        assert_eq!(spec(&on).volumes.len(), 1);
        let mut off = pod("default", "c");
        spec_mut(&mut off).automount_service_account_token = Some(false);
        admit(&fake, &mut names, &mut off).unwrap();
        assert!(spec(&off).volumes.is_empty());
    }

    #[test]
    fn an_existing_token_volume_or_mount_is_kept() {
        let fake = cluster();
        let mut names = NameGenerator::default();
        let mut obj = pod("default", "p");
        spec_mut(&mut obj).volumes.push(Volume { name: "kube-api-access-mine".into(), ..Default::default() });
        spec_mut(&mut obj).containers.push(Container {
            volume_mounts: vec![VolumeMount { name: "x".into(), mount_path: DEFAULT_API_TOKEN_MOUNT_PATH.into(), ..Default::default() }],
            ..Default::default()
        });
        admit(&fake, &mut names, &mut obj).unwrap();
        let s = spec(&obj);
        assert_eq!(s.volumes.len(), 1, "the pod's own volume is reused");
        assert_eq!(s.containers[0].volume_mounts[0].name, "kube-api-access-mine");
        assert_eq!(s.containers[1].volume_mounts.len(), 1, "a container with its own mount keeps it alone");
        assert_eq!(names.peek("kube-api-access-"), "kube-api-access-bbbbb");
    }

    #[test]
    fn pull_secrets_are_inherited_unless_the_pod_has_its_own() {
        let mut fake = cluster();
        fake.accounts.get_mut(&("default".into(), "default".into())).unwrap().image_pull_secrets = vec!["regcred".into()];
        let mut names = NameGenerator::default();
        let mut obj = pod("default", "p");
        admit(&fake, &mut names, &mut obj).unwrap();
        assert_eq!(spec(&obj).image_pull_secrets, [LocalObjectReference { name: "regcred".into() }]);
        let mut own = pod("default", "q");
        spec_mut(&mut own).image_pull_secrets.push(LocalObjectReference { name: "mine".into() });
        admit(&fake, &mut names, &mut own).unwrap();
        assert_eq!(spec(&own).image_pull_secrets, [LocalObjectReference { name: "mine".into() }]);
    }

    #[test]
    fn an_enforcing_account_limits_secrets() {
        let mut fake = cluster();
        let account = fake.accounts.get_mut(&("default".into(), "default".into())).unwrap();
        account.enforce_mountable_secrets = Some("true".into());
        account.secrets = vec!["ok".into()];
        let mut names = NameGenerator::default();
        let mut obj = pod("default", "p");
        spec_mut(&mut obj).volumes.push(Volume {
            name: "s".into(),
            secret: Some(Box::new(crate::api::core_v1::SecretVolumeSource { secret_name: "other".into(), ..Default::default() })),
            ..Default::default()
        });
        assert_eq!(
            admit(&fake, &mut names, &mut obj),
            Err(r#"pods "p" is forbidden: volume with secret.secretName="other" is not allowed because service account default does not reference that secret"#.into())
        );
    }
}
