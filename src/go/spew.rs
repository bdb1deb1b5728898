//! go-spew's `%#v` rendering with the settings of Kubernetes' `DeepHashObject`
//! (`apimachinery/pkg/util/dump/dump.go:ForHash`): sorted map keys, no methods, no pointer addresses, no
//! capacities. The pod-template hash is FNV-1a over this text.
//!
//! `ConfigState.Sprintf` wraps its argument in spew's formatter (not its dumper), so the `Indent` setting plays no
//! part and the output is one line. The formatter's rules for `%#v`, which this module follows:
//!
//! * Every value is preceded by its type in parentheses, `(v1.RestartPolicy)Always`, except where the type is
//!   implied: slice elements, map keys and values, and the value a pointer points to.
//! * Structs are `{Name:value Name:value}`, fields separated by one space, unexported fields included.
//! * Strings are written raw: no quotes, no escaping.
//! * Slices are `[a b c]`, maps `map[k:v k:v]` with keys sorted; a nil slice or map is `<nil>`, an empty one `[]`
//!   or `map[]`.
//! * A pointer shows its type with one `*` per level followed, and then the pointee without a type:
//!   `(*int64)30`, `(*v1.Probe){...}`; a nil pointer is `(*v1.Probe)<nil>`, or `<nil>` where types are implied.
//! * Numbers print in decimal; floats as `strconv.FormatFloat(f, 'g', -1, bits)`.
//! * A nil pointer shown where its type is implied leaves spew's "type implied" flag set, so a struct field that
//!   follows a slice or map ending in one is printed without its type. No pod-template type has such a slice.

use std::cmp::Ordering;

use super::GoValue;

/// Render a value as `spew.ConfigState{...}.Sprintf("%#v", v)` does.
pub fn sprint(v: &GoValue<'_>) -> String {
    let mut f = Formatter { out: String::new(), ignore_next_type: false };
    f.format(v);
    f.out
}

/// spew's `formatState` for `%#v`: the output so far and its `ignoreNextType` flag. The flag is set before slice
/// elements, map keys and values, and pointees, and cleared once a non-pointer value has been handled; a nil
/// pointer shown without its type leaves it set, exactly as spew does.
struct Formatter {
    out: String,
    ignore_next_type: bool,
}

impl Formatter {
    fn format(&mut self, v: &GoValue<'_>) {
        if let GoValue::Ptr(..) = v {
            self.format_ptr(v);
            return;
        }
        if !self.ignore_next_type {
            self.out.push('(');
            self.out.push_str(v.type_name());
            self.out.push(')');
        }
        self.ignore_next_type = false;
        match v {
            GoValue::Ptr(..) => unreachable!("pointers are handled above"),
            GoValue::Bool(_, b) => self.out.push_str(if *b { "true" } else { "false" }),
            GoValue::Int(_, i) => self.out.push_str(&i.to_string()),
            GoValue::Uint(_, u) => self.out.push_str(&u.to_string()),
            GoValue::Float(ty, x) => self.out.push_str(&format_float_g(*x, if *ty == "float32" { 32 } else { 64 })),
            GoValue::Str(_, s) => self.out.push_str(s),
            GoValue::Slice(_, None) | GoValue::Map(_, None) => self.out.push_str("<nil>"),
            GoValue::Slice(_, Some(items)) => {
                self.out.push('[');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.ignore_next_type = true;
                    self.format(x);
                }
                self.out.push(']');
            }
            GoValue::Map(_, Some(entries)) => {
                let mut order: Vec<usize> = (0..entries.len()).collect();
                sort_keys(&mut order, entries);
                self.out.push_str("map[");
                for (i, &e) in order.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.ignore_next_type = true;
                    self.format(&entries[e].0);
                    self.out.push(':');
                    self.ignore_next_type = true;
                    self.format(&entries[e].1);
                }
                self.out.push(']');
            }
            GoValue::Struct(_, fields) => {
                self.out.push('{');
                for (i, (name, x)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.out.push_str(name);
                    self.out.push(':');
                    self.format(x);
                }
                self.out.push('}');
            }
        }
    }

    /// spew's `formatPtr`: follow the chain of pointers, show `(*…T)` (or `<*…>` when the type is implied), then
    /// the value pointed to.
    fn format_ptr(&mut self, v: &GoValue<'_>) {
        if self.ignore_next_type && matches!(v, GoValue::Ptr(_, None)) {
            self.out.push_str("<nil>");
            return;
        }
        let mut indirects = 0usize;
        let mut ve = v;
        let mut nil_found = false;
        while let GoValue::Ptr(_, to) = ve {
            match to {
                None => {
                    nil_found = true;
                    break;
                }
                Some(inner) => {
                    indirects += 1;
                    ve = inner;
                }
            }
        }
        if self.ignore_next_type {
            if nil_found {
                indirects += ve.type_name().matches('*').count();
            }
            self.out.push('<');
            self.out.push_str(&"*".repeat(indirects));
            self.out.push('>');
        } else {
            self.out.push('(');
            self.out.push_str(&"*".repeat(indirects));
            self.out.push_str(ve.type_name());
            self.out.push(')');
        }
        if nil_found {
            self.out.push_str("<nil>");
        } else {
            self.ignore_next_type = true;
            self.format(ve);
        }
    }
}

/// `SortKeys` with `SpewKeys`: keys of basic kinds compare by value (strings bytewise); other keys compare by their
/// `%#v` text.
fn sort_keys(order: &mut [usize], entries: &[(GoValue<'_>, GoValue<'_>)]) {
    let Some(first) = entries.first() else { return };
    let simple = !matches!(first.0, GoValue::Struct(..) | GoValue::Ptr(..) | GoValue::Slice(..) | GoValue::Map(..));
    if simple {
        order.sort_by(|&a, &b| cmp_basic(&entries[a].0, &entries[b].0));
    } else {
        let texts: Vec<String> = entries.iter().map(|(k, _)| sprint(k)).collect();
        order.sort_by(|&a, &b| texts[a].cmp(&texts[b]));
    }
}

fn cmp_basic(a: &GoValue<'_>, b: &GoValue<'_>) -> Ordering {
    match (a, b) {
        (GoValue::Str(_, x), GoValue::Str(_, y)) => x.as_bytes().cmp(y.as_bytes()),
        (GoValue::Int(_, x), GoValue::Int(_, y)) => x.cmp(y),
        (GoValue::Uint(_, x), GoValue::Uint(_, y)) => x.cmp(y),
        (GoValue::Bool(_, x), GoValue::Bool(_, y)) => x.cmp(y),
        (GoValue::Float(_, x), GoValue::Float(_, y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        _ => Ordering::Equal,
    }
}

/// `strconv.FormatFloat(f, 'g', -1, bits)`: the shortest decimal that reads back as the same value, in exponent
/// form (`1e+06`, `1.5e-07`) when the decimal exponent is below -4 or at least 6 (for the shortest form strconv
/// decides with precision 6; it is `fmt`'s `%v`, not spew, that uses 21).
pub fn format_float_g(f: f64, bits: u32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: `d.ddde±x`.
    let sci = if bits == 32 { format!("{:e}", f as f32) } else { format!("{f:e}") };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if digits == "0" {
        out.push('0');
        return out;
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    } else if exp < 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exp - 1) as usize));
        out.push_str(&digits);
    } else {
        let point = exp as usize + 1;
        if digits.len() <= point {
            out.push_str(&digits);
            out.push_str(&"0".repeat(point - digits.len()));
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use GoValue::*;

    fn s(ty: &'static str, v: &'static str) -> GoValue<'static> {
        Str(ty, v.into())
    }

    #[test]
    fn basic_kinds_carry_their_type() {
        assert_eq!(sprint(&s("string", "a b")), "(string)a b");
        assert_eq!(sprint(&s("v1.RestartPolicy", "Always")), "(v1.RestartPolicy)Always");
        assert_eq!(sprint(&s("string", "")), "(string)");
        assert_eq!(sprint(&Int("int32", -5)), "(int32)-5");
        assert_eq!(sprint(&Uint("uint64", 7)), "(uint64)7");
        assert_eq!(sprint(&Bool("bool", false)), "(bool)false");
        assert_eq!(sprint(&Float("float64", 0.5)), "(float64)0.5");
    }

    #[test]
    fn structs_separate_fields_by_spaces_and_type_every_field() {
        let v = Struct("v1.EnvVar", vec![("Name", s("string", "A")), ("Value", s("string", "\"x\""))]);
        assert_eq!(sprint(&v), "(v1.EnvVar){Name:(string)A Value:(string)\"x\"}");
        assert_eq!(sprint(&Struct("v1.Empty", vec![])), "(v1.Empty){}");
    }

    #[test]
    fn pointers() {
        assert_eq!(sprint(&GoValue::ptr("*int64", None)), "(*int64)<nil>");
        assert_eq!(sprint(&GoValue::ptr("*int64", Some(Int("int64", 30)))), "(*int64)30");
        let probe = Struct("v1.Probe", vec![("TimeoutSeconds", Int("int32", 1))]);
        assert_eq!(sprint(&GoValue::ptr("*v1.Probe", Some(probe))), "(*v1.Probe){TimeoutSeconds:(int32)1}");
        // A pointer to a pointer counts its levels.
        let pp = GoValue::ptr("**int", Some(GoValue::ptr("*int", Some(Int("int", 1)))));
        assert_eq!(sprint(&pp), "(**int)1");
        let pn = GoValue::ptr("**int", Some(GoValue::ptr("*int", None)));
        assert_eq!(sprint(&pn), "(**int)<nil>");
        // Inside a slice the type is implied.
        let sl = Slice("[]*int", Some(vec![GoValue::ptr("*int", None), GoValue::ptr("*int", Some(Int("int", 2)))]));
        assert_eq!(sprint(&sl), "([]*int)[<nil> <*>2]");
        let sl = Slice("[]**int", Some(vec![GoValue::ptr("**int", Some(GoValue::ptr("*int", None)))]));
        assert_eq!(sprint(&sl), "([]**int)[<**><nil>]");
        // spew leaves its "type implied" flag set after a nil pointer shown without type, so the field after a
        // slice ending in one loses its type prefix.
        let v = Struct(
            "T",
            vec![("A", Slice("[]*int", Some(vec![GoValue::ptr("*int", None)]))), ("B", Int("int", 1)), ("C", Int("int", 2))],
        );
        assert_eq!(sprint(&v), "(T){A:([]*int)[<nil>] B:1 C:(int)2}");
    }

    #[test]
    fn slices_nil_empty_and_elements_without_types() {
        assert_eq!(sprint(&Slice("[]string", None)), "([]string)<nil>");
        assert_eq!(sprint(&Slice("[]string", Some(vec![]))), "([]string)[]");
        let v = Slice("[]string", Some(vec![s("string", "a"), s("string", "b")]));
        assert_eq!(sprint(&v), "([]string)[a b]");
        let v = Slice("[]v1.EnvVar", Some(vec![Struct("v1.EnvVar", vec![("Name", s("string", "A"))])]));
        assert_eq!(sprint(&v), "([]v1.EnvVar)[{Name:(string)A}]");
    }

    #[test]
    fn maps_sorted_nil_and_empty() {
        assert_eq!(sprint(&Map("map[string]string", None)), "(map[string]string)<nil>");
        assert_eq!(sprint(&Map("map[string]string", Some(vec![]))), "(map[string]string)map[]");
        let m = Map(
            "v1.ResourceList",
            Some(vec![(s("v1.ResourceName", "memory"), s("string", "1")), (s("v1.ResourceName", "cpu"), s("string", "2"))]),
        );
        assert_eq!(sprint(&m), "(v1.ResourceList)map[cpu:2 memory:1]");
        // Bytewise order: upper case before lower case.
        let m = Map("map[string]string", Some(vec![(s("string", "b"), s("string", "")), (s("string", "B"), s("string", ""))]));
        assert_eq!(sprint(&m), "(map[string]string)map[B: b:]");
        let m = Map("map[int]bool", Some(vec![(Int("int", 10), Bool("bool", true)), (Int("int", 9), Bool("bool", false))]));
        assert_eq!(sprint(&m), "(map[int]bool)map[9:false 10:true]");
    }

    #[test]
    fn floats_like_strconv_g() {
        assert_eq!(format_float_g(1.0, 64), "1");
        assert_eq!(format_float_g(100000.0, 64), "100000");
        assert_eq!(format_float_g(123456.0, 64), "123456");
        assert_eq!(format_float_g(1e6, 64), "1e+06");
        assert_eq!(format_float_g(1234567.0, 64), "1.234567e+06");
        assert_eq!(format_float_g(1e21, 64), "1e+21");
        assert_eq!(format_float_g(1.5e-7, 64), "1.5e-07");
        assert_eq!(format_float_g(0.0001, 64), "0.0001");
        assert_eq!(format_float_g(0.00001, 64), "1e-05");
        assert_eq!(format_float_g(-2.5, 64), "-2.5");
        assert_eq!(format_float_g(0.1, 32), "0.1");
        assert_eq!(format_float_g(f64::INFINITY, 64), "+Inf");
    }
}
