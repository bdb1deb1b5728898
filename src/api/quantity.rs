//! `resource.Quantity`, reproduced down to its internal representation.
//!
//! Go keeps a quantity as an `int64Amount{value, scale}` when it fits, else as an `inf.Dec`, plus the text it was
//! parsed from when that text is already canonical, plus its format. Scheduling only needs the value, but the
//! pod-template hash dumps these internals (`go-spew` on `v1.PodTemplateSpec`), so kubeplan mirrors them
//! (`apimachinery/pkg/api/resource/quantity.go:ParseQuantity`, `CanonicalizeBytes`, `RoundUp`). A hand-written
//! type rather than a crate such as `kube_quantity` for that reason: the hash needs Go's exact internal state.

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::OmitEmpty;
use crate::go::{GoValue, ToGo};

/// How a quantity prints: `DecimalExponent` (`12e6`), `BinarySI` (`12Mi`) or `DecimalSI` (`12M`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    DecimalExponent,
    BinarySI,
    #[default]
    DecimalSI,
}

impl Format {
    fn as_go(self) -> &'static str {
        match self {
            Format::DecimalExponent => "DecimalExponent",
            Format::BinarySI => "BinarySI",
            Format::DecimalSI => "DecimalSI",
        }
    }
}

/// Go's two representations of an amount: `value * 10^scale`, either in an int64 or as an arbitrary decimal
/// (`inf.Dec`, `unscaled * 10^-scale`; kubeplan holds the unscaled value in an i128).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Amount {
    Int64 { value: i64, scale: i32 },
    Dec { unscaled: i128, scale: i32 },
}

/// The smallest unit a quantity keeps: values are rounded up to 1n (`Nano` = -9).
const NANO: i32 = -9;

#[derive(Clone, Debug)]
pub struct Quantity {
    amount: Amount,
    /// Go's cached string `s`: set by `ParseQuantity` when the input was already canonical.
    cached: Option<String>,
    format: Format,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`
    FormatWrong,
    /// `unable to parse quantity's suffix`
    Suffix,
    /// `quantity has a numeric error`? Go names it ErrNumeric.
    Numeric,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::FormatWrong => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Suffix => "unable to parse quantity's suffix",
            QuantityError::Numeric => "unable to parse quantity's numeric value",
        })
    }
}

impl std::error::Error for QuantityError {}

impl Default for Quantity {
    fn default() -> Self {
        Quantity { amount: Amount::Int64 { value: 0, scale: 0 }, cached: None, format: Format::DecimalSI }
    }
}

impl PartialEq for Quantity {
    /// Semantic equality (`Quantity.Cmp == 0`), as `apiequality.Semantic` compares quantities.
    fn eq(&self, other: &Self) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

/// The pieces `parseQuantityString` cuts a quantity into.
struct Parts<'a> {
    positive: bool,
    value: &'a str,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    if pos < end {
        match b[0] {
            b'-' => {
                positive = false;
                pos += 1
            }
            b'+' => pos += 1,
            _ => {}
        }
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Parts { positive, value: "0", num: "0", denom: "", suffix: "" });
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[start..pos];
    if pos >= end {
        return Ok(Parts { positive, value: s, num, denom: "", suffix: "" });
    }
    if num.is_empty() {
        num = "0";
    }
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let ds = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[ds..pos];
        if pos >= end {
            return Ok(Parts { positive, value: s, num, denom, suffix: "" });
        }
    }
    let value = &s[..pos];
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::FormatWrong);
    }
    Ok(Parts { positive, value, num, denom, suffix: &s[suffix_start..] })
}

/// `quantitySuffixer.interpret`: base, exponent and format of a suffix.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ => {
            let rest = suffix.strip_prefix('e').or_else(|| suffix.strip_prefix('E'))?;
            let e: i64 = rest.parse().ok()?;
            Some((10, i32::try_from(e).ok()?, Format::DecimalExponent))
        }
    }
}

fn pow10(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

impl Quantity {
    /// `resource.ParseQuantity`.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        if s == "0" {
            return Ok(Quantity { cached: Some(s.to_owned()), ..Quantity::default() });
        }
        let p = split(s)?;
        let (base, exponent, format) = interpret(p.suffix).ok_or(QuantityError::Suffix)?;
        if let Some(q) = Self::parse_fast(s, &p, exponent, format) {
            return Ok(q);
        }
        Self::parse_dec(&p, base, exponent, format)
    }

    /// The int64 fast path of `ParseQuantity`, including its rule for caching canonical input text.
    fn parse_fast(s: &str, p: &Parts<'_>, exponent: i32, format: Format) -> Option<Quantity> {
        const MAX_INT64_FACTORS: i32 = 18;
        let (mut scale, precision, mantissa) = match format {
            Format::DecimalExponent | Format::DecimalSI => {
                (exponent, MAX_INT64_FACTORS - (p.num.len() + p.denom.len()) as i32, 1i64)
            }
            Format::BinarySI => {
                if exponent >= 0 && p.denom.is_empty() {
                    let prec = 15 - p.num.len() as i32 - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
                    (0, prec, 1i64 << exponent)
                } else {
                    (0, -1, 1)
                }
            }
        };
        if precision < 0 {
            return None;
        }
        scale -= p.denom.len() as i32;
        if scale < NANO {
            return None;
        }
        let shifted = format!("{}{}", p.num, p.denom);
        let value: i64 = shifted.parse().ok()?;
        let mut result = value.checked_mul(mantissa)?;
        if !p.positive {
            result = -result;
        }
        let amount = Amount::Int64 { value: result, scale };
        let canonical = match format {
            Format::BinarySI => exponent % 10 == 0 && (value & 0x07) != 0,
            _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
        };
        Some(Quantity { amount, cached: canonical.then(|| s.to_owned()), format })
    }

    /// The arbitrary-precision path: rounds up to 1n and clamps binary quantities as Go does.
    fn parse_dec(p: &Parts<'_>, base: u32, exponent: i32, mut format: Format) -> Result<Quantity, QuantityError> {
        let digits = format!("{}{}", p.num, p.denom);
        let mut unscaled: i128 = digits.parse().map_err(|_| QuantityError::Numeric)?;
        let mut scale = p.denom.len() as i32;
        if base == 10 {
            scale -= exponent;
        } else {
            unscaled = unscaled.checked_mul(1i128.checked_shl(exponent as u32).ok_or(QuantityError::Numeric)?)
                .ok_or(QuantityError::Numeric)?;
        }
        if unscaled != 0 && scale > -NANO {
            // Round up (away from zero on the magnitude) to nano precision.
            let drop = pow10((scale + NANO) as u32).ok_or(QuantityError::Numeric)?;
            let q = unscaled / drop;
            unscaled = if unscaled % drop != 0 { q + 1 } else { q };
            scale = -NANO;
        }
        if format == Format::BinarySI && dec_less_than_one(unscaled, scale) && unscaled > 0 {
            format = Format::DecimalSI;
        }
        if !p.positive {
            unscaled = -unscaled;
        }
        Ok(Quantity { amount: Amount::Dec { unscaled, scale }, cached: None, format })
    }

    /// A quantity of `value * 10^scale` in the given format, as `resource.NewScaledQuantity` builds it.
    pub fn new_scaled(value: i64, scale: i32, format: Format) -> Quantity {
        Quantity { amount: Amount::Int64 { value, scale }, cached: None, format }
    }

    pub fn from_milli(milli: i64, format: Format) -> Quantity {
        Self::new_scaled(milli, -3, format)
    }

    pub fn from_int(value: i64, format: Format) -> Quantity {
        Self::new_scaled(value, 0, format)
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// The exact value as `(unscaled, scale)` meaning `unscaled * 10^-scale` (inf.Dec convention).
    fn as_dec(&self) -> (i128, i32) {
        match self.amount {
            Amount::Int64 { value, scale } => (i128::from(value), -scale),
            Amount::Dec { unscaled, scale } => (unscaled, scale),
        }
    }

    /// `ceil(q / 10^scale)`: `ScaledValue`.
    pub fn scaled_value(&self, scale: i32) -> i64 {
        let (u, s) = self.as_dec();
        // value = u * 10^-s; want ceil(value / 10^scale) = ceil(u * 10^(-s-scale))
        let shift = -s - scale;
        let r = if shift >= 0 {
            pow10(shift as u32).and_then(|p| u.checked_mul(p)).unwrap_or(if u < 0 { i128::MIN } else { i128::MAX })
        } else {
            match pow10((-shift) as u32) {
                Some(d) => {
                    let q = u / d;
                    if u % d != 0 && u > 0 { q + 1 } else { q }
                }
                None => i128::from(u > 0),
            }
        };
        r.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// `MilliValue`: the value in thousandths, rounded up.
    pub fn milli_value(&self) -> i64 {
        self.scaled_value(-3)
    }

    /// `Value`: the value rounded up to an integer.
    pub fn value(&self) -> i64 {
        self.scaled_value(0)
    }

    pub fn is_zero(&self) -> bool {
        self.as_dec().0 == 0
    }

    pub fn sign(&self) -> i32 {
        self.as_dec().0.signum() as i32
    }

    /// `Quantity.Cmp`.
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        let (a, sa) = self.as_dec();
        let (b, sb) = other.as_dec();
        let s = sa.max(sb);
        let widen = |u: i128, from: i32| pow10((s - from) as u32).and_then(|p| u.checked_mul(p));
        match (widen(a, sa), widen(b, sb)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => (a as f64 * 10f64.powi(-sa)).partial_cmp(&(b as f64 * 10f64.powi(-sb))).unwrap_or(Ordering::Equal),
        }
    }

    /// `RoundUp(scale)`: rounds the value up to a multiple of `10^scale`, dropping the cached text only when the
    /// value changes representation (which is why a template's `100m` keeps its text through defaulting).
    pub fn round_up(&mut self, scale: i32) -> bool {
        match self.amount {
            Amount::Dec { unscaled, scale: s } => {
                self.cached = None;
                let (u, exact) = dec_as_scale(unscaled, s, -scale);
                self.amount = Amount::Dec { unscaled: u, scale: -scale };
                exact
            }
            Amount::Int64 { value, scale: s } => {
                if s >= scale {
                    return true;
                }
                self.cached = None;
                let d = 10i64.checked_pow((scale - s) as u32);
                let (v, exact) = match d {
                    Some(d) => {
                        let q = value / d;
                        let rem = value % d;
                        (if rem != 0 && value > 0 { q + 1 } else { q }, rem == 0)
                    }
                    None => (i64::from(value > 0), value == 0),
                };
                self.amount = Amount::Int64 { value: v, scale };
                exact
            }
        }
    }

    /// `String()`: the cached text, else the canonical form.
    pub fn to_canonical(&self) -> String {
        if let Some(s) = &self.cached {
            return s.clone();
        }
        self.canonicalize()
    }

    /// `CanonicalizeBytes`.
    fn canonicalize(&self) -> String {
        if self.is_zero() {
            return "0".to_owned();
        }
        let mut format = self.format;
        let mut rounded = None;
        if format == Format::BinarySI {
            let v = self.as_dec();
            if cmp_dec(v, (-1024, 0)) == Ordering::Greater && cmp_dec(v, (1024, 0)) == Ordering::Less {
                format = Format::DecimalSI;
            } else {
                let (u, exact) = dec_as_scale(v.0, v.1, 0);
                if exact {
                    rounded = Some(u);
                } else {
                    format = Format::DecimalSI;
                }
            }
        }
        match (format, rounded) {
            (Format::BinarySI, Some(int)) => {
                let (mut amount, mut exp) = (int, 0);
                while amount != 0 && amount % 1024 == 0 {
                    amount /= 1024;
                    exp += 1;
                }
                let suffix = match exp {
                    0 => "",
                    1 => "Ki",
                    2 => "Mi",
                    3 => "Gi",
                    4 => "Ti",
                    5 => "Pi",
                    _ => "Ei",
                };
                format!("{amount}{suffix}")
            }
            _ => {
                let (number, exponent) = self.canonical_decimal();
                let suffix = decimal_suffix(exponent, format);
                format!("{number}{suffix}")
            }
        }
    }

    /// `AsCanonicalBytes`: digits with trailing zeros folded into an exponent that is a multiple of 3.
    fn canonical_decimal(&self) -> (i128, i32) {
        let (u, s) = self.as_dec();
        let (mut amount, mut exponent) = (u, -s);
        while amount != 0 && amount % 10 == 0 {
            amount /= 10;
            exponent += 1;
        }
        match exponent.rem_euclid(3) {
            1 => {
                amount *= 10;
                exponent -= 1;
            }
            2 => {
                amount *= 100;
                exponent -= 2;
            }
            _ => {}
        }
        (amount, exponent)
    }

    /// The Go-internal view for go-spew: `resource.Quantity{i, d, s, Format}`.
    fn go_fields(&self) -> (i64, i32, bool) {
        match self.amount {
            Amount::Int64 { value, scale } => (value, scale, false),
            Amount::Dec { .. } => (0, 0, true),
        }
    }
}

fn dec_less_than_one(unscaled: i128, scale: i32) -> bool {
    cmp_dec((unscaled, scale), (1, 0)) == Ordering::Less
}

fn cmp_dec(a: (i128, i32), b: (i128, i32)) -> Ordering {
    let s = a.1.max(b.1);
    let w = |u: i128, from: i32| pow10((s - from) as u32).and_then(|p| u.checked_mul(p)).unwrap_or(u);
    w(a.0, a.1).cmp(&w(b.0, b.1))
}

/// Rescale `unscaled * 10^-scale` to `target` decimal places, rounding up; reports whether it was exact.
fn dec_as_scale(unscaled: i128, scale: i32, target: i32) -> (i128, bool) {
    if target >= scale {
        (unscaled * pow10((target - scale) as u32).unwrap_or(1), true)
    } else {
        let d = pow10((scale - target) as u32).unwrap_or(i128::MAX);
        let q = unscaled / d;
        let rem = unscaled % d;
        (if rem != 0 && unscaled > 0 { q + 1 } else { q }, rem == 0)
    }
}

fn decimal_suffix(exponent: i32, format: Format) -> String {
    if format == Format::DecimalExponent {
        return if exponent == 0 { String::new() } else { format!("e{exponent}") };
    }
    match exponent {
        -9 => "n".into(),
        -6 => "u".into(),
        -3 => "m".into(),
        0 => String::new(),
        3 => "k".into(),
        6 => "M".into(),
        9 => "G".into(),
        12 => "T".into(),
        15 => "P".into(),
        18 => "E".into(),
        e => format!("e{e}"),
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical())
    }
}

impl OmitEmpty for Quantity {
    fn omit(&self) -> bool {
        false
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_canonical())
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a quantity such as \"100m\" or \"1Gi\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                Quantity::parse(v.trim()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
                self.visit_str(&crate::go::json::format_float(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl ToGo for Quantity {
    fn to_go(&self) -> GoValue<'_> {
        let (value, scale, is_dec) = self.go_fields();
        let dec = if is_dec {
            // An inf.Dec is a big.Int and a scale; go-spew would print its words. Quantities this large or this
            // precise do not occur in pod templates that pass validation.
            GoValue::Ptr("*inf.Dec", Some(Box::new(GoValue::Struct("inf.Dec", vec![]))))
        } else {
            GoValue::Ptr("*inf.Dec", None)
        };
        GoValue::Struct(
            "resource.Quantity",
            vec![
                (
                    "i",
                    GoValue::Struct(
                        "resource.int64Amount",
                        vec![("value", GoValue::Int("int64", value)), ("scale", GoValue::Int("resource.Scale", i64::from(scale)))],
                    ),
                ),
                ("d", GoValue::Struct("resource.infDecAmount", vec![("Dec", dec)])),
                ("s", GoValue::Str("string", self.cached.as_deref().unwrap_or("").into())),
                ("Format", GoValue::Str("resource.Format", self.format.as_go().into())),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).unwrap().canonicalize()
    }

    #[test]
    fn canonical_forms_follow_go() {
        assert_eq!(canon("1000m"), "1");
        assert_eq!(canon("100m"), "100m");
        assert_eq!(canon("0.5"), "500m");
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("1.5Gi"), "1536Mi");
        assert_eq!(canon("1000"), "1k");
        assert_eq!(canon("12e6"), "12e6");
        assert_eq!(canon("128974848"), "128974848");
        assert_eq!(canon("500Mi"), "500Mi");
    }

    #[test]
    fn values_round_up() {
        let q = Quantity::parse("100m").unwrap();
        assert_eq!(q.milli_value(), 100);
        assert_eq!(q.value(), 1);
        assert_eq!(Quantity::parse("1Gi").unwrap().value(), 1 << 30);
        assert_eq!(Quantity::parse("0.0001").unwrap().milli_value(), 1);
    }

    #[test]
    fn parse_keeps_canonical_input_text() {
        assert_eq!(Quantity::parse("100m").unwrap().cached.as_deref(), Some("100m"));
        assert_eq!(Quantity::parse("1000m").unwrap().cached, None);
        assert_eq!(Quantity::parse("50Mi").unwrap().cached.as_deref(), Some("50Mi"));
    }

    #[test]
    fn rejects_malformed() {
        assert!(matches!(Quantity::parse("abc"), Err(QuantityError::FormatWrong)));
        assert!(Quantity::parse("1Qi").is_err());
    }
}
