#!/usr/bin/env python3
"""Generate kubeplan's Rust API types from the Kubernetes Go type declarations.

Usage: tools/gen_api.py K8S_TREE [OUT_DIR]

K8S_TREE is the root of a Kubernetes v1.32 source tree (the directory that holds `staging/`); kubeplan reads the
tree vendored by openshift/microshift, branch release-4.19, under deps/github.com/openshift/kubernetes/. OUT_DIR
defaults to src/api/generated.

Why generate: controller-revision-hash and pod-template-hash are FNV hashes of a go-spew dump of the Go struct, so
kubeplan must know every field of PodTemplateSpec in declaration order, whether it is a pointer, and its Go type
name. The same facts give serde attributes that read and write JSON as the API server does (json names,
omitempty). Only facts are taken from the Go source: names, types and json tags. No code or comments.
"""
import os
import re
import sys

PACKAGES = {
    # Go package key -> (directory under staging/src/k8s.io, Go package name as reflect prints it, Rust module)
    "meta": ("apimachinery/pkg/apis/meta/v1", "v1", "meta_v1"),
    "core": ("api/core/v1", "v1", "core_v1"),
    "apps": ("api/apps/v1", "v1", "apps_v1"),
    "batch": ("api/batch/v1", "v1", "batch_v1"),
    "scheduling": ("api/scheduling/v1", "v1", "scheduling_v1"),
    "policy": ("api/policy/v1", "v1", "policy_v1"),
    "autoscaling1": ("api/autoscaling/v1", "v1", "autoscaling_v1"),
    "autoscaling2": ("api/autoscaling/v2", "v2", "autoscaling_v2"),
    "networking": ("api/networking/v1", "v1", "networking_v1"),
    "rbac": ("api/rbac/v1", "v1", "rbac_v1"),
    "storage": ("api/storage/v1", "v1", "storage_v1"),
    "discovery": ("api/discovery/v1", "v1", "discovery_v1"),
    "coordination": ("api/coordination/v1", "v1", "coordination_v1"),
    "node": ("api/node/v1", "v1", "node_v1"),
    "apiextensions": ("apiextensions-apiserver/pkg/apis/apiextensions/v1", "v1", "apiextensions_v1"),
}
IMPORT_ALIASES = {"metav1": "meta", "v1": "core", "corev1": "core", "apiv1": "core", "apps": "apps", "batchv1": "batch"}

# Every kind kubeplan stores, and the types they reach.
ROOTS = [
    ("core", "Pod"), ("core", "PodTemplateSpec"), ("core", "Node"), ("core", "Namespace"), ("core", "Service"),
    ("core", "Endpoints"), ("core", "ConfigMap"), ("core", "Secret"), ("core", "ServiceAccount"),
    ("core", "PersistentVolumeClaim"), ("core", "PersistentVolume"), ("core", "LimitRange"),
    ("core", "ResourceQuota"), ("core", "ReplicationController"), ("core", "PodTemplate"),
    ("apps", "DaemonSet"), ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"),
    ("apps", "ControllerRevision"), ("batch", "Job"), ("batch", "CronJob"), ("scheduling", "PriorityClass"),
    ("policy", "PodDisruptionBudget"), ("autoscaling1", "HorizontalPodAutoscaler"),
    ("autoscaling2", "HorizontalPodAutoscaler"), ("networking", "Ingress"), ("networking", "IngressClass"),
    ("networking", "NetworkPolicy"), ("rbac", "Role"), ("rbac", "ClusterRole"), ("rbac", "RoleBinding"),
    ("rbac", "ClusterRoleBinding"), ("storage", "StorageClass"), ("storage", "CSIDriver"), ("storage", "CSINode"),
    ("discovery", "EndpointSlice"), ("coordination", "Lease"), ("node", "RuntimeClass"),
    ("apiextensions", "CustomResourceDefinition"),
    ("meta", "LabelSelector"), ("meta", "OwnerReference"),
]

# The types whose Go values kubeplan prints, with the types they reach: go-spew for the pod-template hashes
# (PodTemplateSpec), `%#v` for validation messages (the others). Only these get a `ToGo` impl: every generated
# line weighs in the WASM build.
TO_GO_ROOTS = [
    ("core", "PodTemplateSpec"), ("core", "Taint"), ("core", "NodeAddress"), ("meta", "LabelSelector"),
    ("meta", "OwnerReference"), ("apps", "DaemonSetUpdateStrategy"), ("apps", "DeploymentStrategy"),
    ("apps", "StatefulSetUpdateStrategy"), ("batch", "PodFailurePolicy"), ("batch", "SuccessPolicy"),
    ("rbac", "RoleRef"),
]

# Types kubeplan implements by hand (custom JSON and go-spew representations).
SPECIAL = {
    ("meta", "Time"): ("crate::api::Time", "v1.Time"),
    ("meta", "MicroTime"): ("crate::api::Time", "v1.MicroTime"),
    ("meta", "Duration"): ("crate::api::Duration", "v1.Duration"),
    ("meta", "FieldsV1"): ("crate::api::RawJson", "v1.FieldsV1"),
    ("resource", "Quantity"): ("crate::api::Quantity", "resource.Quantity"),
    ("intstr", "IntOrString"): ("crate::api::IntOrString", "intstr.IntOrString"),
    ("runtime", "RawExtension"): ("crate::api::RawJson", "runtime.RawExtension"),
    # Custom JSON forms (a schema may be a bool or a list where a schema is expected): kept as written.
    ("apiextensions", "JSONSchemaProps"): ("crate::api::RawJson", "v1.JSONSchemaProps"),
    ("apiextensions", "JSON"): ("crate::api::RawJson", "v1.JSON"),
}
FOREIGN_PKGS = {"resource": "resource", "intstr": "intstr", "runtime": "runtime", "types": "types"}

BASIC = {
    "string": ("String", "Str"), "bool": ("bool", "Bool"), "int32": ("i32", "Int"), "int64": ("i64", "Int"),
    "int": ("i64", "Int"), "uint16": ("u16", "Uint"), "uint32": ("u32", "Uint"), "uint64": ("u64", "Uint"),
    "byte": ("u8", "Uint"), "float64": ("f64", "Float"), "float32": ("f32", "Float"),
}

RUST_KEYWORDS = {"type", "ref", "match", "loop", "move", "self", "static", "use", "where", "async", "await", "dyn",
                 "override", "final", "box", "in", "fn", "let", "mod", "struct", "enum", "trait", "impl", "const"}


def snake(name):
    name = name.replace("IPs", "Ips").replace("CIDRs", "Cidrs").replace("URLs", "Urls")
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()
    return "r#" + s if s in RUST_KEYWORDS else s


class Decls:
    """Every `type X ...` declaration of one Go package, as text."""

    def __init__(self, directory):
        self.structs, self.aliases = {}, {}
        for fn in sorted(os.listdir(directory)):
            if not fn.endswith(".go") or fn.endswith("_test.go") or fn.startswith("zz_generated") \
                    or fn.startswith("generated"):
                continue
            text = open(os.path.join(directory, fn)).read()
            for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", text, re.S | re.M):
                self.structs[m.group(1)] = m.group(2)
            for m in re.finditer(r"^type (\w+) struct ?\{\}$", text, re.M):
                self.structs[m.group(1)] = ""
            for m in re.finditer(r"^type (\w+) (?!struct)([^\n{]+)$", text, re.M):
                self.aliases[m.group(1)] = m.group(2).strip()


def parse_fields(body):
    fields = []
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    for raw in body.split("\n"):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        m = re.match(r"^(\w+)\s+([^`]+?)\s*`([^`]*)`\s*(//.*)?$", line)
        embedded = None
        if not m:
            m2 = re.match(r"^([\w.*]+)\s*`([^`]*)`$", line)
            if not m2:
                m3 = re.match(r"^(\w+)\s+([\w.*\[\]]+)$", line)
                if m3:  # untagged field (unexported internals): not part of the JSON form
                    continue
                raise SystemExit("cannot parse field line: %r" % line)
            embedded, tags = m2.group(1), m2.group(2)
            name, gotype = embedded.split(".")[-1], embedded
        else:
            name, gotype, tags = m.group(1), m.group(2).strip(), m.group(3)
        jm = re.search(r'json:"([^"]*)"', tags)
        json_tag = jm.group(1) if jm else None
        fields.append({"name": name, "type": gotype, "json": json_tag, "embedded": embedded is not None})
    return fields


class Generator:
    def __init__(self, tree):
        self.decls = {k: Decls(os.path.join(tree, "staging/src/k8s.io", d)) for k, (d, _, _) in PACKAGES.items()}
        self.wanted = []  # (pkg, name) in discovery order
        self.seen = set()

    # ---- type resolution ----
    def resolve(self, gotype, pkg):
        """Return a description of a Go type expression as seen from package pkg."""
        if gotype.startswith("*"):
            return {"k": "ptr", "elem": self.resolve(gotype[1:], pkg), "go": "*" + self.go_name(gotype[1:], pkg)}
        if gotype == "[]byte":  # base64 in JSON
            return {"k": "special", "rust": "crate::api::Bytes", "go": "[]uint8"}
        if gotype.startswith("[]"):
            return {"k": "slice", "elem": self.resolve(gotype[2:], pkg), "go": "[]" + self.go_name(gotype[2:], pkg)}
        m = re.match(r"^map\[([^\]]+)\](.+)$", gotype)
        if m:
            return {"k": "map", "key": self.resolve(m.group(1), pkg), "elem": self.resolve(m.group(2), pkg),
                    "go": "map[%s]%s" % (self.go_name(m.group(1), pkg), self.go_name(m.group(2), pkg))}
        if gotype in BASIC:
            r, kind = BASIC[gotype]
            return {"k": "basic", "rust": r, "gokind": kind, "go": gotype}
        tpkg, tname = self.split(gotype, pkg)
        if (tpkg, tname) in SPECIAL:
            rust, go = SPECIAL[(tpkg, tname)]
            return {"k": "special", "rust": rust, "go": go}
        if tpkg == "types" and tname == "UID":
            return {"k": "basic", "rust": "String", "gokind": "Str", "go": "types.UID"}
        if tpkg not in self.decls:
            raise SystemExit("unknown package for %s (%s)" % (gotype, pkg))
        d = self.decls[tpkg]
        goname = "%s.%s" % (PACKAGES[tpkg][1], tname)
        if tname in d.structs:
            self.want(tpkg, tname)
            return {"k": "struct", "rust": "super::%s::%s" % (PACKAGES[tpkg][2], tname), "go": goname,
                    "pkg": tpkg, "name": tname}
        if tname in d.aliases:
            under = self.resolve(d.aliases[tname], tpkg)
            under = dict(under)
            under["go"] = goname  # a named type prints with its own name
            return under
        raise SystemExit("unknown type %s in %s" % (gotype, pkg))

    def split(self, gotype, pkg):
        if "." in gotype:
            alias, name = gotype.split(".")
            if alias in FOREIGN_PKGS:
                return FOREIGN_PKGS[alias], name
            return IMPORT_ALIASES[alias], name
        return pkg, gotype

    def go_name(self, gotype, pkg):
        if gotype.startswith("*"):
            return "*" + self.go_name(gotype[1:], pkg)
        if gotype.startswith("[]"):
            return "[]" + self.go_name(gotype[2:], pkg)
        m = re.match(r"^map\[([^\]]+)\](.+)$", gotype)
        if m:
            return "map[%s]%s" % (self.go_name(m.group(1), pkg), self.go_name(m.group(2), pkg))
        if gotype in BASIC:
            return gotype
        tpkg, tname = self.split(gotype, pkg)
        if (tpkg, tname) in SPECIAL:
            return SPECIAL[(tpkg, tname)][1]
        if tpkg == "types":
            return "types." + tname
        return "%s.%s" % (PACKAGES[tpkg][1], tname)

    def want(self, pkg, name):
        if (pkg, name) not in self.seen:
            self.seen.add((pkg, name))
            self.wanted.append((pkg, name))

    # ---- code generation ----
    def rust_type(self, t):
        k = t["k"]
        if k == "ptr":
            inner = self.rust_type(t["elem"])
            return "Option<Box<%s>>" % inner if t["elem"]["k"] == "struct" else "Option<%s>" % inner
        if k == "slice":
            return "Vec<%s>" % self.rust_type(t["elem"])
        if k == "map":
            return "BTreeMap<%s, %s>" % (self.rust_type(t["key"]), self.rust_type(t["elem"]))
        return t["rust"]

    def go_expr(self, t, e, by_ref=False):
        """Rust expression building a GoValue for the Rust place `e` of Go type t (`by_ref`: e is a reference)."""
        k = t["k"]
        go = t["go"]
        val = "*" + e if by_ref else e
        if k == "basic":
            kind = t["gokind"]
            if kind == "Str":
                return 'GoValue::Str("%s", %s.as_str().into())' % (go, e)
            if kind == "Bool":
                return 'GoValue::Bool("%s", %s)' % (go, val)
            if kind == "Int":
                return 'GoValue::Int("%s", i64::from(%s))' % (go, val)
            if kind == "Uint":
                return 'GoValue::Uint("%s", u64::from(%s))' % (go, val)
            return 'GoValue::Float("%s", f64::from(%s))' % (go, val)
        if k in ("struct", "special"):
            return "%s.to_go()" % e
        if k == "ptr":
            inner = self.go_expr(t["elem"], "x", True)
            deref = ".as_deref()" if t["elem"]["k"] == "struct" else ".as_ref()"
            return 'GoValue::ptr("%s", %s%s.map(|x| %s))' % (go, e, deref, inner)
        if k == "slice":
            return 'GoValue::slice("%s", %s.iter().map(|x| %s))' % (go, e, self.go_expr(t["elem"], "x", True))
        if k == "map":
            return 'GoValue::map("%s", %s.iter().map(|(k, v)| (%s, %s)))' % (
                go, e, self.go_expr(t["key"], "k", True), self.go_expr(t["elem"], "v", True))
        raise SystemExit(k)

    def skip_fn(self, t):
        k = t["k"]
        if k == "ptr":
            return "Option::is_none"
        if k in ("slice", "map"):
            return "%s::is_empty" % ("Vec" if k == "slice" else "BTreeMap")
        if k == "basic":
            return {"Str": "String::is_empty", "Bool": "crate::api::is_false",
                    "Int": "crate::api::is_zero", "Uint": "crate::api::is_zero",
                    "Float": "crate::api::is_zero"}[t["gokind"]]
        if k == "special":
            return "crate::api::OmitEmpty::omit"
        return None  # Go never omits a struct value

    def flat_fields(self, pkg, name):
        """The JSON-visible fields of a struct, with inline embedded structs expanded, plus the go layout."""
        body = self.decls[pkg].structs[name]
        out, layout = [], []
        for f in parse_fields(body):
            if f["json"] == "-" or (f["json"] is None and not f["embedded"]):
                continue
            if f["embedded"] and f["json"] is not None and f["json"].split(",")[0] != "":
                f["embedded"] = False  # an embedded struct with a json name is an ordinary field
            if f["embedded"]:
                if ",inline" not in (f["json"] or ""):
                    raise SystemExit("embedded field without inline tag in %s" % name)
                epkg, ename = self.split(f["type"], pkg)
                sub, sublayout = self.flat_fields(epkg, ename)
                out.extend(sub)
                layout.append(("embed", f["name"], "%s.%s" % (PACKAGES[epkg][1], ename), sublayout))
                continue
            parts = f["json"].split(",")
            t = self.resolve(f["type"], pkg)
            field = {"go": f["name"], "json": parts[0], "omitempty": "omitempty" in parts[1:], "t": t,
                     "rust": snake(parts[0])}
            out.append(field)
            layout.append(("field", field))
        return out, layout

    def gen_struct(self, pkg, name, to_go):
        fields, layout = self.flat_fields(pkg, name)
        lines = ["/// Go type `%s.%s` (k8s.io/%s)." % (PACKAGES[pkg][1], name, PACKAGES[pkg][0]),
                 "#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]",
                 # TypeScript declarations for the npm package (bindings/wasm/), generated from these very types.
                 '#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]',
                 "pub struct %s {" % name]
        # Fields are declared in the order of their JSON names, the order in which every output prints an object's
        # keys: the sorted JSON printer then never reorders a generated object. Go's order is kept in `layout`,
        # which `ToGo` follows for the hashes.
        for f in sorted(fields, key=lambda f: f["json"].encode()):
            attrs = ['rename = "%s"' % f["json"], "default"]
            skip = self.skip_fn(f["t"]) if f["omitempty"] else None
            if skip:
                attrs.append('skip_serializing_if = "%s"' % skip)
            lines.append("    #[serde(%s)]" % ", ".join(attrs))
            lines.append("    pub %s: %s," % (f["rust"], self.rust_type(f["t"])))
        lines.append("}")
        if not to_go:
            return "\n".join(lines)
        lines.append("")
        lines.append("impl ToGo for %s {" % name)
        lines.append("    fn to_go(&self) -> GoValue<'_> {")
        lines.append("        " + self.layout_expr("%s.%s" % (PACKAGES[pkg][1], name), layout, 2))
        lines.append("    }")
        lines.append("}")
        return "\n".join(lines)

    def layout_expr(self, goname, layout, depth):
        ind = "    " * (depth + 1)
        parts = []
        for item in layout:
            if item[0] == "embed":
                parts.append('%s("%s", %s)' % (ind, item[1], self.layout_expr(item[2], item[3], depth + 1)))
            else:
                f = item[1]
                parts.append('%s("%s", %s)' % (ind, f["go"], self.go_expr(f["t"], "self.%s" % f["rust"])))
        if not parts:
            return 'GoValue::Struct("%s", vec![])' % goname
        return 'GoValue::Struct("%s", vec![\n%s,\n%s])' % (goname, ",\n".join(parts), "    " * depth)

    def reached(self, roots):
        """The structs reachable from `roots` through their fields (embedded ones included)."""
        out, todo = set(), list(roots)
        while todo:
            pkg, name = todo.pop()
            if (pkg, name) in out:
                continue
            out.add((pkg, name))
            for f in self.flat_fields(pkg, name)[0]:
                t = f["t"]
                while t["k"] in ("ptr", "slice", "map"):
                    t = t["elem"]
                if t["k"] == "struct":
                    todo.append((t["pkg"], t["name"]))
        return out

    def run(self, out_dir):
        for pkg, name in ROOTS:
            self.want(pkg, name)
        modules = {}
        i = 0
        while i < len(self.wanted):
            pkg, name = self.wanted[i]
            modules.setdefault(pkg, []).append((pkg, name))
            self.flat_fields(pkg, name)  # resolving the fields discovers the types they use
            i += 1
        to_go = self.reached(TO_GO_ROOTS)
        modules = {pkg: [self.gen_struct(p, n, (p, n) in to_go) for p, n in items] for pkg, items in modules.items()}
        os.makedirs(out_dir, exist_ok=True)
        for pkg, items in modules.items():
            mod = PACKAGES[pkg][2]
            header = ("// @generated by tools/gen_api.py from the Kubernetes v1.32 Go types (k8s.io/%s).\n"
                      "// Regenerate: python3 tools/gen_api.py K8S_TREE\n"
                      "#![allow(clippy::all, unused_imports)]\n\n"
                      "use std::collections::BTreeMap;\n\n"
                      "use serde::{Deserialize, Serialize};\n\n"
                      "use crate::go::{GoValue, ToGo};\n\n" % PACKAGES[pkg][0])
            with open(os.path.join(out_dir, mod + ".rs"), "w") as fh:
                fh.write(header + "\n\n".join(items) + "\n")
        with open(os.path.join(out_dir, "mod.rs"), "w") as fh:
            fh.write("// @generated by tools/gen_api.py\n")
            for pkg in PACKAGES:
                if pkg in modules:
                    fh.write("pub mod %s;\n" % PACKAGES[pkg][2])
        print("generated %d structs, %d with ToGo" % (len(self.wanted), len(to_go)))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    Generator(sys.argv[1]).run(sys.argv[2] if len(sys.argv) > 2 else "src/api/generated")
