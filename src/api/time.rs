//! `metav1.Time` and `metav1.Duration`.
//!
//! kubeplan has no clock: the cluster model stamps objects with a logical time (one second per created object,
//! from 2024-01-01T00:00:00Z, as the conformance oracle does), so times are kept as their RFC 3339 text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::OmitEmpty;
use crate::go::{GoValue, ToGo};

/// A point in time, or Go's zero time (serialised as `null`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(pub Option<String>);

impl Time {
    /// The logical time of the `n`-th second after the model's epoch.
    pub fn at_second(n: u64) -> Time {
        let (days, rem) = (n / 86_400, n % 86_400);
        // Days beyond January are rare in a plan; keep the arithmetic simple and exact within 2024.
        let (month, day) = month_day_2024(days);
        Time(Some(format!("2024-{:02}-{:02}T{:02}:{:02}:{:02}Z", month, day, rem / 3600, (rem / 60) % 60, rem % 60)))
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_none()
    }
}

fn month_day_2024(mut days: u64) -> (u64, u64) {
    const LEN: [u64; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (i, len) in LEN.iter().enumerate() {
        if days < *len {
            return (i as u64 + 1, days + 1);
        }
        days -= len;
    }
    (12, 31)
}

impl OmitEmpty for Time {
    fn omit(&self) -> bool {
        self.0.is_none()
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            None => s.serialize_none(),
            Some(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Time(Option::<String>::deserialize(d)?))
    }
}

impl ToGo for Time {
    fn to_go(&self) -> GoValue<'_> {
        // Templates carry the zero time; a set time never takes part in a hash.
        GoValue::Struct(
            "v1.Time",
            vec![(
                "Time",
                GoValue::Struct(
                    "time.Time",
                    vec![
                        ("wall", GoValue::Uint("uint64", 0)),
                        ("ext", GoValue::Int("int64", 0)),
                        ("loc", GoValue::Ptr("*time.Location", None)),
                    ],
                ),
            )],
        )
    }
}

/// `metav1.Duration`, serialised as Go's duration text (`"1m30s"`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Duration(pub String);

impl OmitEmpty for Duration {
    fn omit(&self) -> bool {
        false
    }
}

impl ToGo for Duration {
    fn to_go(&self) -> GoValue<'_> {
        GoValue::Struct("v1.Duration", vec![("Duration", GoValue::Int("time.Duration", 0))])
    }
}
