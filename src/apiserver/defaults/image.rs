//! Container image references, as far as defaulting needs them: the tag that decides `imagePullPolicy`.
//!
//! Mirrors `pkg/util/parsers.ParseImageName`, which normalises the reference with
//! `github.com/distribution/reference.ParseNormalizedNamed` (Docker Hub domain, `library/` prefix) and reports the
//! tag, falling back to `latest` when the reference has neither tag nor digest. A reference that does not parse
//! yields an error, and defaulting then sees an empty tag: such images get `IfNotPresent`.

/// The longest repository name (domain and path) a reference may carry (`NameTotalLengthMax`).
const NAME_TOTAL_LENGTH_MAX: usize = 255;
/// Docker Hub, the domain of references that name none (`defaultDomain`).
const DEFAULT_DOMAIN: &str = "docker.io";
/// The old spelling of Docker Hub's domain, normalised to [`DEFAULT_DOMAIN`] (`legacyDefaultDomain`).
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// The namespace of Docker Hub's official images (`officialRepoPrefix`).
const OFFICIAL_REPO_PREFIX: &str = "library/";

/// The parts of a parsed image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageName {
    /// The normalised repository, e.g. `docker.io/library/busybox`.
    pub repository: String,
    /// The tag; `latest` when the reference has neither tag nor digest.
    pub tag: String,
    /// The digest, e.g. `sha256:…`, or empty.
    pub digest: String,
}

/// `parsers.ParseImageName`: the normalised repository, tag and digest of `image`, or `None` where Go returns an
/// error (the reference is malformed).
pub fn parse_image_name(image: &str) -> Option<ImageName> {
    let (repository, tag, digest) = parse_normalized_named(image)?;
    let tag = if tag.is_empty() && digest.is_empty() { "latest".to_owned() } else { tag };
    Some(ImageName { repository, tag, digest })
}

/// The tag `SetDefaults_Container` looks at: the parsed tag, or empty when the reference does not parse.
pub fn image_tag(image: &str) -> String {
    parse_image_name(image).map(|n| n.tag).unwrap_or_default()
}

/// `reference.ParseNormalizedNamed`: `(name, tag, digest)` of a reference as Docker would normalise it.
fn parse_normalized_named(s: &str) -> Option<(String, String, String)> {
    // A bare 64-character hex string is an image ID, not a name (`anchoredIdentifierRegexp`).
    if s.len() == 64 && s.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
        return None;
    }
    let (domain, remainder) = split_docker_domain(s);
    let remote_name = remainder.split(':').next().unwrap_or("");
    if remote_name.to_lowercase() != remote_name {
        return None;
    }
    parse_reference(&format!("{domain}/{remainder}"))
}

/// `splitDockerDomain`: the registry domain of a reference (Docker Hub unless the first path component looks like
/// a host) and the rest, with `library/` prepended for Docker Hub's one-component names.
fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.find('/') {
        Some(i) => {
            let first = &name[..i];
            let looks_like_host = first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first;
            if looks_like_host {
                (first.to_owned(), name[i + 1..].to_owned())
            } else {
                (DEFAULT_DOMAIN.to_owned(), name.to_owned())
            }
        }
        None => (DEFAULT_DOMAIN.to_owned(), name.to_owned()),
    };
    if domain == LEGACY_DEFAULT_DOMAIN {
        domain = DEFAULT_DOMAIN.to_owned();
    }
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        remainder = format!("{OFFICIAL_REPO_PREFIX}{remainder}");
    }
    (domain, remainder)
}

/// `reference.Parse` on a full reference `name[:tag][@digest]`: the three parts if the grammar
/// (`ReferenceRegexp`) matches and the digest validates.
fn parse_reference(s: &str) -> Option<(String, String, String)> {
    let (name_and_tag, digest) = match s.split_once('@') {
        Some((left, right)) => (left, Some(right)),
        None => (s, None),
    };
    // A colon after the last slash separates the tag; colons before it belong to the domain's port.
    let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_and_tag[last_slash..].find(':') {
        Some(i) => (&name_and_tag[..last_slash + i], Some(&name_and_tag[last_slash + i + 1..])),
        None => (name_and_tag, None),
    };
    if !is_name(name) || name.len() > NAME_TOTAL_LENGTH_MAX {
        return None;
    }
    if let Some(t) = tag {
        if !is_tag(t) {
            return None;
        }
    }
    if let Some(d) = digest {
        if !is_digest(d) || !digest_validates(d) {
            return None;
        }
    }
    Some((name.to_owned(), tag.unwrap_or("").to_owned(), digest.unwrap_or("").to_owned()))
}

/// `NameRegexp`: an optional `domain[:port]/` followed by slash-separated path components.
fn is_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    let (first, rest) = (parts[0], &parts[1..]);
    let first_ok = is_path_component(first) || (!rest.is_empty() && is_domain_and_port(first));
    first_ok && rest.iter().all(|p| is_path_component(p))
}

/// `pathComponent`: lowercase alphanumeric runs joined by `.`, `_`, `__` or any number of `-`.
fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &s[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|c| c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `domainAndPort`: a host name or a bracketed IPv6 address, optionally followed by `:port`.
fn is_domain_and_port(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some(end) = rest.find(']') else { return false };
        let addr = &rest[..end];
        if addr.is_empty() || !addr.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
            return false;
        }
        (None, &rest[end + 1..])
    } else {
        match s.find(':') {
            Some(i) => (Some(&s[..i]), &s[i..]),
            None => (Some(s), ""),
        }
    };
    if let Some(h) = host {
        if !h.split('.').all(is_domain_name_component) {
            return false;
        }
    }
    match port {
        "" => true,
        p => p.strip_prefix(':').is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())),
    }
}

/// `domainNameComponent`: letters, digits and inner hyphens.
fn is_domain_name_component(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// `tag`: a word character, then up to 127 word characters, dots and hyphens.
fn is_tag(s: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = s.as_bytes();
    !b.is_empty() && b.len() <= 128 && word(b[0]) && b[1..].iter().all(|c| word(*c) || *c == b'.' || *c == b'-')
}

/// `digestPat` of the reference grammar: `algorithm:hex` with at least 32 hex digits.
fn is_digest(s: &str) -> bool {
    let Some((alg, hex)) = s.split_once(':') else { return false };
    let alg_ok = alg.split(['-', '_', '+', '.']).all(|c| {
        let b = c.as_bytes();
        !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(u8::is_ascii_alphanumeric)
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

/// `digest.Digest.Validate` for the algorithms the kubelet's parser registers (sha256, sha384, sha512): the
/// encoded part must be lowercase hex of the algorithm's length. Other algorithms are unsupported: an error.
fn digest_validates(s: &str) -> bool {
    let Some((alg, hex)) = s.split_once(':') else { return false };
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|c| matches!(c, b'a'..=b'f' | b'0'..=b'9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> String {
        image_tag(s)
    }

    #[test]
    fn tags_and_the_latest_default() {
        assert_eq!(tag("busybox"), "latest");
        assert_eq!(tag("busybox:1.36"), "1.36");
        assert_eq!(tag("busybox:latest"), "latest");
        assert_eq!(tag("registry.k8s.io/pause:3.9"), "3.9");
        assert_eq!(tag("localhost:5000/app"), "latest");
        assert_eq!(tag("localhost:5000/app:v1"), "v1");
        assert_eq!(tag("[::1]:5000/app:v1"), "v1");
        let sha = "a".repeat(64);
        assert_eq!(tag(&format!("busybox@sha256:{sha}")), "");
        assert_eq!(tag(&format!("busybox:latest@sha256:{sha}")), "latest");
    }

    #[test]
    fn normalisation() {
        let n = parse_image_name("busybox").unwrap();
        assert_eq!(n.repository, "docker.io/library/busybox");
        let n = parse_image_name("index.docker.io/foo/bar:1").unwrap();
        assert_eq!(n.repository, "docker.io/foo/bar");
        let n = parse_image_name("quay.io/a/b").unwrap();
        assert_eq!(n.repository, "quay.io/a/b");
    }

    #[test]
    fn malformed_references_have_no_tag() {
        assert_eq!(tag(""), "");
        assert_eq!(tag("BusyBox"), "");
        assert_eq!(tag("busybox:"), "");
        assert_eq!(tag("busybox::1"), "");
        assert_eq!(tag("-busybox"), "");
        assert_eq!(tag(&"a".repeat(64)), "");
        assert_eq!(tag("busybox@sha256:abc"), "");
        assert_eq!(tag(&format!("busybox@md5:{}", "a".repeat(32))), "");
        assert_eq!(tag(&format!("busybox@sha256:{}", "A".repeat(64))), "");
        assert_eq!(tag(&format!("x/{}", "a".repeat(260))), "");
    }
}
