//! `[]byte`: Go's `encoding/json` writes and reads it as standard base64 text (Secret `data`, ConfigMap
//! `binaryData`, a webhook's `caBundle`).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::OmitEmpty;

/// Bytes that travel as base64 in JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Bytes {
    /// Standard base64 with padding (`base64.StdEncoding.EncodeToString`).
    pub fn to_base64(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(3) * 4);
        for chunk in self.0.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Standard base64 as Go's `base64.StdEncoding.Decode` reads it: line breaks (`\r`, `\n`) are skipped,
    /// padding is required, and the error names the offset of the first byte it cannot take
    /// (`illegal base64 data at input byte N`).
    pub fn from_base64(text: &str) -> Result<Bytes, String> {
        let src = text.as_bytes();
        let corrupt = |at: usize| format!("illegal base64 data at input byte {at}");
        let mut out = Vec::with_capacity(src.len() / 4 * 3);
        let mut i = 0;
        loop {
            // One quantum of up to four symbols.
            let mut quantum = [0u8; 4];
            let mut j = 0;
            while j < 4 {
                let Some(&c) = src.get(i) else {
                    return match j {
                        0 => Ok(Bytes(out)),
                        _ => Err(corrupt(i - j)),
                    };
                };
                i += 1;
                if c == b'\r' || c == b'\n' {
                    continue;
                }
                if c == b'=' {
                    // Padding ends the data: `xx==` or `xxx=`, then only line breaks.
                    match j {
                        0 | 1 => return Err(corrupt(i - 1)),
                        2 => {
                            while src.get(i).is_some_and(|c| *c == b'\r' || *c == b'\n') {
                                i += 1;
                            }
                            if src.get(i) != Some(&b'=') {
                                return Err(corrupt(i.min(src.len())));
                            }
                            i += 1;
                        }
                        _ => {}
                    }
                    while src.get(i).is_some_and(|c| *c == b'\r' || *c == b'\n') {
                        i += 1;
                    }
                    if i < src.len() {
                        return Err(corrupt(i));
                    }
                    let n = (u32::from(quantum[0]) << 18) | (u32::from(quantum[1]) << 12) | (u32::from(quantum[2]) << 6);
                    out.push((n >> 16) as u8);
                    if j == 3 {
                        out.push((n >> 8) as u8);
                    }
                    return Ok(Bytes(out));
                }
                let Some(v) = ALPHABET.iter().position(|a| *a == c) else { return Err(corrupt(i - 1)) };
                quantum[j] = v as u8;
                j += 1;
            }
            let n = (u32::from(quantum[0]) << 18)
                | (u32::from(quantum[1]) << 12)
                | (u32::from(quantum[2]) << 6)
                | u32::from(quantum[3]);
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        }
    }
}

impl OmitEmpty for Bytes {
    fn omit(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("base64 text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bytes, E> {
                Bytes::from_base64(v).map_err(E::custom)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Bytes, E> {
                Ok(Bytes::default())
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_with_padding() {
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let b = Bytes(text.as_bytes().to_vec());
            assert_eq!(Bytes::from_base64(&b.to_base64()).unwrap(), b);
        }
        assert_eq!(Bytes(b"foobar".to_vec()).to_base64(), "Zm9vYmFy");
        assert_eq!(Bytes(b"fo".to_vec()).to_base64(), "Zm8=");
        assert_eq!(Bytes::from_base64("Zm9v\nYmFy\n").unwrap().0, b"foobar");
    }

    #[test]
    fn bad_base64_names_the_offset_go_names() {
        assert_eq!(Bytes::from_base64("Zm9v!").unwrap_err(), "illegal base64 data at input byte 4");
        // Go's StdEncoding wants padding: a short last quantum is corrupt from its start.
        assert_eq!(Bytes::from_base64("Zm9vYm").unwrap_err(), "illegal base64 data at input byte 4");
        assert_eq!(Bytes::from_base64("Z===").unwrap_err(), "illegal base64 data at input byte 1");
        assert_eq!(Bytes::from_base64("Zm8=Zm8=").unwrap_err(), "illegal base64 data at input byte 4");
    }
}
