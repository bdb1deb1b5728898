//! Go's `fmt` `%#v` verb, as validation messages print offending values
//! (`apimachinery/pkg/util/validation/field/errors.go:ErrorBody`).

use super::GoValue;

/// Render a value as `fmt.Sprintf("%#v", v)` does (pointers to structs print as `&T{...}`).
pub fn go_syntax(v: &GoValue<'_>) -> String {
    let mut out = String::new();
    write(&mut out, v, true);
    out
}

fn write(out: &mut String, v: &GoValue<'_>, top: bool) {
    match v {
        GoValue::Struct(ty, fields) => {
            out.push_str(ty);
            out.push('{');
            for (i, (name, f)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push(':');
                write(out, f, false);
            }
            out.push('}');
        }
        GoValue::Ptr(ty, None) => out.push_str(&format!("({ty})(nil)")),
        GoValue::Ptr(ty, Some(to)) => {
            if top {
                out.push('&');
                write(out, to, false);
            } else {
                // fmt prints nested pointers as addresses; kubeplan has none to show.
                out.push_str(&format!("({ty})(0xc000000000)"));
            }
        }
        GoValue::Slice(ty, None) => out.push_str(&format!("{ty}(nil)")),
        GoValue::Slice(ty, Some(items)) => {
            out.push_str(ty);
            out.push('{');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, x, false);
            }
            out.push('}');
        }
        GoValue::Map(ty, None) => out.push_str(&format!("{ty}(nil)")),
        GoValue::Map(ty, Some(entries)) => {
            out.push_str(ty);
            out.push('{');
            for (i, (k, x)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, k, false);
                out.push(':');
                write(out, x, false);
            }
            out.push('}');
        }
        GoValue::Str(ty, s) => {
            if *ty == "string" {
                out.push_str(&format!("{s:?}"));
            } else {
                out.push_str(&format!("\"{}\"", s.escape_default()));
            }
        }
        GoValue::Int(_, i) => out.push_str(&i.to_string()),
        GoValue::Uint(_, i) => out.push_str(&format!("0x{i:x}")),
        GoValue::Bool(_, b) => out.push_str(&b.to_string()),
        GoValue::Float(_, f) => out.push_str(&f.to_string()),
    }
}
