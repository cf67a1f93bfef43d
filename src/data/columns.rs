//! What each column of a CSV header is: indicator, period, value, unit,
//! annotation (ignored), a period column of a wide file, or a dimension.
//!
//! Header names are matched case-insensitively, after the renames of the
//! data entry in `ontrack.yaml` (`columns:`) and skipping its `drop:` list.
//! `Series Name` and `Indicator Name` (World Bank exports) are annotations,
//! not dimensions: they restate the indicator in words.

use std::collections::HashMap;

use super::dataset::{DimId, ValueId};
use super::error::DataErrorKind;
use super::period::Period;
use super::row::FileLoad;

/// Where a row's indicator comes from.
#[derive(Clone, Debug)]
pub(crate) enum IndicatorFrom {
    /// Named by the data entry of `ontrack.yaml`.
    Constant(String),
    /// An `indicator` column (or an alias).
    Column(usize),
    /// An SDMX `STRUCTURE_ID` or `DATAFLOW` column: `ESTAT:SDG_07_40(1.0)`.
    Dataflow(usize),
}

/// The roles of a header's columns (0-based indices).
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub(crate) indicator: IndicatorFrom,
    pub(crate) period: Option<usize>,
    pub(crate) value: Option<usize>,
    pub(crate) unit: Option<usize>,
    /// SDMX `UNIT_MULT`: a power of ten that scales each row's values.
    pub(crate) unit_mult: Option<usize>,
    pub(crate) dims: Vec<(DimId, usize)>,
    /// Dimensions the data entry adds to every row.
    pub(crate) constants: Vec<(DimId, ValueId)>,
    /// A wide file's period columns.
    pub(crate) periods: Vec<(usize, Period)>,
    /// A World Bank export (`2020 [YR2020]` headers).
    pub(crate) world_bank: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Indicator,
    Period,
    Value,
    Unit,
    UnitMult,
    Dataflow,
    Annotation,
    Dimension,
}

const ANNOTATIONS: &[&str] = &[
    "structure",
    "structure_name",
    "action",
    "obs_flag",
    "obs_status",
    "conf_status",
    // SDMX attributes that describe values rather than tell series apart.
    "decimals",
    "base_per",
    "time_format",
    "last update",
    "flag",
    "flags",
    "note",
    "notes",
    "comment",
    "series name",
    "indicator name",
];

fn role(name: &str) -> Role {
    match name {
        // World Bank files end every line with a comma: an unnamed, empty column.
        "" => Role::Annotation,
        "indicator" | "indicator code" | "series code" | "series" => Role::Indicator,
        "period" | "year" | "date" | "time" | "time_period" => Role::Period,
        "value" | "obs_value" => Role::Value,
        "unit" | "unit_measure" => Role::Unit,
        "unit_mult" => Role::UnitMult,
        "structure_id" | "dataflow" => Role::Dataflow,
        _ if ANNOTATIONS.contains(&name) => Role::Annotation,
        _ => Role::Dimension,
    }
}

/// The period a wide file's column header names: `2020`, `2020-Q1`, or the
/// World Bank's `2020 [YR2020]` (second value: whether it was that form).
fn header_period(name: &str) -> Option<(Period, bool)> {
    if let Ok(period) = Period::parse_data(name) {
        return Some((period, false));
    }
    let (period, code) = name.split_once(" [")?;
    code.ends_with(']')
        .then(|| Period::parse_data(period).ok())
        .flatten()
        .map(|p| (p, true))
}

/// Reads a header. Errors (a missing or repeated column) are reported on
/// line `line` and stop the file.
pub(crate) fn layout(load: &mut FileLoad<'_>, header: &[&str], line: u32) -> Option<Layout> {
    let source = load.source;
    let mut roles: Vec<(usize, &str, Role)> = Vec::new();
    let mut ok = true;
    // Slot → the column that took it; a map, as a wide header may have
    // thousands of columns, each a dimension until its period is seen.
    let mut taken: HashMap<String, usize> = HashMap::new();
    for (index, &written) in header.iter().enumerate() {
        let written = written.trim();
        let renamed = source
            .columns
            .iter()
            .find(|(from, _)| from.trim().eq_ignore_ascii_case(written))
            .map_or(written, |(_, to)| to.trim());
        let dropped = source
            .drop
            .iter()
            .any(|d| d.eq_ignore_ascii_case(written) || d.eq_ignore_ascii_case(renamed));
        if dropped {
            continue;
        }
        let key = renamed.to_lowercase();
        let constant = source.dimensions.keys().any(|d| d.to_lowercase() == key);
        let role = match role(&key) {
            // A constant dimension replaces a column of that name.
            Role::Dimension if constant => Role::Annotation,
            role => role,
        };
        // Two columns in one role (`year` and `period`) or two spellings of
        // one dimension cannot both be used.
        let slot = match role {
            Role::Annotation | Role::Dataflow => None,
            Role::Dimension => Some(key),
            other => Some(format!("{other:?}")),
        };
        if let Some(slot) = slot {
            if let Some(first) = taken.get(&slot) {
                load.fail(
                    line,
                    index as u32 + 1,
                    DataErrorKind::DuplicateColumn {
                        name: written.to_string(),
                        first: *first as u32 + 1,
                        first_name: header[*first].trim().to_string(),
                    },
                );
                ok = false;
                continue;
            }
            taken.insert(slot, index);
        }
        roles.push((index, renamed, role));
    }
    if !ok {
        return None;
    }
    let find = |roles: &[(usize, &str, Role)], wanted: Role| {
        roles.iter().find(|r| r.2 == wanted).map(|r| r.0)
    };
    let indicator = match (&source.indicator, find(&roles, Role::Indicator)) {
        (Some(name), _) => Some(IndicatorFrom::Constant(name.clone())),
        (None, Some(column)) => Some(IndicatorFrom::Column(column)),
        // `STRUCTURE_ID` (SDMX-CSV 2) before `DATAFLOW` (SDMX-CSV 1).
        (None, None) => roles
            .iter()
            .filter(|r| r.2 == Role::Dataflow)
            .min_by_key(|r| !r.1.eq_ignore_ascii_case("structure_id"))
            .map(|r| IndicatorFrom::Dataflow(r.0)),
    };
    let (period, value) = (find(&roles, Role::Period), find(&roles, Role::Value));
    let mut periods = Vec::new();
    let mut world_bank = false;
    if period.is_none() && value.is_none() {
        for r in roles.iter_mut().filter(|r| r.2 == Role::Dimension) {
            if let Some((p, wb)) = header_period(r.1) {
                periods.push((r.0, p));
                world_bank |= wb;
                r.2 = Role::Annotation;
            }
        }
    }
    let wide = !periods.is_empty();
    let mut missing: Vec<&'static str> = Vec::new();
    if indicator.is_none() {
        missing.push("indicator");
    }
    if !wide {
        missing.extend(period.is_none().then_some("period"));
        missing.extend(value.is_none().then_some("value"));
    }
    for column in &missing {
        let header = header.iter().map(|h| h.trim().to_string()).collect();
        load.fail(line, 0, DataErrorKind::MissingColumn { column, header });
    }
    let indicator = indicator.filter(|_| missing.is_empty())?;
    let mut dims: Vec<(DimId, usize)> = roles
        .iter()
        .filter(|r| r.2 == Role::Dimension)
        .map(|r| (load.builder.dim(r.1), r.0))
        .collect();
    dims.sort_unstable();
    let constants = source
        .dimensions
        .iter()
        .map(|(d, v)| (load.builder.dim(d.trim()), load.builder.value(v.trim())))
        .collect();
    Some(Layout {
        indicator,
        period,
        value,
        unit: find(&roles, Role::Unit),
        unit_mult: find(&roles, Role::UnitMult),
        dims,
        constants,
        periods,
        world_bank,
    })
}

/// The dataflow id of an SDMX structure reference, without agency and
/// version: `ESTAT:SDG_07_40(1.0)` → `SDG_07_40`.
pub(crate) fn dataflow_id(text: &str) -> &str {
    let text = text.trim();
    let text = text.rsplit_once(':').map_or(text, |(_, id)| id);
    text.split_once('(').map_or(text, |(id, _)| id).trim()
}
