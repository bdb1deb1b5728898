//! Bytes to text as kubectl reads a file, and where lines break.
//!
//! kubectl reads every file through `unicode.BOMOverride(unicode.UTF8.NewDecoder())`
//! (`cli-runtime/pkg/resource/visitor.go:FileVisitor`): a UTF-8 byte order mark is dropped, a UTF-16 one (little
//! or big endian) switches to UTF-16, and anything else is UTF-8 in which each ill-formed sequence (its maximal
//! subpart, as the Unicode standard recommends) becomes U+FFFD. kubeplan reads the same text, and keeps where
//! each replacement stands so that it can say so at the right line and column.

/// An ill-formed sequence of the input, read as U+FFFD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidBytes {
    /// Where its U+FFFD stands in the decoded text (a byte offset).
    pub offset: usize,
    /// The bytes as they were in the file.
    pub bytes: Vec<u8>,
}

/// The text of a file and the ill-formed sequences it held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub invalid: Vec<InvalidBytes>,
}

/// Decode a file's bytes as kubectl does.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return decode_utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> Decoded {
    let mut out = Decoded { text: String::with_capacity(bytes.len()), invalid: Vec::new() };
    for chunk in bytes.utf8_chunks() {
        out.text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.invalid.push(InvalidBytes { offset: out.text.len(), bytes: chunk.invalid().to_vec() });
            out.text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    out
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Decoded {
    let pairs = bytes.chunks_exact(2);
    let odd = pairs.remainder();
    let mut out = Decoded { text: String::with_capacity(bytes.len() / 2), invalid: Vec::new() };
    for c in char::decode_utf16(pairs.map(|p| unit([p[0], p[1]]))) {
        match c {
            Ok(c) => out.text.push(c),
            Err(e) => {
                out.invalid.push(InvalidBytes { offset: out.text.len(), bytes: e.unpaired_surrogate().to_be_bytes().to_vec() });
                out.text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if !odd.is_empty() {
        out.invalid.push(InvalidBytes { offset: out.text.len(), bytes: odd.to_vec() });
        out.text.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

/// The byte offsets at which lines start: after `\n`, after `\r\n`, and after a `\r` alone, the three line
/// breaks of YAML, as the parser counts them (so that every renderer agrees with the parser's positions).
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            starts.push(i + 1);
        }
    }
    starts
}

/// The line breaks in `line` that [`line_starts`] counts beyond a final `\n`: the lone `\r`s.
pub fn lone_carriage_returns(line: &str) -> u32 {
    let b = line.as_bytes();
    b.iter().enumerate().filter(|(i, c)| **c == b'\r' && b.get(i + 1) != Some(&b'\n')).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_keeps_text_and_replaces_each_ill_formed_sequence() {
        let d = decode(b"a: \xff\nb: caf\xc3\xa9\nc: \xe2\x82\n");
        assert_eq!(d.text, "a: \u{fffd}\nb: café\nc: \u{fffd}\n");
        assert_eq!(d.invalid, [InvalidBytes { offset: 3, bytes: vec![0xff] }, InvalidBytes { offset: 19, bytes: vec![0xe2, 0x82] }]);
        assert_eq!(decode(b"\xef\xbb\xbfa: 1\n").text, "a: 1\n");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text = "kind: Pod # é😀\n";
        let le: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xfe, 0xff].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&le), Decoded { text: text.to_owned(), invalid: vec![] });
        assert_eq!(decode(&be).text, text);
        // A lone surrogate and an odd last byte.
        let d = decode(&[0xff, 0xfe, b'a', 0, 0x00, 0xd8, b'b', 0, 7]);
        assert_eq!(d.text, "a\u{fffd}b\u{fffd}");
        assert_eq!(d.invalid.len(), 2);
    }

    #[test]
    fn lines_break_at_lf_crlf_and_a_lone_cr() {
        assert_eq!(line_starts("a\nb\r\nc\rd"), [0, 2, 5, 7]);
        assert_eq!(lone_carriage_returns("x\ry\r\n"), 1);
    }
}
