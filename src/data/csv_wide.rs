//! Wide CSV rows (SPEC section 2): a file with no `value` column and
//! columns headed by periods (`2020`, `2020-Q1`, or the World Bank's
//! `2020 [YR2020]`). Each cell under a period header is one observation and
//! counts as one row in the file's accounting; a ragged line rejects as many
//! rows as there are period columns.
//!
//! Which columns are periods is decided with the header, in `columns.rs`;
//! reading the file is in `csv_long.rs`.

use super::columns::Layout;
use super::csv_long::{RawRecord, check_row, indicator, push_dims};
use super::row::{Field, PeriodField, Row, RowSink};

/// Loads the cells of one line of a wide file.
pub(crate) fn row(
    load: &mut impl RowSink,
    layout: &Layout,
    record: &RawRecord<'_>,
    line: u32,
    width: usize,
) {
    let cells = layout.periods.len() as u64;
    let record = match check_row(record, width) {
        Ok(record) => record,
        Err((column, kind)) => return load.reject(cells, line, column, kind),
    };
    push_dims(load, layout, &record);
    let unit = layout
        .unit
        .map(|index| Field::new(record.field(index), index as u32 + 1));
    let indicator = indicator(layout, &record);
    for &(index, period) in &layout.periods {
        let column = index as u32 + 1;
        load.add_row(&Row {
            line,
            indicator,
            unit,
            period: PeriodField::Parsed(period, column),
            value: Field::new(record.field(index), column),
        });
    }
}
