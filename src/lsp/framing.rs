//! The base protocol's framing: `Content-Length: N\r\n\r\n` then N bytes of JSON. Headers other than
//! Content-Length (`Content-Type`) are read and ignored.

/// Frame a message body for sending.
pub fn encode(body: &str) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Collects bytes as they arrive and yields complete message bodies.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// How far the buffer was searched for the end of a header: each byte is searched once, not once per read.
    scanned: usize,
}

/// Messages larger than this are refused (and the stream cannot be trusted after that).
pub const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// A header is a line or two; bytes that go on this long without the blank line ending one are not a header.
pub const MAX_HEADER: usize = 64 * 1024;

impl Decoder {
    pub fn new() -> Decoder {
        Decoder::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete message, if one has arrived. An `Err` means the header is malformed; the bytes up
    /// to the end of that header are dropped so that reading can go on.
    pub fn next_message(&mut self) -> Option<Result<String, String>> {
        let from = self.scanned.saturating_sub(3);
        let Some(at) = self.buf[from..].windows(4).position(|w| w == b"\r\n\r\n") else {
            self.scanned = self.buf.len();
            if self.buf.len() > MAX_HEADER {
                let dropped = self.buf.len();
                self.buf.clear();
                self.scanned = 0;
                return Some(Err(format!("{dropped} bytes without the blank line that ends a header: dropped")));
            }
            return None;
        };
        let end = from + at;
        self.scanned = end;
        let header = String::from_utf8_lossy(&self.buf[..end.min(MAX_HEADER)]).into_owned();
        let shown: String = header.chars().take(80).collect();
        let length = header.split("\r\n").find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
        });
        let Some(length) = length.filter(|l| *l <= MAX_MESSAGE) else {
            self.buf.drain(..end + 4);
            self.scanned = 0;
            let more = if shown.len() < header.len() { " (cut)" } else { "" };
            return Some(Err(format!("invalid header {shown:?}{more}: expected Content-Length")));
        };
        let start = end + 4;
        if self.buf.len() < start + length {
            return None;
        }
        let body = String::from_utf8_lossy(&self.buf[start..start + length]).into_owned();
        self.buf.drain(..start + length);
        self.scanned = 0;
        Some(Ok(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_across_reads() {
        let mut d = Decoder::new();
        let mut bytes = encode("{\"a\":1}");
        bytes.extend(encode("{\"é\":2}"));
        let (a, b) = bytes.split_at(10);
        d.push(a);
        assert_eq!(d.next_message(), None);
        d.push(b);
        assert_eq!(d.next_message(), Some(Ok("{\"a\":1}".to_owned())));
        assert_eq!(d.next_message(), Some(Ok("{\"é\":2}".to_owned())));
        assert_eq!(d.next_message(), None);
        d.push(b"Content-Type: x\r\n\r\n");
        assert!(matches!(d.next_message(), Some(Err(_))));
    }

    #[test]
    fn garbage_without_a_header_end_is_dropped_and_reading_goes_on() {
        let mut d = Decoder::new();
        for _ in 0..(MAX_HEADER / 4096) {
            d.push(&[b'x'; 4096]);
            assert_eq!(d.next_message(), None);
        }
        d.push(b"x");
        let Some(Err(e)) = d.next_message() else { panic!("an error") };
        assert_eq!(e, format!("{} bytes without the blank line that ends a header: dropped", MAX_HEADER + 1));
        d.push(&encode("{}"));
        assert_eq!(d.next_message(), Some(Ok("{}".to_owned())));
        // A long header line is not echoed whole.
        d.push(format!("{}\r\n\r\n", "y".repeat(1000)).as_bytes());
        let Some(Err(e)) = d.next_message() else { panic!("an error") };
        assert!(e.len() < 200, "{e}");
    }
}
