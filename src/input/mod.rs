//! Loading manifests: files of YAML or JSON documents (also `kind: List` as `kubectl get -o yaml` prints it)
//! into typed objects that remember where they came from.

pub mod decode;
pub mod encoding;
pub mod mapping;
pub mod node;
pub mod nodes_table;
mod parsed;
mod tree;
pub mod yaml;

use std::sync::Arc;

use crate::api::{CustomResource, GroupKind, Object};
use crate::diag::{Diagnostic, Pos, Span};

pub use mapping::Mapping;
pub use node::Node;
pub use parsed::ParseCache;
pub(crate) use tree::plain_reads_as_string;

/// The kind of kube-scheduler's configuration file. Its documents are not API objects: reading sets them aside
/// ([`Loaded::scheduler_configurations`]) for the scheduler, whose configuration names its kind by this constant.
pub const SCHEDULER_CONFIGURATION_KIND: &str = "KubeSchedulerConfiguration";

/// The group of kube-scheduler's configuration, as an `apiVersion` prefix: a document of any version is set
/// aside, so that the scheduler refuses a version it does not read with kube-scheduler's own message.
const SCHEDULER_CONFIGURATION_GROUP_PREFIX: &str = "kubescheduler.config.k8s.io/";

/// A named text to read (a file, stdin as `-`, or an editor buffer).
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    /// Ill-formed byte sequences of the file, which the text holds as U+FFFD (as kubectl reads them).
    pub invalid: Vec<encoding::InvalidBytes>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        Source { name: name.into(), text: text.into(), invalid: Vec::new() }
    }

    /// A file's bytes, decoded as kubectl decodes them ([`encoding::decode`]).
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> Source {
        let decoded = encoding::decode(bytes);
        Source { name: name.into(), text: decoded.text, invalid: decoded.invalid }
    }
}

/// An object read from a source, with its located tree (for messages that point into the document).
#[derive(Clone, Debug)]
pub struct Manifest {
    pub object: Object,
    pub file: Arc<str>,
    pub tree: Arc<Node>,
    /// Why the API server refuses the object as it decodes it, when it does: the unknown or repeated fields of
    /// kubectl's default strict field validation. The object is kept, for a linter to check the rest of it.
    pub refused: Option<String>,
}

impl Manifest {
    /// The span of the field at `path` (an API field path such as `spec.selector`), or of the closest enclosing
    /// field that exists in the document.
    pub fn span_of(&self, path: &str) -> Span {
        self.tree.locate_span(path)
    }

    /// The apiVersion the document is written in (the version the API server answers in).
    pub fn api_version(&self) -> &str {
        self.tree.get("apiVersion").and_then(Node::as_str).unwrap_or_else(|| self.object.api_version())
    }
}

/// Everything read from the sources: the objects, in input order, and the problems met.
#[derive(Debug, Default)]
pub struct Loaded {
    pub manifests: Vec<Manifest>,
    pub diagnostics: Vec<Diagnostic>,
    /// Objects written in an API version that was removed (`extensions/v1beta1` DaemonSets, ...), read as the
    /// current version. kubectl cannot apply them (each is also in `refused`), so they are not in `manifests`; a
    /// linter can still check what they would be once moved to the current version.
    pub removed: Vec<RemovedVersion>,
    /// The unknown and repeated fields behind strict decoding refusals, with the fields expected there.
    pub unknown_fields: Vec<(Arc<str>, decode::UnknownField)>,
    /// Documents refused before they become objects: kubectl cannot map their kind, or the API server cannot
    /// decode them. Each is a rejection where it is applied.
    pub refused: Vec<Refused>,
    /// `KubeSchedulerConfiguration` documents (`kubescheduler.config.k8s.io`): not API objects but the
    /// scheduler's configuration file, read by the scheduler (`scheduler::config::load`).
    pub scheduler_configurations: Vec<Document>,
}

/// A document kubectl or the API server refuses as it reads it.
#[derive(Clone, Debug)]
pub struct Refused {
    /// The kind, namespace (as written, `""` when absent) and name of the document.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// kubectl's or the API server's message.
    pub message: String,
    pub file: Arc<str>,
    pub span: Span,
}

/// A document kept as read, with its file, for a reader other than the API server.
#[derive(Clone, Debug)]
pub struct Document {
    pub file: Arc<str>,
    pub tree: Arc<Node>,
}

impl Loaded {
    /// Append what another load read (files read apart, joined in input order).
    pub fn extend(&mut self, other: Loaded) {
        self.manifests.extend(other.manifests);
        self.diagnostics.extend(other.diagnostics);
        self.removed.extend(other.removed);
        self.unknown_fields.extend(other.unknown_fields);
        self.refused.extend(other.refused);
        self.scheduler_configurations.extend(other.scheduler_configurations);
    }
}

/// An object in a removed API version, read as the current version.
#[derive(Clone, Debug)]
pub struct RemovedVersion {
    pub manifest: Manifest,
    /// The version written, e.g. `extensions/v1beta1`.
    pub api_version: String,
    /// The Kubernetes release that removed it, e.g. `v1.16`.
    pub removed_in: &'static str,
}

/// Read every document of every source. Problems are reported per document; the rest is still read.
pub fn load(sources: &[Source]) -> Loaded {
    load_in(sources, None)
}

/// [`load`] as `kubectl apply -n NAMESPACE` reads: a namespaced object that names no namespace goes to
/// `namespace`, and one that names another is refused with kubectl's message (cli-runtime's `RequireNamespace`,
/// the visitor its resource builder adds when the namespace is given on the command line). Without a namespace
/// (`None`), objects go to `default`, kubectl's namespace when the kubeconfig names none.
pub fn load_in(sources: &[Source], namespace: Option<&str>) -> Loaded {
    load_with(sources, namespace, Reading::Everything, &mut ParseCache::none())
}

/// [`load_in`] as `kubectl apply -f` reads each file: its documents one after the other until one does not
/// parse. kubectl's stream visitor (cli-runtime `StreamVisitor.Visit`) returns at the first document its decoder
/// cannot read, `error parsing FILE: ...`, so the documents after it in that file are never applied (other files
/// are). A bad `---` separator line stops the reader before it hands out the document it ends
/// (`YAMLReader.Read`), so that document is not applied either. Each file stopped early gets a located note
/// ([`NOT_APPLIED`]) at the first document left out.
pub fn load_applied(sources: &[Source], namespace: Option<&str>) -> Loaded {
    load_with(sources, namespace, Reading::AsKubectlApplies, &mut ParseCache::none())
}

/// [`load_applied`], parsing only the documents `cache` does not hold from the last load given it, and leaving it
/// this load's documents. The same result as [`load_applied`]: see [`ParseCache`].
pub fn load_applied_cached(sources: &[Source], namespace: Option<&str>, cache: &mut ParseCache) -> Loaded {
    let loaded = load_with(sources, namespace, Reading::AsKubectlApplies, cache);
    cache.loaded();
    loaded
}

/// The code of the note saying which documents of a file kubectl would not apply after one that does not parse.
pub const NOT_APPLIED: &str = "not-applied";

/// How far a file is read: every document (a linter's view), or as far as `kubectl apply` reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reading {
    Everything,
    AsKubectlApplies,
}

fn load_with(sources: &[Source], namespace: Option<&str>, reading: Reading, cache: &mut ParseCache) -> Loaded {
    let mut out = Loaded::default();
    for src in sources {
        load_source(src, namespace, reading, cache, &mut out);
    }
    out
}

/// Where a file stopped being read as kubectl reads it: the first line kubectl's decoder refuses.
#[derive(Clone, Copy, Debug)]
struct Broken {
    at: Pos,
    /// A bad separator line, which also takes the document it ends; else a document that does not parse.
    separator: bool,
}

fn load_source(src: &Source, namespace: Option<&str>, reading: Reading, cache: &mut ParseCache, out: &mut Loaded) {
    let file: Arc<str> = Arc::from(src.name.as_str());
    if src.text.len() > yaml::MAX_FILE_BYTES {
        out.diagnostics.push(Diagnostic::error(
            "input-too-large",
            &file,
            Span::point(Pos { line: 1, col: 1 }),
            format!("file is {} bytes; kubeplan reads at most {} bytes per file", src.text.len(), yaml::MAX_FILE_BYTES),
        ));
        return;
    }
    invalid_bytes(&file, src, &mut out.diagnostics);
    let text = src.text.strip_prefix('\u{feff}').unwrap_or(&src.text);
    if nodes_table::looks_like_nodes_table(text) {
        for tree in nodes_table::read(&file, text, &mut out.diagnostics) {
            load_document(&file, Arc::new(tree), namespace, out);
        }
        return;
    }
    let before = out.diagnostics.len();
    let chunks = yaml::split_stream(&file, text, &mut out.diagnostics);
    // The split reports bad separator lines; kubectl's reader stops at the first of them.
    let mut broken = out.diagnostics[before..]
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| Broken { at: d.span.start, separator: true })
        .next();
    let parsed = cache.parse(&file, &chunks, parse_chunks);
    for (i, (chunk, parsed)) in chunks.iter().zip(parsed).enumerate() {
        if reading == Reading::AsKubectlApplies {
            if let Some(b) = broken.filter(|b| reaches(chunk, b)) {
                out.diagnostics.push(not_applied(&file, chunk, chunks.len() - i, b));
                return;
            }
        }
        match parsed {
            Ok(Some(tree)) => load_document(&file, tree, namespace, out),
            Ok(None) => {}
            Err(d) => {
                if broken.is_none_or(|b| d.span.start < b.at) {
                    broken = Some(Broken { at: d.span.start, separator: false });
                }
                out.diagnostics.push(d);
            }
        }
    }
}

/// Below this many bytes a file's documents are parsed on the calling thread: starting threads would cost more
/// than they save.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const PARALLEL_PARSE_BYTES: usize = 256 * 1024;

/// Parse a file's documents into located trees, in document order. Documents parse independently, so a large
/// file (a `helm template` of a whole chart, 5,000 nodes one per document) is parsed on several threads where
/// the platform has them, each taking a contiguous run of documents of about the same size; the results are
/// joined in document order, so what follows is the same on any machine and in WebAssembly, which parses on one.
/// Parsing is most of the time of reading a file (the located tree, YAML 1.1 resolution, the spans).
fn parse_chunks(file: &str, chunks: &[yaml::Chunk<'_>]) -> Vec<Result<Option<Node>, Diagnostic>> {
    let parse_all = |part: &[yaml::Chunk<'_>]| part.iter().map(|c| yaml::parse_chunk(file, c)).collect::<Vec<_>>();
    #[cfg(not(target_arch = "wasm32"))]
    {
        let bytes: usize = chunks.iter().map(|c| c.text.len()).sum();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(chunks.len());
        if threads > 1 && bytes >= PARALLEL_PARSE_BYTES {
            let parts = split_by_size(chunks, bytes.div_ceil(threads));
            return std::thread::scope(|s| {
                let handles: Vec<_> = parts.into_iter().map(|part| s.spawn(move || parse_all(part))).collect();
                // A parser panic is a bug; it surfaces on this thread as it would without threads.
                handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
            });
        }
    }
    parse_all(chunks)
}

/// Contiguous runs of chunks of about `target` bytes each (a run ends once it reaches `target`).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn split_by_size<'c, 'a>(chunks: &'c [yaml::Chunk<'a>], target: usize) -> Vec<&'c [yaml::Chunk<'a>]> {
    let mut parts = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, c) in chunks.iter().enumerate() {
        size += c.text.len();
        if size >= target {
            parts.push(&chunks[start..=i]);
            (start, size) = (i + 1, 0);
        }
    }
    if start < chunks.len() {
        parts.push(&chunks[start..]);
    }
    parts
}

/// Whether kubectl's reader stops before handing out this document: it starts after the broken line, or it is
/// the document a bad separator line ends.
fn reaches(chunk: &yaml::Chunk<'_>, broken: &Broken) -> bool {
    let last_line = chunk.first_line + chunk.text.lines().count().saturating_sub(1) as u32;
    chunk.first_line > broken.at.line || (broken.separator && last_line + 1 >= broken.at.line)
}

/// The note on the first document of a file that kubectl would not apply, and why.
fn not_applied(file: &Arc<str>, first: &yaml::Chunk<'_>, documents: usize, broken: Broken) -> Diagnostic {
    let what = if broken.separator { "a document separator it cannot read" } else { "a document that does not parse" };
    let which = match documents {
        1 => "this document is".to_owned(),
        n => format!("this document and the {} after it in the file are", n - 1),
    };
    let at = first_content_line(first);
    Diagnostic {
        severity: crate::diag::Severity::Info,
        ..Diagnostic::warning(
            NOT_APPLIED,
            file,
            Span::point(Pos { line: at, col: 1 }),
            format!(
                "not applied: kubectl stops reading {file} at {what} (line {}), so {which} not applied (`kubectl \
                 apply` fails with `error parsing {file}`); `kubeplan lint` still checks them",
                broken.at.line
            ),
        )
    }
}

/// The first line of a document that is neither blank nor a comment (where a reader's eye finds it).
fn first_content_line(chunk: &yaml::Chunk<'_>) -> u32 {
    let skipped = chunk.text.lines().take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#')).count();
    chunk.first_line + skipped as u32
}

/// Where the file held bytes that are not text: kubectl reads each as U+FFFD and applies the document, so this
/// is a warning at the byte, and the document is read as kubectl reads it.
fn invalid_bytes(file: &Arc<str>, src: &Source, diags: &mut Vec<Diagnostic>) {
    if src.invalid.is_empty() {
        return;
    }
    /// A binary file would hold one per few bytes: say where the first ones are, and how many more there are.
    const SHOWN: usize = 10;
    let starts = encoding::line_starts(&src.text);
    for bad in src.invalid.iter().take(SHOWN) {
        let line = starts.partition_point(|&s| s <= bad.offset).saturating_sub(1);
        let col = src.text.get(starts[line]..bad.offset).map_or(1, |t| t.chars().count() + 1);
        let at = Pos { line: line as u32 + 1, col: col as u32 };
        let bytes: Vec<String> = bad.bytes.iter().map(|b| format!("0x{b:02x}")).collect();
        let (noun, verb, pronoun) = if bytes.len() == 1 { ("byte", "is", "it") } else { ("bytes", "are", "them") };
        diags.push(Diagnostic::warning(
            "invalid-encoding",
            file,
            Span::point(at),
            format!(
                "{noun} {} {verb} not text (UTF-8, or UTF-16 after a byte order mark): kubectl reads {pronoun} as \
                 U+FFFD (\u{fffd}), and so does kubeplan",
                bytes.join(" ")
            ),
        ));
    }
    if let Some(last) = src.invalid.get(SHOWN..).and_then(<[_]>::last) {
        let line = starts.partition_point(|&s| s <= last.offset) as u32;
        diags.push(Diagnostic::warning(
            "invalid-encoding",
            file,
            Span::point(Pos { line, col: 1 }),
            format!("{} more sequences up to this line are not text either: is this a YAML or JSON file?", src.invalid.len() - SHOWN),
        ));
    }
}

/// Read one document: a single object, or a list of them.
fn load_document(file: &Arc<str>, tree: Arc<Node>, namespace: Option<&str>, out: &mut Loaded) {
    let span = tree.span;
    if !matches!(tree.value, node::Value::Map(_)) {
        out.diagnostics.push(Diagnostic::error(
            "not-an-object",
            file,
            span,
            format!("expected a Kubernetes object (a mapping with apiVersion and kind), found {}", tree.value.json_type()),
        ));
        return;
    }
    let kind = tree.get("kind").and_then(Node::as_str).unwrap_or("").to_owned();
    let api_version = tree.get("apiVersion").and_then(Node::as_str).unwrap_or("").to_owned();
    let (kind, api_version) = (kind.as_str(), api_version.as_str());
    if kind.is_empty() || api_version.is_empty() {
        let missing: Vec<&str> =
            [("apiVersion", api_version), ("kind", kind)].iter().filter(|(_, v)| v.is_empty()).map(|(k, _)| *k).collect();
        out.diagnostics.push(Diagnostic::error(
            "missing-type-meta",
            file,
            span,
            format!("error validating data: [{}]", missing.iter().map(|k| format!("{k} not set")).collect::<Vec<_>>().join(", ")),
        ));
        return;
    }
    if kind == "List" || (kind.ends_with("List") && tree.get("items").is_some()) {
        match tree.get("items").map(|n| &n.value) {
            Some(node::Value::Seq(items)) => {
                for item in items {
                    load_document(file, Arc::new(item.clone()), namespace, out);
                }
            }
            Some(node::Value::Null) | None => {}
            Some(_) => out.diagnostics.push(Diagnostic::error(
                "invalid-type",
                file,
                tree.get("items").map(|n| n.span).unwrap_or(span),
                "items of a List must be a sequence of objects",
            )),
        }
        return;
    }
    if kind == SCHEDULER_CONFIGURATION_KIND && api_version.starts_with(SCHEDULER_CONFIGURATION_GROUP_PREFIX) {
        out.scheduler_configurations.push(Document { file: file.clone(), tree });
        return;
    }
    let kind_span = tree.get("kind").map(|n| n.span).unwrap_or(span);
    match mapping::map(api_version, kind) {
        Mapping::Served(gk) => load_served(file, tree, gk, namespace, out),
        Mapping::NotServed(gk, removed_in) => {
            refuse_mapping(file, &tree, out);
            out.diagnostics.push(version_not_served(file, &tree, gk, api_version, removed_in));
            if let Some(removed_in) = removed_in {
                // Read as the current version, for a linter to say what moving it there would bring.
                if let Ok((mut object, _)) = decode_object(gk, &tree) {
                    default_namespace(&mut object, namespace);
                    let manifest = Manifest { object, file: file.clone(), tree, refused: None };
                    out.removed.push(RemovedVersion { manifest, api_version: api_version.to_owned(), removed_in });
                }
            }
        }
        Mapping::Unmodelled => out.diagnostics.push(Diagnostic {
            severity: crate::diag::Severity::Info,
            ..Diagnostic::warning("ignored-kind", file, kind_span, format!("{kind} is not modelled by kubeplan; ignored"))
        }),
        Mapping::NoMatch => {
            refuse_mapping(file, &tree, out);
            out.diagnostics.push(no_match(file, kind_span, api_version, kind));
        }
        // A custom resource's scope is known once its definition is: its namespace is settled where it is applied.
        // With `-n`, one that names no namespace is sent in it (the API server drops it for a cluster-scoped kind).
        // One that names another namespace is not refused: kubectl refuses it only when its kind is namespaced,
        // which its definition says where it is applied.
        Mapping::Custom => match decode_custom(&tree) {
            Ok(mut object) => {
                if let Some(namespace) = namespace.filter(|_| object.meta().namespace.is_empty()) {
                    object.meta_mut().namespace = namespace.to_owned();
                }
                out.manifests.push(Manifest { object, file: file.clone(), tree, refused: None })
            }
            Err(e) => refuse_decoding(file, &tree, span, kind, api_version, e, out),
        },
    }
}

/// Decode a document of a kind kubeplan models, in a version v1.32 serves.
fn load_served(file: &Arc<str>, tree: Arc<Node>, gk: GroupKind, namespace: Option<&str>, out: &mut Loaded) {
    let api_version = tree.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let decoded = if gk == GroupKind::HorizontalPodAutoscaler && api_version == "autoscaling/v1" {
        decode::decode::<crate::api::autoscaling_v1::HorizontalPodAutoscaler>(&tree).map(|(hpa, unknown)| {
            (Object::HorizontalPodAutoscaler(Box::new(crate::api::conversion::hpa_from_v1(hpa))), without_type_meta(unknown))
        })
    } else {
        decode_object(gk, &tree)
    };
    match decoded {
        Ok((mut object, unknown)) => {
            if let Some(message) = namespace_mismatch(&object, namespace) {
                refuse_namespace(file, &tree, message, out);
                return;
            }
            default_namespace(&mut object, namespace);
            let refused = decode::strict_error(&unknown).map(|e| cannot_handle(gk.kind(), api_version, &e));
            out.unknown_fields.extend(unknown.into_iter().map(|u| (file.clone(), u)));
            out.manifests.push(Manifest { object, file: file.clone(), tree, refused });
        }
        Err(e) => {
            let span = tree.span;
            refuse_decoding(file, &tree, span, gk.kind(), api_version, e, out);
        }
    }
}

/// A namespaced object without a namespace is created in kubectl's namespace: `-n`'s, else `default`; a
/// cluster-scoped one loses any namespace it names (`EnsureObjectNamespaceMatchesRequestNamespace`).
fn default_namespace(object: &mut Object, namespace: Option<&str>) {
    if object.namespaced() {
        if object.meta().namespace.is_empty() {
            object.meta_mut().namespace = namespace.unwrap_or("default").to_owned();
        }
    } else {
        object.meta_mut().namespace.clear();
    }
}

/// kubectl's refusal of a namespaced object that names a namespace other than `-n`'s, as cli-runtime's
/// `RequireNamespace` words it. kubectl applies the other objects.
fn namespace_mismatch(object: &Object, namespace: Option<&str>) -> Option<String> {
    let requested = namespace?;
    let own = &object.meta().namespace;
    (object.namespaced() && !own.is_empty() && own != requested).then(|| {
        format!(
            "the namespace from the provided object {own:?} does not match the namespace {requested:?}. You must \
             pass '--namespace={own}' to perform this operation."
        )
    })
}

/// A namespace kubectl refuses: a located error at `metadata.namespace`, and a rejection where it is applied.
fn refuse_namespace(file: &Arc<str>, tree: &Node, message: String, out: &mut Loaded) {
    let span = tree.get("metadata").and_then(|m| m.get("namespace")).map_or(tree.span, |n| n.span);
    out.diagnostics.push(Diagnostic::error("namespace-mismatch", file, span, message.clone()));
    let (kind, namespace, name) = identity(tree);
    out.refused.push(Refused { kind, namespace, name, message, file: file.clone(), span });
}

/// The API server's refusal of a body it cannot decode: `KIND in version "V" cannot be handled as a KIND: ...`.
fn cannot_handle(kind: &str, api_version: &str, detail: &str) -> String {
    format!("{kind} in version \"{}\" cannot be handled as a {kind}: {detail}", mapping::split_api_version(api_version).1)
}

/// Identity of a document as written: kind, namespace, name.
fn identity(tree: &Node) -> (String, String, String) {
    let meta = tree.get("metadata");
    let field = |k: &str| meta.and_then(|m| m.get(k)).and_then(Node::as_str).unwrap_or("").to_owned();
    let kind = tree.get("kind").and_then(Node::as_str).unwrap_or("").to_owned();
    (kind, field("namespace"), field("name"))
}

/// kubectl cannot map the document's kind: refused with its message, at the apiVersion.
fn refuse_mapping(file: &Arc<str>, tree: &Node, out: &mut Loaded) {
    let (kind, namespace, name) = identity(tree);
    let api_version = tree.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let message = mapping::mapping_error(&name, &namespace, file, &kind, api_version);
    let span = tree.get("apiVersion").map_or(tree.span, |n| n.span);
    out.refused.push(Refused { kind, namespace, name, message, file: file.clone(), span });
}

/// The API server cannot decode the document: a located diagnostic and a refusal.
fn refuse_decoding(
    file: &Arc<str>,
    tree: &Node,
    span: Span,
    kind: &str,
    api_version: &str,
    e: decode::DecodeError,
    out: &mut Loaded,
) {
    let message = cannot_handle(kind, api_version, &e.message);
    let at = e.span.unwrap_or(span);
    out.diagnostics.push(Diagnostic::error("invalid-type", file, at, message.clone()));
    let (kind, namespace, name) = identity(tree);
    out.refused.push(Refused { kind, namespace, name, message, file: file.clone(), span: at });
}

fn decode_object(gk: GroupKind, tree: &Node) -> Result<(Object, Vec<decode::UnknownField>), decode::DecodeError> {
    /// Decodes the document as the kind's own type.
    struct Typed<'a>(&'a Node);
    impl crate::api::KindVisitor for Typed<'_> {
        type Output = Result<(Object, Vec<decode::UnknownField>), decode::DecodeError>;
        fn visit<T: crate::api::Resource + serde::de::DeserializeOwned>(self) -> Self::Output {
            let (v, unknown) = decode::decode::<T>(self.0)?;
            Ok((v.into_object(), unknown))
        }
    }
    let Some(decoded) = crate::api::visit_builtin(gk, Typed(tree)) else {
        return Err(decode::DecodeError { message: "not a built-in kind".into(), span: Some(tree.span), path: String::new() });
    };
    let (object, unknown) = decoded?;
    Ok((object, without_type_meta(unknown)))
}

/// `apiVersion` and `kind` are read by the scheme, not the object's fields.
fn without_type_meta(unknown: Vec<decode::UnknownField>) -> Vec<decode::UnknownField> {
    unknown.into_iter().filter(|u| u.path != "apiVersion" && u.path != "kind").collect()
}

/// A custom resource: its metadata decoded as any object's, the rest kept as written (its schema is its CRD's,
/// which kubeplan does not apply).
fn decode_custom(tree: &Node) -> Result<Object, decode::DecodeError> {
    let metadata = match tree.get("metadata") {
        Some(m) => decode::decode::<crate::api::meta_v1::ObjectMeta>(m)?.0,
        None => Default::default(),
    };
    let mut content = serde_json::Map::new();
    if let node::Value::Map(entries) = &tree.value {
        for (k, v) in entries {
            if !matches!(k.name.as_str(), "apiVersion" | "kind" | "metadata") && !content.contains_key(&k.name) {
                content.insert(k.name.clone(), v.to_json());
            }
        }
    }
    let api_version = tree.get("apiVersion").and_then(Node::as_str).unwrap_or("").to_owned();
    let kind = tree.get("kind").and_then(Node::as_str).unwrap_or("").to_owned();
    Ok(Object::CustomResource(Box::new(CustomResource { api_version, kind, metadata, content, served: None })))
}

/// The located note for a built-in kind in a version v1.32 does not serve.
fn version_not_served(file: &str, tree: &Node, gk: GroupKind, api_version: &str, removed_in: Option<&str>) -> Diagnostic {
    let span = tree.get("apiVersion").map(|n| n.span).unwrap_or(tree.span);
    let name = tree.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str).unwrap_or("");
    let hint = match removed_in {
        Some(v) => format!(" ({api_version} was removed in Kubernetes {v}; use {})", gk.api_version()),
        None => format!(" (use {})", gk.api_version()),
    };
    Diagnostic::error(
        "unknown-api-version",
        file,
        span,
        format!(
            "resource mapping not found for name: {name:?} from {file:?}: no matches for kind {:?} in version {api_version:?}{hint}",
            gk.kind()
        ),
    )
}

/// A kind no built-in group serves in this version, with the closest built-in kind when one is close.
fn no_match(file: &str, span: Span, api_version: &str, kind: &str) -> Diagnostic {
    let distance = |k: &str| strsim::levenshtein(&k.to_lowercase(), &kind.to_lowercase());
    let suggestion = mapping::known_kind_names().min_by_key(|k| distance(k)).filter(|k| distance(k) <= 2);
    let hint = suggestion.map(|s| format!("; did you mean {s:?}?")).unwrap_or_default();
    Diagnostic::error("unknown-kind", file, span, format!("no matches for kind {kind:?} in version {api_version:?}{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_document_does_not_stop_the_others() {
        let text = "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\nkind: [\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n";
        let l = load(&[Source::new("m.yaml", text)]);
        assert_eq!(l.manifests.len(), 2);
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(l.diagnostics[0].span.start.line, 5);
        assert_eq!(l.diagnostics[0].file, "m.yaml");
    }

    /// A file large enough to be parsed on several threads, with broken documents here and there, gives what
    /// parsing its documents one after the other gives, in the same order, and loads as kubectl applies it.
    #[test]
    fn a_large_file_parses_as_one_parsed_document_after_the_other() {
        let mut text = String::new();
        for i in 0..4000 {
            if i % 997 == 500 {
                text.push_str(&format!("kind: [broken-{i}\n---\n"));
            } else {
                text.push_str(&format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: ns-{i}, labels: {{team: a, tier: b}}}}\n---\n"));
            }
        }
        assert!(text.len() > PARALLEL_PARSE_BYTES);
        let mut diags = Vec::new();
        let chunks = yaml::split_stream("m.yaml", &text, &mut diags);
        let one_by_one: Vec<_> = chunks.iter().map(|c| yaml::parse_chunk("m.yaml", c)).collect();
        assert_eq!(parse_chunks("m.yaml", &chunks), one_by_one);
        assert_eq!(one_by_one.iter().filter(|r| r.is_err()).count(), 4);

        let all = load(&[Source::new("m.yaml", text.clone())]);
        assert_eq!(all.manifests.len(), 3996);
        assert_eq!(all.diagnostics.iter().map(|d| d.span.start.line).collect::<Vec<_>>(), [2001, 5987, 9973, 13959]);
        let applied = load_applied(&[Source::new("m.yaml", text)], None);
        assert_eq!(applied.manifests.len(), 500, "kubectl apply stops at the first broken document");
    }

    #[test]
    fn runs_split_by_size_cover_every_chunk_in_order() {
        let texts = ["a".repeat(10), "b".repeat(30), "c".repeat(5), "d".repeat(25), "e".repeat(1)];
        let chunks: Vec<yaml::Chunk<'_>> =
            texts.iter().map(|t| yaml::Chunk { first_line: 1, text: std::borrow::Cow::Borrowed(t.as_str()) }).collect();
        let parts = split_by_size(&chunks, 35);
        let sizes: Vec<Vec<usize>> = parts.iter().map(|p| p.iter().map(|c| c.text.len()).collect()).collect();
        assert_eq!(sizes, [vec![10, 30], vec![5, 25, 1]]);
        assert_eq!(split_by_size(&chunks, 1000).len(), 1);
        assert!(split_by_size(&[], 10).is_empty());
    }

    #[test]
    fn lists_expand_and_namespaces_default() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n";
        let l = load(&[Source::new("m.yaml", text)]);
        assert_eq!(l.manifests.len(), 1);
        assert_eq!(l.manifests[0].object.meta().namespace, "default");
    }

    #[test]
    fn unknown_and_removed_kinds_are_located() {
        let text = "apiVersion: apps/v1\nkind: DaemonSett\nmetadata: {name: a}\n---\napiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: b}\n";
        let l = load(&[Source::new("m.yaml", text)]);
        assert!(l.manifests.is_empty());
        assert_eq!(l.diagnostics[0].code, "unknown-kind");
        assert!(l.diagnostics[0].message.contains("did you mean \"DaemonSet\""));
        assert_eq!(l.diagnostics[0].span.start.line, 2);
        assert_eq!(l.diagnostics[1].code, "unknown-api-version");
        assert_eq!(l.diagnostics[1].span.start.line, 5);
        assert_eq!(l.removed.len(), 1);
        assert_eq!((l.removed[0].api_version.as_str(), l.removed[0].removed_in), ("extensions/v1beta1", "v1.16"));
        assert_eq!(l.removed[0].manifest.object.meta().name, "b");
    }

    #[test]
    fn wrong_types_are_located_errors() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: http\n";
        let l = load(&[Source::new("m.yaml", text)]);
        assert!(l.manifests.is_empty());
        let d = &l.diagnostics[0];
        assert_eq!((d.span.start.line, d.span.start.col), (8, 22));
        assert_eq!(
            d.message,
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
        );
    }
}
