//! Values with units, and the arithmetic and comparisons of SPEC section 3.
//!
//! A unit is a product of base units with integer exponents (`KZT/units` is
//! `{KZT: 1, units: -1}`); a dimensionless value (a percentage, a ratio) has
//! none. A literal without a unit, and a series without one, have a *free*
//! unit: they take the unit of what they meet (SPEC 8.1).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// The unit of a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Takes the unit of whatever it is combined with.
    Free,
    /// Base units and their exponents; empty when dimensionless. Shared:
    /// every value of a series has its unit, so a copy is a count, not a map.
    Known(Arc<BTreeMap<String, i32>>),
}

impl Unit {
    pub fn dimensionless() -> Unit {
        Unit::Known(Arc::default())
    }

    /// A base unit by name; the empty name is dimensionless.
    pub fn base(name: &str) -> Unit {
        if name.is_empty() {
            return Unit::dimensionless();
        }
        Unit::Known(Arc::new(BTreeMap::from([(name.to_string(), 1)])))
    }

    fn combine(&self, other: &Unit, sign: i32) -> Unit {
        match (self, other) {
            (Unit::Free, Unit::Free) => Unit::Free,
            (Unit::Free, Unit::Known(b)) if sign > 0 => Unit::Known(b.clone()),
            (Unit::Free, Unit::Known(b)) => {
                Unit::Known(Arc::new(b.iter().map(|(k, e)| (k.clone(), -e)).collect()))
            }
            (Unit::Known(a), Unit::Free) => Unit::Known(a.clone()),
            (Unit::Known(a), Unit::Known(b)) => {
                let mut out = BTreeMap::clone(a);
                for (name, exponent) in b.iter() {
                    let entry = out.entry(name.clone()).or_insert(0);
                    *entry += sign * exponent;
                }
                out.retain(|_, e| *e != 0);
                Unit::Known(Arc::new(out))
            }
        }
    }

    /// The unit of `self * other`.
    pub fn times(&self, other: &Unit) -> Unit {
        self.combine(other, 1)
    }

    /// The unit of `self / other`.
    pub fn per(&self, other: &Unit) -> Unit {
        self.combine(other, -1)
    }

    /// The common unit of two values that are added or compared, if they can be.
    pub fn unify(&self, other: &Unit) -> Option<Unit> {
        match (self, other) {
            (Unit::Free, u) | (u, Unit::Free) => Some(u.clone()),
            (a, b) if a == b => Some(a.clone()),
            _ => None,
        }
    }

    pub fn is_dimensionless_or_free(&self) -> bool {
        match self {
            Unit::Free => true,
            Unit::Known(map) => map.is_empty(),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Unit::Known(map) = self else {
            return f.write_str("no unit");
        };
        if map.is_empty() {
            return f.write_str("a ratio (no unit)");
        }
        let part = |name: &str, e: i32| {
            if e == 1 {
                name.to_string()
            } else {
                format!("{name}^{e}")
            }
        };
        let up: Vec<String> = map
            .iter()
            .filter(|(_, e)| **e > 0)
            .map(|(n, e)| part(n, *e))
            .collect();
        let down: Vec<String> = map
            .iter()
            .filter(|(_, e)| **e < 0)
            .map(|(n, e)| part(n, -e))
            .collect();
        let up = if up.is_empty() {
            "1".to_string()
        } else {
            up.join("·")
        };
        if down.is_empty() {
            f.write_str(&up)
        } else {
            write!(f, "{up}/{}", down.join("·"))
        }
    }
}

/// A number and its unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub number: f64,
    pub unit: Unit,
}

/// Why an expression has no value: a gap in the data (no_data) or a mistake (error).
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    NoData(String),
    Error(String),
}

impl Problem {
    pub fn message(&self) -> &str {
        match self {
            Problem::NoData(m) | Problem::Error(m) => m,
        }
    }
}

/// Two values are equal when their relative difference is at most 1e-9
/// (SPEC 8.10: |a − b| / max(|a|, |b|), and 0 equals 0).
pub fn nearly_equal(a: f64, b: f64) -> bool {
    if a == b {
        return true;
    }
    (a - b).abs() / a.abs().max(b.abs()) <= 1e-9
}

/// Applies a comparison operator with the tolerance.
pub fn compare(op: crate::syntax::ast::BinaryOp, a: f64, b: f64) -> bool {
    use crate::syntax::ast::BinaryOp;
    let equal = nearly_equal(a, b);
    match op {
        BinaryOp::Ge => equal || a > b,
        BinaryOp::Gt => !equal && a > b,
        BinaryOp::Le => equal || a < b,
        BinaryOp::Lt => !equal && a < b,
        BinaryOp::Eq => equal,
        BinaryOp::Ne => !equal,
        _ => false,
    }
}
