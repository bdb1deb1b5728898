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

/// The pieces `parseQuantityString` cuts a quantity into: sign, digits before and after the point, suffix.
struct Parts<'a> {
    positive: bool,
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
        return Ok(Parts { positive, num: "0", denom: "", suffix: "" });
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[start..pos];
    if pos >= end {
        return Ok(Parts { positive, num, denom: "", suffix: "" });
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
            return Ok(Parts { positive, num, denom, suffix: "" });
        }
    }
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
    Ok(Parts { positive, num, denom, suffix: &s[suffix_start..] })
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
        _ if suffix.len() > 1 => {
            let rest = suffix.strip_prefix('e').or_else(|| suffix.strip_prefix('E'))?;
            let e: i64 = rest.parse().ok()?;
            // Go converts the parsed int64 with int32(...), wrapping.
            Some((10, e as i32, Format::DecimalExponent))
        }
        _ => None,
    }
}

fn pow10(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

/// `maxAllowed`: binary quantities are capped at the largest int64.
const MAX_ALLOWED: i128 = i64::MAX as i128;

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

    /// The int64 fast path of `ParseQuantity`, including its rule for keeping the input text: decimal input is
    /// kept when its scale is a multiple of 3, its digits do not end in `000` and do not start with `0`; binary
    /// input when the suffix is a whole power of 1024 and the number is not a multiple of 8.
    fn parse_fast(s: &str, p: &Parts<'_>, exponent: i32, format: Format) -> Option<Quantity> {
        const MAX_INT64_FACTORS: i32 = 18;
        let (mut scale, precision, mantissa) = match format {
            Format::DecimalExponent | Format::DecimalSI => {
                (exponent, MAX_INT64_FACTORS - (p.num.len() + p.denom.len()) as i32, 1i64)
            }
            Format::BinarySI => {
                if exponent >= 0 && p.denom.is_empty() {
                    let prec = 15 - p.num.len() as i32 - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
                    (0, prec, 1i64.checked_shl(exponent as u32).unwrap_or(0))
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

    /// The arbitrary-precision path: a nonzero amount is rescaled to exactly nine decimal places (rounding up),
    /// binary amounts are capped at the largest int64, and a binary amount between 0 and 1 becomes decimal.
    fn parse_dec(p: &Parts<'_>, base: u32, exponent: i32, mut format: Format) -> Result<Quantity, QuantityError> {
        let digits = format!("{}{}", p.num, p.denom);
        let mut unscaled: i128 = digits.parse().map_err(|_| QuantityError::Numeric)?;
        let mut scale = p.denom.len() as i32;
        if base == 10 {
            scale -= exponent;
        } else {
            let factor = 1i128.checked_shl(exponent as u32).ok_or(QuantityError::Numeric)?;
            unscaled = unscaled.checked_mul(factor).ok_or(QuantityError::Numeric)?;
        }
        if unscaled != 0 {
            unscaled = dec_round_up(unscaled, scale, -NANO).0;
            scale = -NANO;
        }
        if format == Format::BinarySI && cmp_dec((unscaled, scale), (MAX_ALLOWED, 0)) == Ordering::Greater {
            (unscaled, scale) = (MAX_ALLOWED, 0);
        }
        if format == Format::BinarySI && unscaled > 0 && cmp_dec((unscaled, scale), (1, 0)) == Ordering::Less {
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

    /// Whether Go would hold this quantity as an `inf.Dec` rather than an `int64Amount`.
    pub fn is_dec(&self) -> bool {
        matches!(self.amount, Amount::Dec { .. })
    }

    /// Go's cached string `s`, if set.
    pub fn cached_string(&self) -> Option<&str> {
        self.cached.as_deref()
    }

    /// The quantity as a controller sees it after the API server stored it and an informer decoded it again: JSON
    /// and protobuf both write `String()` and read it back with `ParseQuantity`, so the internal form is that of
    /// the canonical text.
    pub fn round_tripped(&self) -> Quantity {
        Quantity::parse(&self.to_canonical()).unwrap_or_else(|_| self.clone())
    }

    /// The exact value as `(unscaled, scale)` meaning `unscaled * 10^-scale` (inf.Dec convention).
    fn as_dec(&self) -> (i128, i32) {
        match self.amount {
            Amount::Int64 { value, scale } => (i128::from(value), -scale),
            Amount::Dec { unscaled, scale } => (unscaled, scale),
        }
    }

    /// `ceil(q / 10^scale)` exactly, saturating at the bounds of an i128: for sums Go keeps in a `Quantity`
    /// (a pod's requests) before it takes their value.
    pub fn ceil_scaled(&self, scale: i32) -> i128 {
        let (u, s) = self.as_dec();
        let shift = -i64::from(s) - i64::from(scale);
        if shift >= 0 {
            u32::try_from(shift)
                .ok()
                .and_then(pow10)
                .and_then(|p| u.checked_mul(p))
                .unwrap_or(if u < 0 { i128::MIN } else if u == 0 { 0 } else { i128::MAX })
        } else {
            match u32::try_from(-shift).ok().and_then(pow10) {
                Some(d) => {
                    let q = u / d;
                    if u % d != 0 && u > 0 { q + 1 } else { q }
                }
                None => i128::from(u > 0),
            }
        }
    }

    /// `ceil(q / 10^scale)`: `ScaledValue`, overflow included. Go does not detect overflow here: an int64 amount
    /// that overflows while being scaled comes out as Go's `positiveScaleInt64` leaves it (the wrapped product
    /// for a factor of 10, 100, 1000, 10^6 or 10^9, else 0), a decimal one as the low 64 bits of the big result
    /// (`scale_int.go:scaledValue`). A node reporting `cpu: 1e17` therefore has 0 millicores to the scheduler.
    pub fn scaled_value(&self, scale: i32) -> i64 {
        match self.amount {
            Amount::Int64 { value, scale: own } => {
                let shift = i64::from(own) - i64::from(scale);
                if shift < 0 {
                    negative_scale_int64(value, i32::try_from(-shift).unwrap_or(i32::MAX)).0
                } else {
                    positive_scale_int64(value, shift).0
                }
            }
            Amount::Dec { unscaled, scale: own } => dec_scaled_value(unscaled, own, -scale),
        }
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
        cmp_dec(self.as_dec(), other.as_dec())
    }

    /// `Quantity.Add`: the exact sum. The text is dropped, and a zero quantity takes the format of the one added
    /// to it (so a sum started from an empty quantity prints like its first term).
    pub fn add(&mut self, other: &Quantity) {
        self.combine(other, 1);
    }

    /// `Quantity.Sub`: the exact difference, with [`Quantity::add`]'s format rule.
    pub fn sub(&mut self, other: &Quantity) {
        self.combine(other, -1);
    }

    /// `self + sign * other`, kept as an `int64Amount` at the finer of the two scales when it fits, else as a
    /// decimal.
    fn combine(&mut self, other: &Quantity, sign: i128) {
        self.cached = None;
        if self.is_zero() {
            self.format = other.format;
        }
        let ((a, sa), (b, sb)) = (self.as_dec(), other.as_dec());
        let scale = sa.max(sb);
        let widen = |u: i128, from: i32| pow10((scale - from) as u32).and_then(|p| u.checked_mul(p));
        // Beyond i128 at a common scale the sum saturates (such quantities are refused wherever they are read).
        let saturated = if a.signum() + sign * b.signum() < 0 { i128::MIN } else { i128::MAX };
        let sum = widen(a, sa).zip(widen(b, sb)).and_then(|(x, y)| x.checked_add(sign * y)).unwrap_or(saturated);
        self.amount = match i64::try_from(sum) {
            Ok(value) => Amount::Int64 { value, scale: -scale },
            Err(_) => Amount::Dec { unscaled: sum, scale },
        };
    }

    /// `RoundUp(scale)`: rounds the value up (away from zero) to a multiple of `10^scale`. An `int64Amount` whose
    /// scale is already fine enough is left alone, cached text included (which is why a template's `100m` keeps
    /// its text through defaulting); otherwise the text is dropped and the amount takes the new scale.
    pub fn round_up(&mut self, scale: i32) -> bool {
        match self.amount {
            Amount::Dec { unscaled, scale: s } => {
                self.cached = None;
                let (u, exact) = dec_round_up(unscaled, s, -scale);
                self.amount = Amount::Dec { unscaled: u, scale: -scale };
                exact
            }
            Amount::Int64 { value, scale: s } => {
                if s >= scale {
                    return true;
                }
                self.cached = None;
                let (v, exact) = negative_scale_int64(value, scale - s);
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

    /// `CanonicalizeBytes`. A binary quantity strictly between -1024 and 1024, or not a whole number, is written
    /// in decimal. Like Go, an exponent without a suffix (beyond `E`, or beyond `Ei`) is written with no suffix.
    fn canonicalize(&self) -> String {
        if self.is_zero() {
            return "0".to_owned();
        }
        let v = self.as_dec();
        let mut format = self.format;
        if format == Format::BinarySI {
            if cmp_dec(v, (-1024, 0)) == Ordering::Greater && cmp_dec(v, (1024, 0)) == Ordering::Less {
                format = Format::DecimalSI;
            } else {
                let (int, exact) = dec_round_up(v.0, v.1, 0);
                if exact {
                    let (mut amount, mut exp) = (int, 0);
                    while amount.abs() >= 1024 && amount % 1024 == 0 {
                        amount /= 1024;
                        exp += 1;
                    }
                    let suffix = match exp {
                        1 => "Ki",
                        2 => "Mi",
                        3 => "Gi",
                        4 => "Ti",
                        5 => "Pi",
                        6 => "Ei",
                        _ => "",
                    };
                    return format!("{amount}{suffix}");
                }
                format = Format::DecimalSI;
            }
        }
        let (number, exponent) = canonical_decimal(v);
        format!("{number}{}", decimal_suffix(exponent, format))
    }

    /// The Go-internal view for go-spew: `resource.Quantity{i, d, s, Format}`.
    fn go_amounts(&self) -> ((i64, i32), Option<(i128, i32)>) {
        match self.amount {
            Amount::Int64 { value, scale } => ((value, scale), None),
            Amount::Dec { unscaled, scale } => ((0, 0), Some((unscaled, scale))),
        }
    }
}

/// `AsCanonicalBytes`: digits with trailing zeros folded into an exponent that is a multiple of 3.
fn canonical_decimal((u, s): (i128, i32)) -> (i128, i32) {
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

/// Compare two decimals `unscaled * 10^-scale`.
fn cmp_dec(a: (i128, i32), b: (i128, i32)) -> Ordering {
    let sign = a.0.signum().cmp(&b.0.signum());
    if sign != Ordering::Equal || a.0 == 0 {
        return sign;
    }
    let s = a.1.max(b.1);
    let widen = |u: i128, from: i32| pow10((s - from) as u32).and_then(|p| u.checked_mul(p));
    match (widen(a.0, a.1), widen(b.0, b.1)) {
        (Some(x), Some(y)) => x.cmp(&y),
        // Only one side can overflow when the other fits: the overflowing one is larger in magnitude.
        (None, Some(_)) => if a.0 > 0 { Ordering::Greater } else { Ordering::Less },
        (Some(_), None) => if b.0 > 0 { Ordering::Less } else { Ordering::Greater },
        (None, None) => {
            let f = |(u, sc): (i128, i32)| u as f64 * 10f64.powi(-sc);
            f(a).partial_cmp(&f(b)).unwrap_or(Ordering::Equal)
        }
    }
}

/// `inf.Dec.Round(x, target, inf.RoundUp)`: `unscaled * 10^-scale` at exactly `target` decimal places, rounded
/// away from zero; reports whether it was exact.
fn dec_round_up(unscaled: i128, scale: i32, target: i32) -> (i128, bool) {
    if target >= scale {
        let widened = pow10((target - scale) as u32).and_then(|p| unscaled.checked_mul(p));
        let saturated = if unscaled < 0 { i128::MIN } else { i128::MAX };
        (widened.unwrap_or(if unscaled == 0 { 0 } else { saturated }), true)
    } else {
        match pow10((scale - target) as u32) {
            Some(d) => {
                let (q, rem) = (unscaled / d, unscaled % d);
                (if rem != 0 { q + unscaled.signum() } else { q }, rem == 0)
            }
            None => (unscaled.signum(), unscaled == 0),
        }
    }
}

/// `int64MultiplyScale`: `a * b` for `b > 1`, wrapping, and whether it did not overflow (`mostNegative` gives 0).
fn int64_multiply_scale(a: i64, b: i64) -> (i64, bool) {
    if a == 0 || a == 1 {
        return (a.wrapping_mul(b), true);
    }
    if a == i64::MIN {
        return (0, false);
    }
    let c = a.wrapping_mul(b);
    (c, c / b == a)
}

/// `positiveScaleInt64`: `base * 10^scale`. The factors Go has a fast path for return the wrapped product on
/// overflow; the others multiply by ten in a loop and return 0 at the first overflow.
fn positive_scale_int64(base: i64, scale: i64) -> (i64, bool) {
    match scale {
        0 => (base, true),
        1 | 2 | 3 | 6 | 9 => int64_multiply_scale(base, 10i64.pow(scale as u32)),
        _ => {
            let mut value = base;
            // Zero stays zero: stop there rather than loop through an exponent of two billion as Go would.
            for _ in 0..scale {
                if value == 0 {
                    break;
                }
                let (next, ok) = int64_multiply_scale(value, 10);
                if !ok {
                    return (0, false);
                }
                value = next;
            }
            (value, true)
        }
    }
}

/// `scaledValue` of `scale_int.go`: `ceil(unscaled * 10^-scale / 10^-new_scale)` as an int64, keeping Go's
/// arithmetic: the low 64 bits of a big integer (`big.Int.Int64`), a wrapping multiplication when scaling up,
/// truncating division plus one on a remainder in the int64 fast path, Euclidean division in the big one.
fn dec_scaled_value(unscaled: i128, scale: i32, new_scale: i32) -> i64 {
    let low64 = |v: i128| v as i64;
    let dif = i64::from(scale) - i64::from(new_scale);
    if dif == 0 {
        return low64(unscaled);
    }
    if dif < 0 {
        // `int64(math.Pow10(n))`: exact up to 10^18; beyond, the float does not fit and amd64 yields MinInt64.
        let factor = if -dif <= 18 { 10i64.pow((-dif) as u32) } else { i64::MIN };
        return low64(unscaled).wrapping_mul(factor);
    }
    if unscaled < i128::from(i64::MAX) && dif < 19 {
        let (value, divide) = (low64(unscaled), 10i64.pow(dif as u32));
        let result = value / divide;
        return if value % divide != 0 { result.wrapping_add(1) } else { result };
    }
    let Some(divisor) = u32::try_from(dif).ok().and_then(pow10) else {
        // 10^dif exceeds any i128: the quotient is 0 (or -1, Euclidean, for a negative amount) plus one.
        return if unscaled == 0 { 0 } else if unscaled > 0 { 1 } else { 0 };
    };
    let (result, remainder) = (unscaled.div_euclid(divisor), unscaled.rem_euclid(divisor));
    if remainder != 0 {
        low64(result).wrapping_add(1)
    } else {
        low64(result)
    }
}

/// `negativeScaleInt64`: divide by `10^scale`, rounding away from zero; reports whether it was exact.
fn negative_scale_int64(base: i64, scale: i32) -> (i64, bool) {
    if scale == 0 {
        return (base, true);
    }
    let mut value = base;
    let mut fraction = false;
    for _ in 0..scale {
        if !fraction && value % 10 != 0 {
            fraction = true;
        }
        value /= 10;
        if value == 0 {
            if fraction {
                return (if base > 0 { 1 } else { -1 }, false);
            }
            return (0, true);
        }
    }
    if fraction {
        if base > 0 {
            value += 1;
        } else {
            value -= 1;
        }
    }
    (value, !fraction)
}

fn decimal_suffix(exponent: i32, format: Format) -> String {
    if format == Format::DecimalExponent {
        return if exponent == 0 { String::new() } else { format!("e{exponent}") };
    }
    match exponent {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => "",
    }
    .to_owned()
}

/// A `big.Int` as go-spew shows it: `{neg abs}`, `abs` being the magnitude's 64-bit words, least significant
/// first (a zero magnitude is a nil slice).
fn big_int_to_go(v: i128) -> GoValue<'static> {
    let mut mag = v.unsigned_abs();
    let mut words = Vec::new();
    while mag != 0 {
        words.push(GoValue::Uint("big.Word", mag as u64));
        mag >>= 64;
    }
    GoValue::Struct(
        "big.Int",
        vec![
            ("neg", GoValue::Bool("bool", v < 0)),
            ("abs", GoValue::Slice("big.nat", if words.is_empty() { None } else { Some(words) })),
        ],
    )
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
            /// `Quantity.UnmarshalJSON` reads `null` as zero.
            fn visit_unit<E: de::Error>(self) -> Result<Quantity, E> {
                Ok(Quantity::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Quantity, E> {
                Ok(Quantity::default())
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
    /// `resource.Quantity{i int64Amount, d infDecAmount, s string, Format}`: exactly one of `i` and `d` is in use
    /// (`d.Dec` is nil when `i` is), `s` is the cached text or empty.
    fn to_go(&self) -> GoValue<'_> {
        let ((value, scale), dec) = self.go_amounts();
        let dec = dec.map(|(unscaled, scale)| {
            GoValue::Struct(
                "inf.Dec",
                vec![("unscaled", big_int_to_go(unscaled)), ("scale", GoValue::Int("inf.Scale", i64::from(scale)))],
            )
        });
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
                ("d", GoValue::Struct("resource.infDecAmount", vec![("Dec", GoValue::ptr("*inf.Dec", dec))])),
                ("s", GoValue::Str("string", self.cached.as_deref().unwrap_or("").into())),
                ("Format", GoValue::Str("resource.Format", self.format.as_go().into())),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::spew::sprint;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    fn canon(s: &str) -> String {
        q(s).canonicalize()
    }

    fn int64(value: i64, scale: i32) -> Amount {
        Amount::Int64 { value, scale }
    }

    fn dec(unscaled: i128, scale: i32) -> Amount {
        Amount::Dec { unscaled, scale }
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
        assert_eq!(canon("1e3"), "1e3");
        assert_eq!(canon("128974848"), "128974848");
        assert_eq!(canon("500Mi"), "500Mi");
        assert_eq!(canon("1Pi"), "1Pi");
        assert_eq!(canon("0.1n"), "1n");
        assert_eq!(canon("100Ki"), "100Ki");
        assert_eq!(canon("1023Ki"), "1023Ki");
        // Binary amounts below 1024 or with a fraction are written in decimal.
        assert_eq!(canon("0.5Ki"), "512");
        assert_eq!(canon("1.5Ki"), "1536");
        assert_eq!(canon("1.1"), "1100m");
        assert_eq!(canon("-1.5"), "-1500m");
        assert_eq!(canon("0"), "0");
        assert_eq!(canon("0Mi"), "0");
        // Go looks the exponent up and finds no suffix beyond E: 10^21 prints as "1".
        assert_eq!(canon("1000E"), "1");
        assert_eq!(canon("10Ei"), "9223372036854775807");
    }

    #[test]
    fn parse_internal_state_follows_go() {
        let state = |s: &str| {
            let x = q(s);
            (x.amount, x.cached, x.format)
        };
        use Format::*;
        assert_eq!(state("100m"), (int64(100, -3), Some("100m".into()), DecimalSI));
        assert_eq!(state("1000m"), (int64(1000, -3), None, DecimalSI));
        assert_eq!(state("0.5"), (int64(5, -1), None, DecimalSI));
        // Go's check looks at the digits and scale only, so "1.500" is kept as typed.
        assert_eq!(state("1.500"), (int64(1500, -3), Some("1.500".into()), DecimalSI));
        assert_eq!(state("1.5k"), (int64(15, 2), None, DecimalSI));
        assert_eq!(state("0"), (int64(0, 0), Some("0".into()), DecimalSI));
        // Leading zeros are not part of the digits Go checks, so the text is kept as typed.
        assert_eq!(state("01"), (int64(1, 0), Some("01".into()), DecimalSI));
        assert_eq!(state("1e3"), (int64(1, 3), Some("1e3".into()), DecimalExponent));
        assert_eq!(state("1E"), (int64(1, 18), Some("1E".into()), DecimalSI));
        // Binary text is kept only when the number is not a multiple of 8.
        assert_eq!(state("100Mi"), (int64(100 << 20, 0), Some("100Mi".into()), BinarySI));
        assert_eq!(state("200Mi"), (int64(200 << 20, 0), None, BinarySI));
        assert_eq!(state("1Gi"), (int64(1 << 30, 0), Some("1Gi".into()), BinarySI));
        assert_eq!(state("1Ti"), (int64(1 << 40, 0), Some("1Ti".into()), BinarySI));
        // Too many digits, binary fractions, big binary exponents, or finer than 1n: inf.Dec at nano scale.
        assert_eq!(state("1Pi"), (dec((1i128 << 50) * 1_000_000_000, 9), None, BinarySI));
        assert_eq!(state("1.5Gi"), (dec(1_610_612_736_000_000_000, 9), None, BinarySI));
        assert_eq!(state("0.0005Ki"), (dec(512_000_000, 9), None, DecimalSI));
        assert_eq!(state("0.1n"), (dec(1, 9), None, DecimalSI));
        assert_eq!(state("-0.1n"), (dec(-1, 9), None, DecimalSI));
        assert_eq!(state("12345678901234567890"), (dec(12_345_678_901_234_567_890 * 1_000_000_000, 9), None, DecimalSI));
        assert_eq!(state("10Ei"), (dec(i64::MAX as i128, 0), None, BinarySI));
    }

    #[test]
    fn round_up_follows_go() {
        // Fine enough already: untouched, cached text kept.
        let mut x = q("100m");
        assert!(x.round_up(-3));
        assert_eq!((x.amount, x.cached.as_deref()), (int64(100, -3), Some("100m")));
        let mut x = q("4");
        assert!(x.round_up(-3));
        assert_eq!((x.amount, x.cached.as_deref()), (int64(4, 0), Some("4")));
        // Too fine: rounded up to the new scale, text dropped.
        let mut x = q("0.0001");
        assert!(!x.round_up(-3));
        assert_eq!((x.amount, x.cached.as_deref()), (int64(1, -3), None));
        let mut x = q("1500u");
        assert!(!x.round_up(-3));
        assert_eq!((x.amount, x.cached.as_deref()), (int64(2, -3), None));
        let mut x = q("1000u");
        assert!(x.round_up(-3));
        assert_eq!((x.amount, x.cached.as_deref()), (int64(1, -3), None));
        // Negative amounts round away from zero.
        let mut x = q("-1n");
        assert!(!x.round_up(-3));
        assert_eq!(x.amount, int64(-1, -3));
        // An inf.Dec always takes the new scale.
        let mut x = q("1.5Gi");
        assert!(x.round_up(-3));
        assert_eq!((x.amount, x.cached.as_deref()), (dec(1_610_612_736_000, 3), None));
        let mut x = q("0.1n");
        assert!(!x.round_up(-3));
        assert_eq!(x.amount, dec(1, 3));
    }

    #[test]
    fn round_trip_reparses_the_canonical_text() {
        let rt = |s: &str| {
            let mut x = q(s);
            x.round_up(-3);
            let y = x.round_tripped();
            (y.amount, y.cached, y.format)
        };
        assert_eq!(rt("0.5"), (int64(500, -3), Some("500m".into()), Format::DecimalSI));
        assert_eq!(rt("1.5Gi"), (int64(1536 << 20, 0), None, Format::BinarySI));
        assert_eq!(rt("1024Mi"), (int64(1 << 30, 0), Some("1Gi".into()), Format::BinarySI));
        assert_eq!(rt("1Pi"), (dec((1i128 << 50) * 1_000_000_000, 9), None, Format::BinarySI));
        assert_eq!(rt("100m"), (int64(100, -3), Some("100m".into()), Format::DecimalSI));
    }

    #[test]
    fn go_view_shows_the_internals() {
        assert_eq!(
            sprint(&q("100m").to_go()),
            "(resource.Quantity){i:(resource.int64Amount){value:(int64)100 scale:(resource.Scale)-3} \
             d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)100m Format:(resource.Format)DecimalSI}"
        );
        assert_eq!(
            sprint(&q("1Pi").to_go()),
            "(resource.Quantity){i:(resource.int64Amount){value:(int64)0 scale:(resource.Scale)0} \
             d:(resource.infDecAmount){Dec:(*inf.Dec){unscaled:(big.Int){neg:(bool)false abs:(big.nat)[2882303761517117440 61035]} \
             scale:(inf.Scale)9}} s:(string) Format:(resource.Format)BinarySI}"
        );
        assert!(sprint(&q("-0.1n").to_go()).contains("{neg:(bool)true abs:(big.nat)[1]} scale:(inf.Scale)9"));
    }

    #[test]
    fn values_round_up() {
        let x = q("100m");
        assert_eq!(x.milli_value(), 100);
        assert_eq!(x.value(), 1);
        assert_eq!(q("1Gi").value(), 1 << 30);
        assert_eq!(q("0.0001").milli_value(), 1);
        assert_eq!(q("1.5Gi").value(), 1_610_612_736);
        assert_eq!(q("1Pi").value(), 1 << 50);
        assert!(q("0").is_zero());
        assert_eq!(q("1k").cmp_value(&q("1000")), Ordering::Equal);
        assert_eq!(q("1Ki").cmp_value(&q("1k")), Ordering::Greater);
        assert_eq!(q("1Pi").cmp_value(&q("1Ti")), Ordering::Greater);
    }

    #[test]
    fn scaled_values_overflow_as_go_does() {
        // int64Amount{1, 17}: ten to the 20th overflows in positiveScaleInt64's loop, which returns 0.
        assert_eq!(q("1e17").milli_value(), 0);
        assert_eq!(q("1e17").value(), 100_000_000_000_000_000);
        // int64Amount{10^16, 3}: the fast path for a factor of 1000 returns the wrapped product, 10^19 - 2^64.
        assert_eq!(q("10000000000000000k").value(), -8_446_744_073_709_551_616);
        // A binary amount capped at MaxInt64 (an inf.Dec): scaling up multiplies the int64 in place, wrapping.
        assert_eq!(q("16Ei").value(), i64::MAX);
        assert_eq!(q("16Ei").milli_value(), -1000);
        assert_eq!(q("1e17").ceil_scaled(-3), 100_000_000_000_000_000_000);
    }

    #[test]
    fn rejects_malformed() {
        assert!(matches!(Quantity::parse("abc"), Err(QuantityError::FormatWrong)));
        assert!(matches!(Quantity::parse(""), Err(QuantityError::FormatWrong)));
        assert!(matches!(Quantity::parse("1.5.5"), Err(QuantityError::FormatWrong)));
        assert!(matches!(Quantity::parse("1Qi"), Err(QuantityError::FormatWrong)));
        assert!(matches!(Quantity::parse("1ki"), Err(QuantityError::Suffix)));
        assert!(matches!(Quantity::parse("1e"), Err(QuantityError::Suffix)));
    }
}
