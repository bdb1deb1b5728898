//! `intstr.IntOrString`: a field that holds either an int32 or a string such as `"25%"`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::OmitEmpty;
use crate::go::{GoValue, ToGo};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntOrString {
    Int(i32),
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl IntOrString {
    /// `intstr.GetScaledValueFromIntOrPercent`: an int is used as is; `"N%"` is `N * total / 100`, rounded up or
    /// down as the caller asks. Anything else is an error with the message Kubernetes gives.
    pub fn scaled_value(&self, total: i32, round_up: bool) -> Result<i32, String> {
        match self {
            IntOrString::Int(i) => Ok(*i),
            IntOrString::String(s) => {
                let Some(num) = s.strip_suffix('%') else {
                    return Err(format!("invalid value for IntOrString: invalid type: string is not a percentage"));
                };
                let v: i64 = num
                    .parse()
                    .map_err(|_| format!("invalid value for IntOrString: invalid value {:?}: strconv.Atoi: parsing {:?}: invalid syntax", s, num))?;
                let scaled = v as f64 * f64::from(total) / 100.0;
                Ok(if round_up { scaled.ceil() as i32 } else { scaled.floor() as i32 })
            }
        }
    }

    pub fn is_percent(&self) -> bool {
        matches!(self, IntOrString::String(s) if s.ends_with('%'))
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::String(s) => f.write_str(s),
        }
    }
}

impl OmitEmpty for IntOrString {
    fn omit(&self) -> bool {
        false
    }
}

impl Serialize for IntOrString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(i) => s.serialize_i32(*i),
            IntOrString::String(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IntOrString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an int32 or a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IntOrString, E> {
                i32::try_from(v).map(IntOrString::Int).map_err(|_| E::custom("value out of range for int32"))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IntOrString, E> {
                i32::try_from(v).map(IntOrString::Int).map_err(|_| E::custom("value out of range for int32"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<IntOrString, E> {
                if v.fract() == 0.0 && v.abs() <= f64::from(i32::MAX) {
                    Ok(IntOrString::Int(v as i32))
                } else {
                    Err(E::custom(format!("cannot unmarshal number {v} into Go value of type int32")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IntOrString, E> {
                Ok(IntOrString::String(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

impl ToGo for IntOrString {
    fn to_go(&self) -> GoValue<'_> {
        let (ty, i, s) = match self {
            IntOrString::Int(i) => (0, *i, ""),
            IntOrString::String(s) => (1, 0, s.as_str()),
        };
        GoValue::Struct(
            "intstr.IntOrString",
            vec![
                ("Type", GoValue::Int("intstr.Type", ty)),
                ("IntVal", GoValue::Int("int32", i64::from(i))),
                ("StrVal", GoValue::Str("string", s.into())),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::spew::sprint;

    #[test]
    fn go_view_is_the_tagged_struct() {
        assert_eq!(
            sprint(&IntOrString::Int(8080).to_go()),
            "(intstr.IntOrString){Type:(intstr.Type)0 IntVal:(int32)8080 StrVal:(string)}"
        );
        assert_eq!(
            sprint(&IntOrString::String("http".into()).to_go()),
            "(intstr.IntOrString){Type:(intstr.Type)1 IntVal:(int32)0 StrVal:(string)http}"
        );
    }
}
