//! `kubectl rollout history` after the plan (`kubectl/pkg/polymorphichelpers/history.go`,
//! `kubectl/pkg/cmd/rollout/rollout_history.go`), byte for byte.
//!
//! Deployments take their history from their ReplicaSets' `deployment.kubernetes.io/revision` annotations (a
//! ReplicaSet without one is revision 0), DaemonSets and StatefulSets from the ControllerRevisions they control
//! and select. The overview is a `REVISION  CHANGE-CAUSE` table through Go's tabwriter (minwidth 0, tabwidth 8,
//! padding 2, spaces); with a revision it is that revision's pod template as `kubectl describe` prints it. kubectl
//! prints either after the name printer's `<kind>.<group>/<name> <operation>` line, whose operation begins with
//! the `with revision #N` header (empty without a revision, hence the trailing space) and a newline.

mod describe;

use std::collections::BTreeMap;

use crate::api::apps_v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet};
use crate::api::core_v1::PodTemplateSpec;
use crate::api::labels::Selector;
use crate::api::meta_v1::ObjectMeta;
use crate::api::{controller_of, GroupKind, Object};
use crate::facade::{Objects, PlanReport};

pub use describe::{describe_probe, format_label_selector, pod_template as describe_pod_template};

/// The annotation `--record` sets.
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// The workloads whose history to print: one, every one of a kind, or every one with a history viewer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub kind: Option<GroupKind>,
    pub namespace: String,
    pub name: Option<String>,
}

/// What `kubectl rollout history` prints: standard output, and the errors it ends with (`error: ...`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryOutput {
    pub stdout: String,
    pub errors: Vec<String>,
}

impl HistoryOutput {
    /// kubectl's aggregate of the errors: one message, or several (each once) in brackets.
    pub fn error_message(&self) -> Option<String> {
        let mut unique: Vec<&String> = Vec::new();
        for e in &self.errors {
            if !unique.contains(&e) {
                unique.push(e);
            }
        }
        match unique.as_slice() {
            [] => None,
            [one] => Some((*one).clone()),
            many => Some(format!("[{}]", many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))),
        }
    }
}

/// `kubectl rollout history [KIND[/NAME]] [--revision N]` over the objects as the plan leaves them.
pub fn render(report: &PlanReport, sel: &Selection, revision: i64) -> HistoryOutput {
    let mut out = HistoryOutput::default();
    let store = report.objects();
    let mut targets: Vec<Object> = Vec::new();
    match (&sel.kind, &sel.name) {
        (Some(kind), Some(name)) => match store.object(*kind, &sel.namespace, name) {
            Some(o) => targets.push(o.clone()),
            None => {
                out.errors
                    .push(format!("Error from server (NotFound): {} {name:?} not found", kind.resource_qualified()));
                return out;
            }
        },
        (kind, _) => {
            let wanted = |k: GroupKind| kind.is_none_or(|w| w == k);
            if wanted(GroupKind::DaemonSet) {
                targets.extend(store.list::<DaemonSet>().map(|o| Object::DaemonSet(Box::new(o.clone()))));
            }
            if wanted(GroupKind::Deployment) {
                targets.extend(store.list::<Deployment>().map(|o| Object::Deployment(Box::new(o.clone()))));
            }
            if wanted(GroupKind::StatefulSet) {
                targets.extend(store.list::<StatefulSet>().map(|o| Object::StatefulSet(Box::new(o.clone()))));
            }
            if let Some(k) = kind.filter(|k| !has_history_viewer(*k)) {
                out.errors.push(no_viewer(k));
            }
        }
    }
    for obj in targets {
        match view_history(store, &obj, revision) {
            Ok(text) => {
                let with = if revision > 0 { format!("with revision #{revision}") } else { String::new() };
                let gk = obj.group_kind();
                out.stdout.push_str(&format!(
                    "{}.{}/{} {with}\n{text}\n",
                    gk.kind().to_lowercase(),
                    gk.group(),
                    obj.meta().name
                ));
            }
            Err(e) => out.errors.push(e),
        }
    }
    out
}

fn has_history_viewer(kind: GroupKind) -> bool {
    matches!(kind, GroupKind::DaemonSet | GroupKind::Deployment | GroupKind::StatefulSet)
}

/// `HistoryViewerFor`'s error for a kind without history: the Go `GroupKind.String()` (`Kind.group`), quoted.
fn no_viewer(kind: GroupKind) -> String {
    let gk = if kind.group().is_empty() { kind.kind().to_owned() } else { format!("{}.{}", kind.kind(), kind.group()) };
    format!("no history viewer has been implemented for {gk:?}")
}

/// `HistoryViewer.ViewHistory` for one workload.
pub fn view_history(objects: Objects<'_>, obj: &Object, revision: i64) -> Result<String, String> {
    let history: BTreeMap<i64, (String, PodTemplateSpec)> = match obj {
        Object::Deployment(d) => deployment_history(objects, &d.metadata, d.spec.selector.as_deref()),
        Object::DaemonSet(ds) => revision_history(objects, &ds.metadata, ds.spec.selector.as_deref())?,
        Object::StatefulSet(ss) => revision_history(objects, &ss.metadata, ss.spec.selector.as_deref())?,
        other => return Err(no_viewer(other.group_kind())),
    };
    if history.is_empty() {
        return Ok("No rollout history found.".into());
    }
    if revision > 0 {
        let (_, template) = history.get(&revision).ok_or("unable to find the specified revision")?;
        return Ok(describe::pod_template(template));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for (r, (cause, _)) in &history {
        let cause = if cause.is_empty() { "<none>" } else { cause };
        table.push_str(&format!("{r}\t{cause}\n"));
    }
    Ok(tabbed(&table))
}

/// A Deployment's revisions: its ReplicaSets by revision annotation, each template carrying the ReplicaSet's
/// change cause among its annotations.
fn deployment_history(
    objects: Objects<'_>,
    meta: &ObjectMeta,
    selector: Option<&crate::api::meta_v1::LabelSelector>,
) -> BTreeMap<i64, (String, PodTemplateSpec)> {
    let selector = Selector::for_controller(selector);
    let mut out = BTreeMap::new();
    for rs in objects.list::<ReplicaSet>() {
        if rs.metadata.namespace != meta.namespace
            || !selector.matches(&rs.metadata.labels)
            || !controller_of(&rs.metadata).is_some_and(|o| o.uid == meta.uid)
        {
            continue;
        }
        let Ok(v) = crate::controller::deployment::util::revision(&rs.metadata.annotations) else { continue };
        let mut template = rs.spec.template.clone();
        if let Some(cause) = rs.metadata.annotations.get(CHANGE_CAUSE).filter(|c| !c.is_empty()) {
            template.metadata.annotations.insert(CHANGE_CAUSE.into(), cause.clone());
        }
        let cause = template.metadata.annotations.get(CHANGE_CAUSE).cloned().unwrap_or_default();
        out.insert(v, (cause, template));
    }
    out
}

/// A DaemonSet's or StatefulSet's revisions: the ControllerRevisions it controls and selects, each with its own
/// change cause and the template its data restores (`applyDaemonSetHistory`: the data replaces the template).
fn revision_history(
    objects: Objects<'_>,
    meta: &ObjectMeta,
    selector: Option<&crate::api::meta_v1::LabelSelector>,
) -> Result<BTreeMap<i64, (String, PodTemplateSpec)>, String> {
    let selector = Selector::for_controller(selector);
    let mut out = BTreeMap::new();
    for r in objects.list_in::<ControllerRevision>(&meta.namespace) {
        if !selector.matches(&r.metadata.labels) || !controller_of(&r.metadata).is_some_and(|o| o.uid == meta.uid) {
            continue;
        }
        let cause = r.metadata.annotations.get(CHANGE_CAUSE).cloned().unwrap_or_default();
        out.insert(r.revision, (cause, revision_template(r)?));
    }
    Ok(out)
}

/// The pod template a revision's data (`{"spec":{"template":{"$patch":"replace", ...}}}`) puts in place.
fn revision_template(r: &ControllerRevision) -> Result<PodTemplateSpec, String> {
    let mut t = r.data.0.get("spec").and_then(|s| s.get("template")).cloned().unwrap_or_default();
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    if t.is_null() {
        return Ok(PodTemplateSpec::default());
    }
    serde_json::from_value(t).map_err(|_| format!("unable to parse history {}", r.metadata.name))
}

/// Go's `text/tabwriter` as kubectl sets it up (minwidth 0, tabwidth 8, padding 2, pad with spaces, no flags):
/// tab-terminated cells are aligned in columns; a column block runs over consecutive lines that have a cell in
/// that column, and a line without any tab ends every block.
pub fn tabbed(text: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<Vec<&str>> = Vec::new();
    let mut lines: Vec<&str> = text.split('\n').collect();
    let terminated = text.ends_with('\n');
    if terminated {
        lines.pop();
    }
    let n = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let cells: Vec<&str> = line.split('\t').collect();
        let single = cells.len() == 1;
        block.push(cells);
        let has_newline = i + 1 < n || terminated;
        if single && has_newline {
            format_block(&block, &mut out, true);
            block.clear();
        }
    }
    format_block(&block, &mut out, terminated);
    out
}

fn format_block(lines: &[Vec<&str>], out: &mut String, last_terminated: bool) {
    let mut widths = Vec::new();
    format_columns(lines, 0, lines.len(), &mut widths, out, last_terminated);
}

fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// `Writer.format`: recursively find the column blocks of `lines[line0..line1]` for the next column.
fn format_columns(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    out: &mut String,
    last_terminated: bool,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out, last_terminated);
        line0 = this;
        let mut width = 0;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(width_of(lines[this][column]) + 2);
            this += 1;
        }
        widths.push(width);
        format_columns(lines, line0, this, widths, out, last_terminated);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out, last_terminated);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String, last_terminated: bool) {
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() {
                out.push_str(&" ".repeat(widths[j].saturating_sub(width_of(cell))));
            }
        }
        if i + 1 < lines.len() || last_terminated {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabwriter_as_kubectl_sets_it_up() {
        assert_eq!(
            tabbed("REVISION\tCHANGE-CAUSE\n1\t<none>\n12\tkubectl set image\n"),
            "REVISION  CHANGE-CAUSE\n1         <none>\n12        kubectl set image\n"
        );
        // A cell wider than the header widens the column; padding is 2.
        assert_eq!(tabbed("A\tB\n1234567890\tx\n"), "A           B\n1234567890  x\n");
        // A line without tabs ends the column block.
        assert_eq!(tabbed("a\tb\nplain\nlonger\tc\n"), "a  b\nplain\nlonger  c\n");
        // A last cell is padded only when a longer line of the block has a cell in that column.
        assert_eq!(tabbed("a\tb\tc\nd\te\n"), "a  b  c\nd  e\n");
        assert_eq!(tabbed("a\tb\n"), "a  b\n");
    }

    #[test]
    fn aggregate_error_message() {
        let mut o = HistoryOutput::default();
        assert_eq!(o.error_message(), None);
        o.errors = vec!["x".into(), "x".into()];
        assert_eq!(o.error_message().as_deref(), Some("x"));
        o.errors.push("y".into());
        assert_eq!(o.error_message().as_deref(), Some("[x, y]"));
    }
}
