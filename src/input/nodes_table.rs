//! The text `kubectl get nodes --show-labels` prints (also with `-o wide`), read as Node objects: what a user has
//! at hand when `kubectl get nodes -o yaml` is too long to paste.
//!
//! kubectl prints its tables through a tabwriter, so every cell starts in the column its header starts in: cells
//! are cut at the header's positions, which keeps a wide `OS-IMAGE` such as `Ubuntu 22.04.3 LTS` whole. A line
//! edited by hand whose cells do not line up with the header (a header position falls inside a word) is split at
//! whitespace instead, `LABELS` taking the rest.
//!
//! What the table does not show is not invented, with two exceptions a plan needs, said in a note: capacity
//! (`kubectl get nodes` prints none; [`DEFAULT_CAPACITY`] is assumed) and what the node lifecycle controller
//! makes of the STATUS shown (`SchedulingDisabled`: cordoned, `spec.unschedulable` and the
//! `node.kubernetes.io/unschedulable:NoSchedule` taint; `NotReady` or `Unknown`: the `Ready` condition `False` or
//! `Unknown` with the `node.kubernetes.io/not-ready` or `unreachable` `NoSchedule` taint).
//!
//! Each node's tree points into the table (its name, status and label cells), so that what the API server says
//! about a node is shown on its line.

use crate::diag::{Diagnostic, Pos, Span};

use super::node::{Key, Node, Value};

/// The code of the table's errors (lines that cannot be read).
pub const CODE: &str = "nodes-table";

/// The code of the note saying how the table was read (how many nodes, what capacity was assumed).
pub const READ: &str = "nodes-table-read";

/// The capacity assumed for every node (`cpu`, `memory`, `pods`): the table does not print it.
pub const DEFAULT_CAPACITY: [(&str, &str); 3] = [("cpu", "4"), ("memory", "8Gi"), ("pods", "110")];

/// Whether the text is a `kubectl get nodes` table rather than YAML or JSON: its first line that is not blank is
/// a header starting `NAME` then `STATUS`.
pub fn looks_like_nodes_table(text: &str) -> bool {
    text.lines().find(|l| !l.trim().is_empty()).is_some_and(|first| {
        let mut words = first.split_whitespace();
        first.starts_with("NAME") && words.next() == Some("NAME") && words.next() == Some("STATUS")
    })
}

/// A cell of the table: its text and where it is (1-based line, character columns `[start, end)`).
#[derive(Clone, Debug, Default)]
struct Cell {
    text: String,
    span: Span,
}

/// A header column: its name and the character column it starts at (0-based).
struct Column {
    name: String,
    start: usize,
}

/// One node line of the table.
struct Row {
    line: Span,
    name: Cell,
    status: Cell,
    labels: Option<Cell>,
}

/// Read the table into one located tree per node. Lines that cannot be read are located errors (the rest is read);
/// a note at the header says how the table was read.
pub fn read(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Node> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i as u32 + 1, l.strip_suffix('\r').unwrap_or(l)));
    let Some((header_line, header)) = lines.by_ref().find(|(_, l)| !l.trim().is_empty()) else { return Vec::new() };
    let columns = header_columns(header);
    let mut seen = std::collections::BTreeSet::new();
    let mut nodes = Vec::new();
    for (line_no, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let row = cut(line_no, line, &columns);
        if !seen.insert(row.name.text.clone()) {
            diags.push(Diagnostic::error(
                CODE,
                file,
                row.name.span,
                format!("node {:?} is listed twice: kubectl get nodes lists each node once", row.name.text),
            ));
            continue;
        }
        let mut errors = Vec::new();
        nodes.push(node_tree(&row, &mut errors));
        diags.extend(errors.into_iter().map(|(span, message)| Diagnostic::error(CODE, file, span, message)));
    }
    let capacity: Vec<String> = DEFAULT_CAPACITY.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let count = match nodes.len() {
        1 => "1 node".to_owned(),
        n => format!("{n} nodes"),
    };
    diags.push(Diagnostic {
        severity: crate::diag::Severity::Info,
        ..Diagnostic::warning(
            READ,
            file,
            Span { start: Pos { line: header_line, col: 1 }, end: Pos { line: header_line, col: header.chars().count() as u32 + 1 } },
            format!(
                "read as kubectl get nodes: {count}, capacity assumed ({}: the table does not print it)",
                capacity.join(", ")
            ),
        )
    });
    nodes
}

fn header_columns(header: &str) -> Vec<Column> {
    let mut columns = Vec::new();
    let mut start = None;
    for (i, c) in header.chars().chain(std::iter::once(' ')).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                columns.push(Column { name: header.chars().skip(s).take(i - s).collect(), start: s });
                start = None;
            }
            _ => {}
        }
    }
    columns
}

/// Cut a line into the cells of `NAME`, `STATUS` and `LABELS`: at the header's positions when the line lines up
/// with it (every column after the first starts after a space, or past the line's end), else at whitespace.
fn cut(line_no: u32, line: &str, columns: &[Column]) -> Row {
    let chars: Vec<char> = line.chars().collect();
    let aligned = columns.iter().skip(1).all(|c| c.start >= chars.len() || chars[c.start - 1] == ' ');
    let bounds: Vec<(usize, usize)> = if aligned {
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let end = columns.get(i + 1).map_or(chars.len(), |n| n.start).min(chars.len());
                (c.start.min(end), end)
            })
            .collect()
    } else {
        let words = words(&chars);
        (0..columns.len())
            .map(|i| match (words.get(i), i + 1 == columns.len()) {
                (Some(&(s, _)), true) => (s, words.last().map_or(s, |w| w.1)),
                (Some(&w), false) => w,
                (None, _) => (chars.len(), chars.len()),
            })
            .collect()
    };
    let cell = |name: &str| {
        columns.iter().position(|c| c.name == name).map(|i| {
            let (s, e) = bounds[i];
            // The cell's text without the padding, and where that text is.
            let lead = chars[s..e].iter().take_while(|c| c.is_whitespace()).count();
            let text: String = chars[s + lead..e].iter().collect::<String>().trim_end().to_owned();
            let (start, end) = (s + lead, s + lead + text.chars().count());
            Cell { text, span: span_on(line_no, start, end) }
        })
    };
    Row {
        line: span_on(line_no, 0, chars.len()),
        name: cell("NAME").unwrap_or_default(),
        status: cell("STATUS").unwrap_or_default(),
        labels: cell("LABELS"),
    }
}

/// The words of a line as character ranges.
fn words(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// A span on one line, from 0-based character columns.
fn span_on(line: u32, start: usize, end: usize) -> Span {
    Span { start: Pos { line, col: start as u32 + 1 }, end: Pos { line, col: end.max(start + 1) as u32 + 1 } }
}

/// The Node a row describes, as a tree located in the table; what cannot be read of it goes to `errors`.
fn node_tree(row: &Row, errors: &mut Vec<(Span, String)>) -> Node {
    let (name, status) = (&row.name, &row.status);
    let labels = row.labels.as_ref().map_or_else(Vec::new, |cell| labels(cell, errors));
    let parts: Vec<&str> = status.text.split(',').map(str::trim).collect();
    let ready = if parts.contains(&"NotReady") {
        "False"
    } else if parts.contains(&"Unknown") {
        "Unknown"
    } else {
        "True"
    };
    let cordoned = parts.contains(&"SchedulingDisabled");
    let at_status = |v: Value| Node { value: v, span: status.span };
    let str_at = |s: &str, span: Span| Node { value: Value::Str(s.to_owned()), span };
    let key = |k: &str, span: Span| Key { name: k.to_owned(), span };

    let mut taints = Vec::new();
    let taint = |k: &str| {
        at_status(Value::Map(vec![
            (key("key", status.span), str_at(k, status.span)),
            (key("effect", status.span), str_at("NoSchedule", status.span)),
        ]))
    };
    if cordoned {
        taints.push(taint("node.kubernetes.io/unschedulable"));
    }
    match ready {
        "False" => taints.push(taint("node.kubernetes.io/not-ready")),
        "Unknown" => taints.push(taint("node.kubernetes.io/unreachable")),
        _ => {}
    }
    let mut spec = Vec::new();
    if cordoned {
        spec.push((key("unschedulable", status.span), at_status(Value::Bool(true))));
    }
    if !taints.is_empty() {
        spec.push((key("taints", status.span), at_status(Value::Seq(taints))));
    }

    let mut metadata = vec![(key("name", name.span), str_at(&name.text, name.span))];
    if !labels.is_empty() {
        let span = row.labels.as_ref().map_or(row.line, |c| c.span);
        metadata.push((key("labels", span), Node { value: Value::Map(labels), span }));
    }
    let capacity = DEFAULT_CAPACITY.iter().map(|(k, v)| (key(k, row.line), str_at(v, row.line))).collect();
    let condition = at_status(Value::Map(vec![
        (key("type", status.span), str_at("Ready", status.span)),
        (key("status", status.span), str_at(ready, status.span)),
    ]));
    let status_map = vec![
        (key("capacity", row.line), Node { value: Value::Map(capacity), span: row.line }),
        (key("conditions", status.span), at_status(Value::Seq(vec![condition]))),
    ];
    let mut fields = vec![
        (key("apiVersion", name.span), str_at("v1", name.span)),
        (key("kind", name.span), str_at("Node", name.span)),
        (key("metadata", name.span), Node { value: Value::Map(metadata), span: name.span }),
    ];
    if !spec.is_empty() {
        fields.push((key("spec", status.span), at_status(Value::Map(spec))));
    }
    fields.push((key("status", status.span), at_status(Value::Map(status_map))));
    Node { value: Value::Map(fields), span: row.line }
}

/// `key=value,key=value` (or `<none>`) as located label entries; a pair without `=` is an error at the pair,
/// and the others are read.
fn labels(cell: &Cell, errors: &mut Vec<(Span, String)>) -> Vec<(Key, Node)> {
    let mut out = Vec::new();
    if cell.text.is_empty() || cell.text == "<none>" {
        return out;
    }
    let (line, mut col) = (cell.span.start.line, cell.span.start.col);
    for pair in cell.text.split(',') {
        let width = pair.chars().count() as u32;
        let at = |from: u32, len: u32| Span { start: Pos { line, col: from }, end: Pos { line, col: from + len.max(1) } };
        if !pair.is_empty() {
            match pair.split_once('=').filter(|(k, _)| !k.is_empty()) {
                Some((k, v)) => {
                    let klen = k.chars().count() as u32;
                    out.push((
                        Key { name: k.to_owned(), span: at(col, klen) },
                        Node { value: Value::Str(v.to_owned()), span: at(col + klen + 1, v.chars().count() as u32) },
                    ));
                }
                None => errors.push((
                    at(col, width),
                    format!("label {pair:?} is not key=value (kubectl get nodes --show-labels prints key=value,key=value)"),
                )),
            }
        }
        col += width + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "NAME       STATUS                     ROLES           AGE   VERSION   LABELS
master     Ready,SchedulingDisabled   control-plane   12d   v1.32.2   beta.kubernetes.io/arch=amd64,kubernetes.io/hostname=master,node-role.kubernetes.io/control-plane=
worker-1   Ready                      <none>          12d   v1.32.2   disktype=ssd,kubernetes.io/hostname=worker-1,kubernetes.io/os=linux
worker-2   NotReady                   <none>          3d    v1.32.2   kubernetes.io/hostname=worker-2
";

    const WIDE: &str = "NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME     LABELS
node-a   Ready    <none>   5d    v1.32.0   10.0.0.4      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2   host=high-cpu,kubernetes.io/hostname=node-a
node-b   Ready    <none>   5d    v1.32.0   10.0.0.5      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2   <none>
";

    fn read_ok(text: &str) -> Vec<serde_json::Value> {
        let mut diags = Vec::new();
        let nodes = read("nodes.txt", text, &mut diags);
        let errors: Vec<_> = diags.iter().filter(|d| d.severity == crate::diag::Severity::Error).collect();
        assert!(errors.is_empty(), "{errors:?}");
        nodes.iter().map(Node::to_json).collect()
    }

    #[test]
    fn recognises_the_table_and_not_yaml() {
        assert!(looks_like_nodes_table(TABLE));
        assert!(looks_like_nodes_table(&format!("\n\n{WIDE}")));
        assert!(!looks_like_nodes_table("apiVersion: v1\nkind: Node\n"));
        assert!(!looks_like_nodes_table("# NAME STATUS\n"));
        assert!(!looks_like_nodes_table("NAMESPACE STATUS\n"));
        assert!(!looks_like_nodes_table(""));
    }

    #[test]
    fn reads_names_labels_and_what_the_status_means() {
        let nodes = read_ok(TABLE);
        let names: Vec<_> = nodes.iter().map(|n| n["metadata"]["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["master", "worker-1", "worker-2"]);
        assert_eq!(nodes[0]["metadata"]["labels"]["node-role.kubernetes.io/control-plane"], "", "empty values kept");
        assert_eq!(nodes[0]["spec"]["unschedulable"], true);
        assert_eq!(nodes[0]["spec"]["taints"][0]["key"], "node.kubernetes.io/unschedulable");
        assert_eq!(nodes[1]["metadata"]["labels"]["disktype"], "ssd");
        assert!(nodes[1].get("spec").is_none());
        assert_eq!(nodes[2]["status"]["conditions"][0]["status"], "False");
        assert_eq!(nodes[2]["spec"]["taints"][0]["key"], "node.kubernetes.io/not-ready");
        assert_eq!(nodes[1]["status"]["capacity"]["cpu"], "4");
    }

    #[test]
    fn wide_cells_are_cut_at_the_header_so_an_os_image_with_spaces_stays_whole() {
        let nodes = read_ok(WIDE);
        assert_eq!(nodes[0]["metadata"]["labels"]["host"], "high-cpu");
        assert_eq!(nodes[0]["metadata"]["labels"]["kubernetes.io/hostname"], "node-a");
        assert!(nodes[1]["metadata"].get("labels").is_none(), "<none> is no labels");
    }

    #[test]
    fn lines_that_do_not_line_up_are_split_at_whitespace() {
        let nodes = read_ok("NAME STATUS ROLES AGE VERSION LABELS\nn1 Ready <none> 1d v1.32.0 a=b,c=d\n");
        assert_eq!(nodes[0]["metadata"]["labels"], serde_json::json!({"a": "b", "c": "d"}));
    }

    #[test]
    fn bad_lines_are_located_and_the_others_read() {
        let mut diags = Vec::new();
        let text = "NAME   STATUS   LABELS\nn1     Ready    a=b,nolabel\nn1     Ready    a=b\nn2     Ready    x=1\nn2     Ready    y=2\n";
        let nodes = read("t", text, &mut diags);
        assert_eq!(nodes.iter().map(|n| n.to_json()["metadata"]["name"].clone()).collect::<Vec<_>>(), ["n1", "n2"]);
        let errors: Vec<String> = diags.iter().filter(|d| d.severity == crate::diag::Severity::Error).map(|d| d.to_string()).collect();
        assert_eq!(
            errors,
            [
                "t:2:21: error[nodes-table]: label \"nolabel\" is not key=value (kubectl get nodes --show-labels prints key=value,key=value)",
                "t:3:1: error[nodes-table]: node \"n1\" is listed twice: kubectl get nodes lists each node once",
                "t:5:1: error[nodes-table]: node \"n2\" is listed twice: kubectl get nodes lists each node once",
            ]
        );
        let note = diags.iter().find(|d| d.severity == crate::diag::Severity::Info).unwrap();
        assert_eq!(note.to_string(), "t:1:1: info[nodes-table-read]: read as kubectl get nodes: 2 nodes, capacity assumed (cpu 4, memory 8Gi, pods 110: the table does not print it)");
    }

    #[test]
    fn fields_point_at_their_cells() {
        let mut diags = Vec::new();
        let nodes = read("t", "NAME   STATUS   LABELS\nn1     Ready    a=b,cc=dd\n", &mut diags);
        // The value `dd` of `cc=dd`, the label cell starting at column 17.
        let label = nodes[0].locate_span("metadata.labels.cc");
        assert_eq!((label.start, label.end), (Pos { line: 2, col: 24 }, Pos { line: 2, col: 26 }));
        let key = nodes[0].key("metadata").map(|_| nodes[0].locate("metadata.labels.cc").1.unwrap().span);
        assert_eq!(key.map(|s| (s.start.col, s.end.col)), Some((21, 23)));
        assert_eq!(nodes[0].locate_span("metadata.name").start, Pos { line: 2, col: 1 });
        assert_eq!(nodes[0].locate_span("status.conditions").start, Pos { line: 2, col: 8 });
    }
}
