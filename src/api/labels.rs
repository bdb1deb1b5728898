//! Label selectors: `metav1.LabelSelector` as `LabelSelectorAsSelector` reads it, and the string form
//! (`a=b,c!=d,e in (f,g)`) that `labels.Parse` reads from namespace node-selector annotations.

use std::collections::BTreeMap;

use super::meta_v1::{LabelSelector, LabelSelectorRequirement};

pub type Labels = BTreeMap<String, String>;

/// One requirement of a parsed selector.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl Requirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        match self {
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }
}

/// A parsed label selector. `Nothing` selects no object (a nil `*LabelSelector`); an empty `All` selects every
/// object (an empty `LabelSelector{}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    Nothing,
    All(Vec<Requirement>),
}

impl Selector {
    pub fn matches(&self, labels: &Labels) -> bool {
        match self {
            Selector::Nothing => false,
            Selector::All(reqs) => reqs.iter().all(|r| r.matches(labels)),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Selector::All(r) if r.is_empty())
    }

    /// `metav1.LabelSelectorAsSelector`: nil selects nothing, `{}` selects everything; an invalid operator is an
    /// error (and callers that ignore errors treat the selector as matching nothing).
    pub fn from_label_selector(sel: Option<&LabelSelector>) -> Result<Selector, String> {
        let Some(sel) = sel else { return Ok(Selector::Nothing) };
        let mut reqs: Vec<Requirement> =
            sel.match_labels.iter().map(|(k, v)| Requirement::In(k.clone(), vec![v.clone()])).collect();
        for r in &sel.match_expressions {
            reqs.push(requirement(r)?);
        }
        Ok(Selector::All(reqs))
    }

    /// The selector a controller uses for its own pods; an invalid selector matches nothing.
    pub fn for_controller(sel: Option<&LabelSelector>) -> Selector {
        Self::from_label_selector(sel).unwrap_or(Selector::Nothing)
    }

    /// `labels.Parse` for the simple forms used in annotations: `k=v`, `k==v`, `k!=v`, `k`, `!k`,
    /// `k in (a,b)`, `k notin (a,b)`, separated by commas.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for part in split_top_level(s) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            reqs.push(parse_requirement(part)?);
        }
        Ok(Selector::All(reqs))
    }
}

fn requirement(r: &LabelSelectorRequirement) -> Result<Requirement, String> {
    let k = r.key.clone();
    Ok(match r.operator.as_str() {
        "In" => Requirement::In(k, r.values.clone()),
        "NotIn" => Requirement::NotIn(k, r.values.clone()),
        "Exists" => Requirement::Exists(k),
        "DoesNotExist" => Requirement::DoesNotExist(k),
        op => return Err(format!("{op:?} is not a valid label selector operator")),
    })
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_requirement(p: &str) -> Result<Requirement, String> {
    if let Some(k) = p.strip_prefix('!') {
        return Ok(Requirement::DoesNotExist(k.trim().to_owned()));
    }
    if let Some((k, v)) = p.split_once("!=") {
        return Ok(Requirement::NotIn(k.trim().to_owned(), vec![v.trim().to_owned()]));
    }
    if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
        return Ok(Requirement::In(k.trim().to_owned(), vec![v.trim().to_owned()]));
    }
    let words: Vec<&str> = p.splitn(2, char::is_whitespace).collect();
    if words.len() == 2 {
        let rest = words[1].trim();
        let set = |r: &str| -> Result<Vec<String>, String> {
            let inner = r.trim().strip_prefix('(').and_then(|x| x.strip_suffix(')')).ok_or("expected a set")?;
            Ok(inner.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect())
        };
        if let Some(r) = rest.strip_prefix("notin") {
            return Ok(Requirement::NotIn(words[0].to_owned(), set(r)?));
        }
        if let Some(r) = rest.strip_prefix("in") {
            return Ok(Requirement::In(words[0].to_owned(), set(r)?));
        }
        return Err(format!("unable to parse requirement: {p:?}"));
    }
    Ok(Requirement::Exists(p.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn nil_selects_nothing_and_empty_selects_all() {
        assert!(!Selector::from_label_selector(None).unwrap().matches(&labels(&[])));
        assert!(Selector::from_label_selector(Some(&LabelSelector::default())).unwrap().matches(&labels(&[("a", "b")])));
    }

    #[test]
    fn parses_annotation_selectors() {
        let s = Selector::parse("region=east, tier in (a,b),!gpu").unwrap();
        assert!(s.matches(&labels(&[("region", "east"), ("tier", "b")])));
        assert!(!s.matches(&labels(&[("region", "east"), ("tier", "b"), ("gpu", "1")])));
        assert!(!s.matches(&labels(&[("region", "west"), ("tier", "b")])));
    }
}
