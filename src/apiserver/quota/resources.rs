//! Resource lists as quota adds and compares them (`staging/src/k8s.io/apiserver/pkg/quota/v1/resources.go`).
//!
//! Sums keep `resource.Quantity`'s exact arithmetic and its format rule (an empty quantity takes the format of
//! the first one added to it), because the quota's `status.used` and the `exceeded quota` message print them.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::QuantityFormat as Format;
use crate::api::Quantity;

/// `corev1.ResourceList`: quantities by resource name, in name order (Go's maps are printed sorted).
pub type ResourceList = BTreeMap<String, Quantity>;

/// `quota.Add`: every resource of either list, summed where both have it.
pub fn add(a: &ResourceList, b: &ResourceList) -> ResourceList {
    let mut result = a.clone();
    for (name, q) in b {
        match result.get_mut(name) {
            Some(sum) => sum.add(q),
            None => {
                result.insert(name.clone(), q.clone());
            }
        }
    }
    result
}

/// `quota.SubtractWithNonNegativeResult`: `a - b` per resource, never below zero; a resource only `b` has is 0.
pub fn subtract_non_negative(a: &ResourceList, b: &ResourceList) -> ResourceList {
    let zero = || Quantity::from_int(0, Format::DecimalSI);
    let mut result = ResourceList::new();
    for (name, q) in a {
        let mut d = q.clone();
        if let Some(other) = b.get(name) {
            d.sub(other);
        }
        result.insert(name.clone(), if d.sign() > 0 { d } else { zero() });
    }
    for name in b.keys() {
        result.entry(name.clone()).or_insert_with(zero);
    }
    result
}

/// `quota.Mask`: the resources of `list` named in `names`.
pub fn mask<'a>(list: &ResourceList, names: impl IntoIterator<Item = &'a str>) -> ResourceList {
    let names: BTreeSet<&str> = names.into_iter().collect();
    list.iter().filter(|(k, _)| names.contains(k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// `quota.LessThanOrEqual`: whether every resource of `a` that `b` bounds is within it, and the ones that are
/// not (in name order).
pub fn less_than_or_equal(a: &ResourceList, b: &ResourceList) -> (bool, Vec<String>) {
    let exceeded: Vec<String> =
        b.iter().filter(|(k, bound)| a.get(*k).is_some_and(|v| v.cmp_value(bound).is_gt())).map(|(k, _)| k.clone()).collect();
    (exceeded.is_empty(), exceeded)
}

/// `quota.Equals`: the same resources with semantically equal quantities.
pub fn equals(a: &ResourceList, b: &ResourceList) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.cmp_value(w).is_eq()))
}

/// `quota.RemoveZeros`.
pub fn remove_zeros(list: ResourceList) -> ResourceList {
    list.into_iter().filter(|(_, q)| !q.is_zero()).collect()
}

/// `quota.IsNegative`: the resources below zero.
pub fn negative(list: &ResourceList) -> Vec<String> {
    list.iter().filter(|(_, q)| q.sign() < 0).map(|(k, _)| k.clone()).collect()
}

/// `quota.Intersection`: the names of `a` that `b` has too, sorted and without repeats.
pub fn intersection<S: AsRef<str>, T: AsRef<str>>(a: &[S], b: &[T]) -> Vec<String> {
    let b: BTreeSet<&str> = b.iter().map(AsRef::as_ref).collect();
    let set: BTreeSet<&str> = a.iter().map(AsRef::as_ref).filter(|n| b.contains(n)).collect();
    set.into_iter().map(str::to_owned).collect()
}

/// The admission plugin's `prettyPrint`: `name=quantity` pairs in name order, comma separated.
pub fn pretty_print(list: &ResourceList) -> String {
    list.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// `prettyPrintResourceNames`: sorted, comma separated.
pub fn pretty_print_names<S: AsRef<str>>(names: &[S]) -> String {
    let mut names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    names.sort_unstable();
    names.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[(&str, &str)]) -> ResourceList {
        items.iter().map(|(k, v)| ((*k).to_owned(), Quantity::parse(v).unwrap())).collect()
    }

    #[test]
    fn sums_print_in_the_format_of_their_terms() {
        let used = add(&add(&list(&[("requests.cpu", "300m"), ("requests.memory", "256Mi")]), &list(&[("requests.cpu", "300m")])), &list(&[("requests.cpu", "400m"), ("requests.memory", "512Mi")]));
        assert_eq!(pretty_print(&used), "requests.cpu=1,requests.memory=768Mi");
    }

    #[test]
    fn an_empty_quantity_takes_the_format_of_what_is_added() {
        let mut sum = Quantity::from_int(0, Format::DecimalSI);
        sum.add(&Quantity::parse("1Gi").unwrap());
        assert_eq!(sum.to_string(), "1Gi");
    }

    #[test]
    fn subtraction_stops_at_zero_and_keeps_resources_of_either_side() {
        let d = subtract_non_negative(&list(&[("pods", "1"), ("cpu", "1")]), &list(&[("cpu", "2"), ("memory", "1Gi")]));
        assert_eq!(pretty_print(&d), "cpu=0,memory=0,pods=1");
    }

    #[test]
    fn exceeded_names_only_the_resources_over_their_bound() {
        let (ok, over) = less_than_or_equal(&list(&[("pods", "3"), ("cpu", "1")]), &list(&[("pods", "2"), ("cpu", "2"), ("memory", "1")]));
        assert!(!ok);
        assert_eq!(over, vec!["pods".to_owned()]);
    }
}
