//! go-spew's `%#v` rendering with the settings of Kubernetes' `DeepHashObject`
//! (`apimachinery/pkg/util/dump/dump.go:ForHash`): sorted map keys, no methods, no pointer addresses, no
//! capacities. The pod-template hash is FNV-1a over this text.

use super::GoValue;

/// Render a value as `spew.ConfigState{...}.Fprintf(w, "%#v", v)` does.
pub fn sprint(v: &GoValue<'_>) -> String {
    let mut out = String::new();
    write(&mut out, v, true);
    out
}

fn write(out: &mut String, v: &GoValue<'_>, with_type: bool) {
    match v {
        GoValue::Struct(ty, fields) => {
            if with_type {
                out.push_str(ty);
            }
            out.push('{');
            for (i, (name, f)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push(':');
                write(out, f, true);
            }
            out.push('}');
        }
        GoValue::Ptr(ty, None) => {
            out.push_str(&format!("({ty})<nil>"));
        }
        GoValue::Ptr(ty, Some(to)) => {
            out.push_str(&format!("({ty})"));
            write(out, to, false);
        }
        GoValue::Slice(ty, None) => out.push_str(&format!("{ty}(nil)")),
        GoValue::Slice(ty, Some(items)) => {
            out.push_str(ty);
            out.push('{');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, x, true);
            }
            out.push('}');
        }
        GoValue::Map(ty, None) => out.push_str(&format!("{ty}(nil)")),
        GoValue::Map(ty, Some(entries)) => {
            let mut rendered: Vec<(String, String)> = entries
                .iter()
                .map(|(k, x)| {
                    let (mut ks, mut xs) = (String::new(), String::new());
                    write(&mut ks, k, true);
                    write(&mut xs, x, true);
                    (ks, xs)
                })
                .collect();
            rendered.sort();
            out.push_str(ty);
            out.push('{');
            for (i, (k, x)) in rendered.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push(':');
                out.push_str(x);
            }
            out.push('}');
        }
        GoValue::Str(ty, s) => {
            out.push_str(&format!("({ty})"));
            out.push_str(&format!("{s:?}"));
        }
        GoValue::Int(ty, i) => out.push_str(&format!("({ty}){i}")),
        GoValue::Uint(ty, i) => out.push_str(&format!("({ty}){i}")),
        GoValue::Bool(ty, b) => out.push_str(&format!("({ty}){b}")),
        GoValue::Float(ty, f) => out.push_str(&format!("({ty}){f}")),
    }
}
