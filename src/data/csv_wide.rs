//! Wide CSV rows (SPEC section 2): a file with no `value` column and
//! columns headed by periods (`2020`, `2020-Q1`, or the World Bank's
//! `2020 [YR2020]`). Each cell under a period header is one observation and
//! counts as one row in the file's accounting; a ragged line rejects as many
//! rows as there are period columns.
//!
//! Which columns are periods is decided with the header, in `columns.rs`;
//! reading the file is in `csv_long.rs`.

use csv::ByteRecord;

use super::columns::Layout;
use super::csv_long::{field, indicator, push_dims, row_problem};
use super::row::{Field, PeriodField, Row, RowSink};

/// Loads the cells of one line of a wide file.
pub(crate) fn row(
    load: &mut impl RowSink,
    layout: &Layout,
    record: &ByteRecord,
    line: u32,
    width: usize,
) {
    let cells = layout.periods.len() as u64;
    if let Some((column, kind)) = row_problem(record, width) {
        return load.reject(cells, line, column, kind);
    }
    let shared = (|| {
        push_dims(load, layout, record)?;
        let unit = match layout.unit {
            Some(index) => Some(Field::new(field(record, index)?, index as u32 + 1)),
            None => None,
        };
        Ok((indicator(layout, record)?, unit))
    })();
    let (indicator, unit) = match shared {
        Ok(fields) => fields,
        // Fields were checked as UTF-8 above, so this does not happen.
        Err(kind) => return load.reject(cells, line, 0, kind),
    };
    for &(index, period) in &layout.periods {
        let column = index as u32 + 1;
        let value = Field::new(field(record, index).unwrap_or_default(), column);
        load.add_row(&Row {
            line,
            indicator,
            unit,
            period: PeriodField::Parsed(period, column),
            value,
        });
    }
}
