//! DefaultIngressClass (`plugin/pkg/admission/network/defaultingressclass`): a new Ingress that names no class
//! (no `ingressClassName`, no `kubernetes.io/ingress.class` annotation) gets the default IngressClass.

use crate::api::networking_v1::IngressClass;

use super::{newest_default, Attributes, Context, MutationInterface, Operation, Plugin, Refusal};

pub const PLUGIN_NAME: &str = "DefaultIngressClass";
/// The annotation that marks the default class (`networkingv1.AnnotationIsDefaultIngressClass`).
pub const IS_DEFAULT_CLASS: &str = "ingressclass.kubernetes.io/is-default-class";
/// The annotation that named a class before `ingressClassName` existed.
pub const BETA_INGRESS_CLASS: &str = "kubernetes.io/ingress.class";

/// The plugin.
pub struct DefaultIngressClass;

impl Plugin for DefaultIngressClass {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, operation: Operation) -> bool {
        operation == Operation::Create
    }
    fn mutating(&self) -> Option<&dyn MutationInterface> {
        Some(self)
    }
}

impl MutationInterface for DefaultIngressClass {
    fn admit(&self, a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let crate::api::Object::Ingress(ingress) = &mut *a.object else { return Ok(()) };
        if ingress.spec.ingress_class_name.is_some() || ingress.metadata.annotations.contains_key(BETA_INGRESS_CLASS) {
            return Ok(());
        }
        if let Some(class) = default_class(&cx.listers.ingress_classes()) {
            ingress.spec.ingress_class_name = Some(class.metadata.name.clone());
        }
        Ok(())
    }
}

/// `getDefaultClass`: of the classes annotated default, the newest (by name among equals).
pub fn default_class<'a>(classes: &[&'a IngressClass]) -> Option<&'a IngressClass> {
    let is_default = |c: &&IngressClass| c.metadata.annotations.get(IS_DEFAULT_CLASS).is_some_and(|v| v == "true");
    newest_default(classes.iter().copied().filter(is_default), |c| &c.metadata)
}
