//! NamespaceLifecycle (`apiserver/pkg/admission/plugin/namespace/lifecycle`): nothing is created in a namespace
//! that does not exist or is being deleted. It runs first, in the mutating phase, so a request into a missing
//! namespace is refused before any other plugin or validation looks at it.

use super::{Attributes, Context, MutationInterface, Operation, Plugin, Reason, Refusal};

pub const PLUGIN_NAME: &str = "NamespaceLifecycle";

/// The plugin.
pub struct NamespaceLifecycle;

impl Plugin for NamespaceLifecycle {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, _: Operation) -> bool {
        true
    }
    fn mutating(&self) -> Option<&dyn MutationInterface> {
        Some(self)
    }
}

impl MutationInterface for NamespaceLifecycle {
    fn admit(&self, a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        if !a.object.namespaced() {
            return Ok(());
        }
        let namespace = a.namespace();
        let Some(ns) = cx.listers.namespace(namespace) else {
            return Err(Refusal {
                plugin: PLUGIN_NAME,
                reason: Reason::NotFound { resource: "namespaces", name: namespace.to_owned() },
            });
        };
        if a.operation == Operation::Create && ns.status.phase == "Terminating" {
            let cause = format!("unable to create new content in namespace {namespace} because it is being terminated");
            return Err(Refusal::forbidden(PLUGIN_NAME, a, cause, Vec::new()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::admission::testing::{pod, Fake};
    use crate::apiserver::names::NameGenerator;

    #[test]
    fn missing_and_terminating_namespaces_refuse_new_content() {
        let mut fake = Fake::default().with_namespace("live").with_namespace("dying");
        fake.namespaces.get_mut("dying").unwrap().status.phase = "Terminating".into();
        let mut names = NameGenerator::default();
        let mut cx = Context::new(&fake, &mut names);
        let mut run = |ns: &str| {
            let mut obj = pod(ns, "p");
            let mut a = Attributes { operation: Operation::Create, object: &mut obj, old: None };
            NamespaceLifecycle.admit(&mut a, &mut cx).map_err(|r| r.to_string())
        };
        assert_eq!(run("live"), Ok(()));
        assert_eq!(run("gone"), Err(r#"namespaces "gone" not found"#.to_owned()));
        assert_eq!(
            run("dying"),
            Err(r#"pods "p" is forbidden: unable to create new content in namespace dying because it is being terminated"#.to_owned())
        );
    }
}
