//! The Secret strategy's warning (`warningsForSecret`): a `kubernetes.io/tls` Secret whose `tls.crt` and
//! `tls.key` do not make a key pair, in the words of Go's `tls.X509KeyPair`.
//!
//! Modelled: the PEM stage of `X509KeyPair` (no PEM block, no `CERTIFICATE` block, no private key block,
//! inputs switched), with PEM blocks found as Go's `encoding/pem.Decode` finds them. Not modelled: parsing the
//! certificate's DER and the key, and checking that they match: a cluster warns about a malformed certificate or
//! a key that is not the certificate's, kubeplan does not.

use crate::api::core_v1::Secret;
use crate::api::Bytes;

pub fn warnings(secret: &Secret) -> Vec<String> {
    if secret.r#type != "kubernetes.io/tls" {
        return Vec::new();
    }
    let data = |key: &str| secret.data.get(key).map_or(&[][..], |b: &Bytes| &b.0[..]);
    key_pair_problem(data("tls.crt"), data("tls.key")).into_iter().collect()
}

/// The PEM stage of `tls.X509KeyPair`.
fn key_pair_problem(cert: &[u8], key: &[u8]) -> Option<String> {
    let types: Vec<String> = blocks(cert).collect();
    if !types.iter().any(|t| t == "CERTIFICATE") {
        return Some(match types.as_slice() {
            [] => "tls: failed to find any PEM data in certificate input".to_owned(),
            [only] if only.ends_with("PRIVATE KEY") => "tls: failed to find certificate PEM data in certificate \
                                                        input, but did find a private key; PEM inputs may have been switched"
                .to_owned(),
            skipped => format!(
                "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of \
                 the following types: [{}]",
                skipped.join(" ")
            ),
        });
    }
    let mut skipped = Vec::new();
    for t in blocks(key) {
        if t == "PRIVATE KEY" || t.ends_with(" PRIVATE KEY") {
            return None;
        }
        skipped.push(t);
    }
    Some(match skipped.as_slice() {
        [] => "tls: failed to find any PEM data in key input".to_owned(),
        [only] if only == "CERTIFICATE" => {
            "tls: found a certificate rather than a key in the PEM for the private key".to_owned()
        }
        _ => format!(
            "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM \
             blocks of the following types: [{}]",
            skipped.join(" ")
        ),
    })
}

/// The types of the PEM blocks in `data`, in order, as repeated calls of `pem.Decode` find them.
fn blocks(data: &[u8]) -> impl Iterator<Item = String> + '_ {
    let mut rest = data;
    std::iter::from_fn(move || {
        let (block_type, after) = decode(rest)?;
        rest = after;
        Some(block_type)
    })
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// `pem.Decode`: the type of the first well-formed block and the input after it. A `-----BEGIN` line counts
/// only at the start of the input or of a line; a block needs its headers (if any) closed, a matching
/// `-----END TYPE-----` line with nothing else on it, and base64 that decodes.
fn decode(data: &[u8]) -> Option<(String, &[u8])> {
    let mut rest = data;
    loop {
        rest = if let Some(after) = rest.strip_prefix(BEGIN) {
            after
        } else {
            let at = find(rest, b"\n-----BEGIN ")?;
            &rest[at + 1 + BEGIN.len()..]
        };
        let (type_line, after_type) = line(rest);
        rest = after_type;
        let Some(block_type) = type_line.strip_suffix(DASHES) else { continue };
        let (has_headers, body_start) = headers(rest)?;
        rest = &rest[body_start..];
        // Without headers the END line may follow at once, with no newline before it.
        let (end_at, trailer_at) = if !has_headers && rest.starts_with(END) {
            (0, END.len())
        } else {
            match find(rest, b"\n-----END ") {
                Some(i) => (i, i + 1 + END.len()),
                None => continue,
            }
        };
        let trailer = &rest[trailer_at..];
        let trailer_len = block_type.len() + DASHES.len();
        if trailer.len() < trailer_len {
            continue;
        }
        let (end_line, rest_of_end_line) = trailer.split_at(trailer_len);
        if !end_line.starts_with(block_type) || !end_line.ends_with(DASHES) || !line(rest_of_end_line).0.is_empty() {
            continue;
        }
        let body: String = rest[..end_at].iter().filter(|&&b| b != b' ' && b != b'\t').map(|&b| b as char).collect();
        if Bytes::from_base64(&body).is_err() {
            continue;
        }
        let (_, rest_after) = line(&rest[end_at + END.len()..]);
        return Some((String::from_utf8_lossy(block_type).into_owned(), rest_after));
    }
}

/// The header lines (`Key: value`) at the start of `data`: whether there are any, and where the body starts.
/// `None` when the input ends inside them, which leaves no block at all.
fn headers(data: &[u8]) -> Option<(bool, usize)> {
    let mut at = 0;
    let mut any = false;
    loop {
        if at >= data.len() {
            return None;
        }
        let (l, next) = line(&data[at..]);
        if !l.contains(&b':') {
            return Some((any, at));
        }
        any = true;
        at = data.len() - next.len();
    }
}

/// `getLine`: the line up to the first newline without trailing spaces, tabs and carriage returns, and the
/// input after that newline.
fn line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut l, rest) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[data.len()..]),
    };
    while let [head @ .., b' ' | b'\t' | b'\r'] = l {
        l = head;
    }
    (l, rest)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
