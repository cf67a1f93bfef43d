//! CSV and TSV files (SPEC section 2): opening, the separator, the header,
//! and long files (one observation per row: indicator, period, value, unit,
//! dimensions), SDMX-CSV included. Wide files (a column per period) share
//! the reading here and their rows are in `csv_wide.rs`.
//!
//! Rows are read as byte records and fields are checked as UTF-8 one at a
//! time, so a row costs no allocation. `\r\n` line ends are read as `\n`:
//! the csv crate ends a record at the `\r` and counts the line at the `\n`,
//! when it reads the next record, so the lines it gives for rows after the
//! first would be one short. A line of only separators counts as
//! blank, like an empty line: not a row.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use csv::ByteRecord;

use super::columns::{self, IndicatorFrom, Layout};
use super::error::DataErrorKind;
use super::row::{Field, FileLoad, PeriodField, Row};

/// Loads a `.csv` (`tab` false) or `.tsv` file.
/// How many rows go by between two progress reports.
const PROGRESS_EVERY: u64 = 1 << 16;

pub(crate) fn load(load: &mut FileLoad<'_>, tab: bool, progress: &mut dyn FnMut(u64)) {
    let file = match File::open(load.path()) {
        Ok(file) => file,
        Err(error) => return load.fail(0, 0, io_error(&error)),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    // Read up to the first non-blank line, to choose the separator.
    let mut start = Vec::new();
    loop {
        let before = start.len();
        match reader.read_until(b'\n', &mut start) {
            Ok(0) => break,
            Ok(_) if start[before..].iter().all(u8::is_ascii_whitespace) => continue,
            Ok(_) => break,
            Err(error) => return load.fail(0, 0, io_error(&error)),
        }
    }
    if let Some(rest) = start.strip_prefix(b"\xEF\xBB\xBF") {
        start = rest.to_vec();
    }
    if start.iter().all(u8::is_ascii_whitespace) {
        return load.fail(0, 0, DataErrorKind::EmptyFile);
    }
    let header_line = start.trim_ascii_end();
    let delimiter = if tab {
        b'\t'
    } else if header_line.contains(&b';') && !header_line.contains(&b',') {
        load.decimal_comma = true;
        b';'
    } else {
        b','
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(CrlfAsLf::new(std::io::Cursor::new(start).chain(reader)));
    let mut record = ByteRecord::new();
    let mut first = read_record(load, &mut csv, &mut record);
    // A World Bank API download (`API_NY.GDP.MKTP.CD_DS2_en_csv_v2.csv`) opens
    // with `"Data Source"` and `"Last Updated Date"` lines before its header.
    if first.is_some() && record.get(0).map(|f| f.trim_ascii()) == Some(b"Data Source") {
        while first.is_some() && record.get(0).map(|f| f.trim_ascii()) != Some(b"Country Name") {
            first = read_record(load, &mut csv, &mut record);
        }
    }
    let (header, header_line) = match first {
        Some(line) => match record
            .iter()
            .map(std::str::from_utf8)
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(fields) => (
                fields.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
                line,
            ),
            Err(_) => return load.fail(line, 0, DataErrorKind::HeaderNotUtf8),
        },
        None => return load.fail(0, 0, DataErrorKind::EmptyFile),
    };
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let Some(layout) = columns::layout(load, &names, header_line) else {
        return;
    };
    let width = header.len();
    let mut rows = 0u64;
    while let Some(line) = read_record(load, &mut csv, &mut record) {
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if layout.world_bank && is_world_bank_footer(&record) {
            continue;
        }
        rows += 1;
        if rows.is_multiple_of(PROGRESS_EVERY) {
            progress(csv.position().byte());
        }
        if layout.periods.is_empty() {
            long_row(load, &layout, &record, line, width);
        } else {
            super::csv_wide::row(load, &layout, &record, line, width);
        }
    }
    if rows == 0 {
        load.fail(header_line, 0, DataErrorKind::NoRows);
    }
}

/// Reads the next record; its line, or `None` at the end (or after an I/O
/// error, which is reported).
fn read_record<R: Read>(
    load: &mut FileLoad<'_>,
    csv: &mut csv::Reader<R>,
    record: &mut ByteRecord,
) -> Option<u32> {
    match csv.read_byte_record(record) {
        Ok(true) => Some(record.position().map_or(0, |p| p.line() as u32)),
        Ok(false) => None,
        Err(error) => {
            let line = error.position().map_or(0, |p| p.line() as u32);
            let kind = match error.into_kind() {
                csv::ErrorKind::Io(error) => io_error(&error),
                _ => DataErrorKind::Unreadable(std::io::ErrorKind::InvalidData),
            };
            load.fail(line, 0, kind);
            None
        }
    }
}

/// The lines World Bank DataBank appends after the data
/// (`Data from database: …`, `Last Updated: …`).
fn is_world_bank_footer(record: &ByteRecord) -> bool {
    let first = record.get(0).unwrap_or_default();
    let rest_empty = record.iter().skip(1).all(|f| f.trim_ascii().is_empty());
    rest_empty && (first.starts_with(b"Data from database:") || first.starts_with(b"Last Updated:"))
}

pub(crate) fn io_error(error: &std::io::Error) -> DataErrorKind {
    match error.kind() {
        std::io::ErrorKind::NotFound => DataErrorKind::NotFound,
        kind => DataErrorKind::Unreadable(kind),
    }
}

/// Field `index` of a record as text; a field the row lacks is empty.
pub(crate) fn field(record: &ByteRecord, index: usize) -> Result<&str, DataErrorKind> {
    std::str::from_utf8(record.get(index).unwrap_or_default()).map_err(|_| DataErrorKind::NotUtf8)
}

/// What is wrong with a row's width or the UTF-8 of its fields, and the
/// column, if anything.
pub(crate) fn row_problem(record: &ByteRecord, width: usize) -> Option<(u32, DataErrorKind)> {
    if record.len() != width {
        let kind = DataErrorKind::Ragged {
            fields: record.len(),
            expected: width,
        };
        return Some((0, kind));
    }
    if std::str::from_utf8(record.as_slice()).is_ok() {
        return None;
    }
    let index = record
        .iter()
        .position(|f| std::str::from_utf8(f).is_err())?;
    Some((index as u32 + 1, DataErrorKind::NotUtf8))
}

/// The indicator of a row.
pub(crate) fn indicator<'t>(
    layout: &'t Layout,
    record: &'t ByteRecord,
) -> Result<Field<'t>, DataErrorKind> {
    Ok(match &layout.indicator {
        IndicatorFrom::Constant(name) => Field::new(name, 0),
        IndicatorFrom::Column(index) => Field::new(field(record, *index)?, *index as u32 + 1),
        IndicatorFrom::Dataflow(index) => Field::new(
            columns::dataflow_id(field(record, *index)?),
            *index as u32 + 1,
        ),
    })
}

/// Pushes a row's dimensions (columns and constants).
pub(crate) fn push_dims(
    load: &mut FileLoad<'_>,
    layout: &Layout,
    record: &ByteRecord,
) -> Result<(), DataErrorKind> {
    load.clear_dims();
    for &(dim, index) in &layout.dims {
        load.push_dim(dim, field(record, index)?);
    }
    for &(dim, value) in &layout.constants {
        load.push_interned_dim(dim, value);
    }
    Ok(())
}

fn long_row(
    load: &mut FileLoad<'_>,
    layout: &Layout,
    record: &ByteRecord,
    line: u32,
    width: usize,
) {
    if let Some((column, kind)) = row_problem(record, width) {
        return load.reject(1, line, column, kind);
    }
    let column_field = |index: usize| -> Result<Field<'_>, DataErrorKind> {
        Ok(Field::new(field(record, index)?, index as u32 + 1))
    };
    let scaled_unit = match scaled_unit(layout, record) {
        Ok(unit) => unit,
        Err((column, kind)) => return load.reject(1, line, column, *kind),
    };
    let built = (|| {
        push_dims(load, layout, record)?;
        let (Some(period), Some(value)) = (layout.period, layout.value) else {
            return Err(DataErrorKind::EmptyPeriod);
        };
        Ok(Row {
            line,
            indicator: indicator(layout, record)?,
            unit: match (&scaled_unit, layout.unit) {
                (Some((text, column)), _) => Some(Field::new(text, *column)),
                (None, unit) => unit.map(column_field).transpose()?,
            },
            period: PeriodField::Text(column_field(period)?),
            value: column_field(value)?,
        })
    })();
    match built {
        Ok(row) => load.add_row(&row),
        // Fields were checked as UTF-8 above, so this does not happen.
        Err(kind) => load.reject(1, line, 0, kind),
    }
}

/// Why a field rejects its row: the field's column and the reason.
type Rejected = (u32, Box<DataErrorKind>);

/// A row's unit with its SDMX `UNIT_MULT` folded in (`USD` with 6 is
/// `million USD`), and the unit's column; `None` when there is nothing to fold.
fn scaled_unit(layout: &Layout, record: &ByteRecord) -> Result<Option<(String, u32)>, Rejected> {
    let Some(mult_index) = layout.unit_mult else {
        return Ok(None);
    };
    let mult = field(record, mult_index)
        .map_err(|k| (mult_index as u32 + 1, Box::new(k)))?
        .trim();
    let scale = match mult {
        "" | "0" => return Ok(None),
        "3" => "thousand",
        "6" => "million",
        "9" => "billion",
        "12" => "trillion",
        other => {
            return Err((
                mult_index as u32 + 1,
                Box::new(DataErrorKind::UnitMultiplier {
                    text: other.to_string(),
                }),
            ));
        }
    };
    let (unit, column) = match layout.unit {
        Some(i) => (
            field(record, i)
                .map_err(|k| (i as u32 + 1, Box::new(k)))?
                .trim(),
            i as u32 + 1,
        ),
        None => ("", mult_index as u32 + 1),
    };
    Ok(Some((
        format!("{scale} {unit}").trim_end().to_string(),
        column,
    )))
}

/// A reader that turns `\r\n` into `\n` (a lone `\r` stays).
struct CrlfAsLf<R> {
    inner: R,
    /// A `\r` at the end of the last chunk, not yet known to precede `\n`.
    pending_cr: bool,
}

impl<R: BufRead> CrlfAsLf<R> {
    fn new(inner: R) -> CrlfAsLf<R> {
        CrlfAsLf {
            inner,
            pending_cr: false,
        }
    }
}

impl<R: BufRead> Read for CrlfAsLf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        while written == 0 && !out.is_empty() {
            let input = self.inner.fill_buf()?;
            if input.is_empty() {
                if std::mem::take(&mut self.pending_cr) {
                    out[0] = b'\r';
                    written = 1;
                }
                break;
            }
            if std::mem::take(&mut self.pending_cr) && input[0] != b'\n' {
                out[0] = b'\r';
                written = 1;
            }
            let mut used = 0;
            while used < input.len() && written < out.len() {
                // Copy the run up to the next `\r` (or as much as fits) at once.
                let room = out.len() - written;
                let rest = &input[used..];
                let run = rest[..rest.len().min(room)]
                    .iter()
                    .position(|&b| b == b'\r')
                    .unwrap_or(rest.len().min(room));
                out[written..written + run].copy_from_slice(&rest[..run]);
                written += run;
                used += run;
                if used == input.len() || written == out.len() {
                    break;
                }
                // A `\r`: dropped before `\n`, kept otherwise, held over at the
                // end of the buffer until the next byte is known.
                used += 1;
                match input.get(used) {
                    Some(b'\n') => {}
                    Some(_) => {
                        out[written] = b'\r';
                        written += 1;
                    }
                    None => self.pending_cr = true,
                }
            }
            self.inner.consume(used);
        }
        Ok(written)
    }
}
