//! JSON as Go's `encoding/json` writes it: object keys sorted, `<`, `>` and `&` escaped as `\u003c`, `\u003e`,
//! `\u0026`, U+2028 and U+2029 escaped, floats in Go's shortest form.
//!
//! ControllerRevision data is such JSON (`daemon/update.go:getPatch`, `statefulset/stateful_set_utils.go:getPatch`),
//! and the StatefulSet revision hash is an FNV-1 hash of exactly these bytes.

use serde_json::Value;

/// Encode a JSON value with Go's `json.Marshal` conventions (keys sorted, HTML-safe escaping).
pub fn marshal(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                out.push_str(&format_float(n.as_f64().unwrap_or(0.0)));
            }
        }
        Value::String(s) => write_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, &m[k]);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal with Go's escaping (`encodeState.string` with `escapeHTML`).
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A float64 as Go's `encoding/json` formats it: the shortest representation, in exponent form only for very
/// large or very small magnitudes (`1e+21`, `1e-07`).
pub fn format_float(f: f64) -> String {
    if f == f.trunc() && f.abs() < 1e21 {
        return format!("{}", f as i128);
    }
    let abs = f.abs();
    if abs != 0.0 && (abs < 1e-6 || abs >= 1e21) {
        let s = format!("{f:e}");
        // Rust writes `1e-7`; Go writes `1e-07` (at least two exponent digits) and `1e+21`.
        if let Some((m, e)) = s.split_once('e') {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            return format!("{m}e{sign}{digits:0>2}");
        }
        return s;
    }
    format!("{f}")
}


/// Why `json.Unmarshal` of `data` into a `map[string]interface{}` fails, in Go's words; `None` when it succeeds.
///
/// Go's scanner stops at the first byte that cannot continue the value (`invalid character 'x' looking for
/// beginning of value`); a value cut short is `unexpected end of JSON input`; valid JSON that is not an object
/// cannot be stored in a map.
pub fn unmarshal_object_error(data: &[u8]) -> Option<String> {
    let mut s = Scanner { data, pos: 0 };
    s.skip_space();
    let first = s.peek();
    if let Err(e) = s.value().and_then(|()| {
        s.skip_space();
        match s.peek() {
            None => Ok(()),
            Some(c) => Err(invalid(c, "after top-level value")),
        }
    }) {
        return Some(e);
    }
    let kind = match first {
        Some(b'{') => return None,
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b't' | b'f') => "bool",
        Some(b'n') => return None,
        _ => "number",
    };
    Some(format!("json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"))
}

struct Scanner<'a> {
    data: &'a [u8],
    pos: usize,
}

/// `invalid character 'x' <context>`, with the character quoted as Go's `quoteChar` does.
fn invalid(c: u8, context: &str) -> String {
    let q = match c {
        b'\'' => "'\\''".to_owned(),
        b'"' => "'\"'".to_owned(),
        c if c.is_ascii_graphic() || c == b' ' => format!("'{}'", c as char),
        c => crate::go::fmt::quote(&(c as char).to_string()),
    };
    format!("invalid character {q} {context}")
}

const END: &str = "unexpected end of JSON input";

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn next(&mut self) -> Result<u8, String> {
        let c = self.peek().ok_or_else(|| END.to_owned())?;
        self.pos += 1;
        Ok(c)
    }

    fn value(&mut self) -> Result<(), String> {
        self.skip_space();
        match self.next()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            c @ (b't' | b'f' | b'n') => {
                let word: &[u8] = match c {
                    b't' => b"rue",
                    b'f' => b"alse",
                    _ => b"ull",
                };
                let literal = match c {
                    b't' => "true",
                    b'f' => "false",
                    _ => "null",
                };
                for expected in word {
                    let got = self.next()?;
                    if got != *expected {
                        return Err(invalid(got, &format!("in literal {literal} (expecting '{}')", *expected as char)));
                    }
                }
                Ok(())
            }
            c => Err(invalid(c, "looking for beginning of value")),
        }
    }

    fn object(&mut self) -> Result<(), String> {
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_space();
            match self.next()? {
                b'"' => self.string()?,
                c => return Err(invalid(c, "looking for beginning of object key string")),
            }
            self.skip_space();
            match self.next()? {
                b':' => {}
                c => return Err(invalid(c, "after object key")),
            }
            self.value()?;
            self.skip_space();
            match self.next()? {
                b',' => {}
                b'}' => return Ok(()),
                c => return Err(invalid(c, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<(), String> {
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value()?;
            self.skip_space();
            match self.next()? {
                b',' => {}
                b']' => return Ok(()),
                c => return Err(invalid(c, "after array element")),
            }
        }
    }

    fn string(&mut self) -> Result<(), String> {
        loop {
            match self.next()? {
                b'"' => return Ok(()),
                b'\\' => match self.next()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    b'u' => {
                        for _ in 0..4 {
                            let c = self.next()?;
                            if !c.is_ascii_hexdigit() {
                                return Err(invalid(c, "in \\u hexadecimal character escape"));
                            }
                        }
                    }
                    c => return Err(invalid(c, "in string escape code")),
                },
                c if c < 0x20 => return Err(invalid(c, "in string literal")),
                _ => {}
            }
        }
    }

    fn number(&mut self) -> Result<(), String> {
        let digits = |s: &mut Self| {
            while matches!(s.peek(), Some(b'0'..=b'9')) {
                s.pos += 1;
            }
        };
        let first = self.data[self.pos - 1];
        if first == b'-' {
            match self.next()? {
                b'0'..=b'9' => {}
                c => return Err(invalid(c, "in numeric literal")),
            }
        }
        if self.data[self.pos - 1] != b'0' {
            digits(self);
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            match self.next()? {
                b'0'..=b'9' => digits(self),
                c => return Err(invalid(c, "after decimal point in numeric literal")),
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            match self.next()? {
                b'0'..=b'9' => digits(self),
                c => return Err(invalid(c, "in exponent of numeric literal")),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmarshal_errors_are_gos() {
        assert_eq!(unmarshal_object_error(br#"{"auths":{}}"#), None);
        assert_eq!(unmarshal_object_error(b"{\"a\": 1"), Some("unexpected end of JSON input".to_owned()));
        assert_eq!(unmarshal_object_error(b"not json"), Some("invalid character 'o' in literal null (expecting 'u')".to_owned()));
        assert_eq!(unmarshal_object_error(b"{a: 1}"), Some("invalid character 'a' looking for beginning of object key string".to_owned()));
        assert_eq!(unmarshal_object_error(b"x"), Some("invalid character 'x' looking for beginning of value".to_owned()));
        assert_eq!(unmarshal_object_error(b"[1]"), Some("json: cannot unmarshal array into Go value of type map[string]interface {}".to_owned()));
        assert_eq!(unmarshal_object_error(b"{} x"), Some("invalid character 'x' after top-level value".to_owned()));
    }

    #[test]
    fn sorts_keys_and_escapes_html() {
        let v: Value = serde_json::from_str(r#"{"b":1,"a":"<x&y>"}"#).unwrap();
        assert_eq!(marshal(&v), r#"{"a":"\u003cx\u0026y\u003e","b":1}"#);
    }

    #[test]
    fn floats_like_go() {
        assert_eq!(format_float(1.0), "1");
        assert_eq!(format_float(0.5), "0.5");
        assert_eq!(format_float(1e21), "1e+21");
        assert_eq!(format_float(1e-7), "1e-07");
    }
}
