//! CSV and TSV files (SPEC section 2): opening, the separator, the header,
//! and long files (one observation per row: indicator, period, value, unit,
//! dimensions), SDMX-CSV included. Wide files (a column per period) share
//! the reading here and their rows are in `csv_wide.rs`.
//!
//! Rows are read as fields of bytes, each row checked as UTF-8 once, so a
//! row costs no allocation; a block without quotes is split at its line ends
//! and separators directly, one with quotes goes through the csv crate
//! ([`records`]). The file is cut into blocks of whole records with
//! `\r\n` read as `\n` and lines counted as an editor shows them
//! (`blocks.rs`); blocks are parsed on every core into logs that reach the
//! dataset in file order (`row_log.rs`). A line of only separators counts
//! as blank, like an empty line: not a row.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc;

use csv::ByteRecord;

use super::blocks::{BLOCK_SIZE, Block, BlockError, Blocks, Lines, MAX_RECORD, count_lines};
use super::columns::{self, IndicatorFrom, Layout};
use super::error::DataErrorKind;
use super::row::{Field, FileLoad, PeriodField, Row, RowSink};
use super::row_log::RowLog;
use crate::parallel::{self, Flow};

/// Loads a `.csv` (`tab` false) or `.tsv` file: the header here, the rows
/// in blocks parsed on every core (`blocks.rs`, `row_log.rs`).
pub(crate) fn load(load: &mut FileLoad<'_>, tab: bool, progress: &mut dyn FnMut(u64)) {
    let file = match File::open(load.path()) {
        Ok(file) => file,
        Err(error) => return load.fail(0, 0, io_error(&error)),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    // Read up to the first non-blank line, to choose the separator; a
    // longer start is left to `Blocks`, which reports a record too long.
    let mut start = Vec::new();
    let mut head = (&mut reader).take(MAX_RECORD as u64);
    loop {
        let before = start.len();
        match head.read_until(b'\n', &mut start) {
            Ok(0) => break,
            Ok(_) if start[before..].iter().all(u8::is_ascii_whitespace) => continue,
            Ok(_) => break,
            Err(error) => return load.fail(0, 0, io_error(&error)),
        }
    }
    if let Some(rest) = start.strip_prefix(b"\xEF\xBB\xBF") {
        start = rest.to_vec();
    }
    let Some(header_line) = start
        .split(|&b| b == b'\n' || b == b'\r')
        .find(|line| !line.trim_ascii().is_empty())
    else {
        if start.len() < MAX_RECORD {
            return load.fail(0, 0, DataErrorKind::EmptyFile);
        }
        return load.fail(1, 0, DataErrorKind::RecordTooLong { limit: MAX_RECORD });
    };
    let delimiter = if tab {
        b'\t'
    } else if header_line.contains(&b';') && !header_line.contains(&b',') {
        load.decimal_comma = true;
        b';'
    } else {
        b','
    };
    let mut blocks = Blocks::new(io::Cursor::new(start).chain(reader), delimiter, BLOCK_SIZE);
    let Some((header, header_line, first)) = read_header(load, &mut blocks, delimiter) else {
        return;
    };
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let Some(layout) = columns::layout(load, &names, header_line) else {
        return;
    };
    let path = load.path().to_path_buf();
    let rows = Rows {
        layout: &layout,
        width: header.len(),
        delimiter,
        decimal_comma: load.decimal_comma,
        file: load.file,
        path: &path,
    };
    let count = read_rows(load, &rows, first, &mut blocks, progress);
    if count == 0 && !blocks.stopped() {
        load.fail(header_line, 0, DataErrorKind::NoRows);
    }
}

/// Finds the header: its fields, its line, and the rest of the block it is
/// in. A World Bank API download (`API_NY.GDP.MKTP.CD_DS2_en_csv_v2.csv`)
/// opens with `"Data Source"` and `"Last Updated Date"` lines before it.
fn read_header<R: Read>(
    load: &mut FileLoad<'_>,
    blocks: &mut Blocks<R>,
    delimiter: u8,
) -> Option<(Vec<String>, u32, Block)> {
    let mut first = match next_block(load, blocks) {
        Some(block) => block,
        None => {
            if !blocks.stopped() {
                load.fail(0, 0, DataErrorKind::EmptyFile);
            }
            return None;
        }
    };
    loop {
        let mut csv = reader(&first.bytes, delimiter);
        let mut lines = Lines::new(&first.bytes, first.first_line);
        let mut record = ByteRecord::new();
        let mut line = read_record(&mut csv, &mut record, &mut lines);
        if line.is_some() && record.get(0).map(|f| f.trim_ascii()) == Some(b"Data Source") {
            while line.is_some() && record.get(0).map(|f| f.trim_ascii()) != Some(b"Country Name") {
                line = read_record(&mut csv, &mut record, &mut lines);
            }
        }
        let end = csv.position().byte() as usize;
        // The header's block may end before the header does (a long preamble):
        // then read on.
        if (line.is_none() || end >= first.bytes.len())
            && let Some(next) = next_block(load, blocks)
        {
            first.bytes.extend_from_slice(&next.bytes);
            first.lines = first.lines.saturating_add(next.lines);
            continue;
        }
        let Some(line) = line else {
            if !blocks.stopped() {
                load.fail(0, 0, DataErrorKind::EmptyFile);
            }
            return None;
        };
        let fields = match record
            .iter()
            .map(std::str::from_utf8)
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(fields) => fields.iter().map(|f| f.to_string()).collect(),
            Err(_) => {
                load.fail(line, 0, DataErrorKind::HeaderNotUtf8);
                return None;
            }
        };
        let end = end.min(first.bytes.len());
        let lines = count_lines(&first.bytes[..end]);
        let rest = Block {
            bytes: first.bytes.split_off(end),
            first_line: first.first_line.saturating_add(lines),
            lines: first.lines.saturating_sub(lines),
        };
        return Some((fields, line, rest));
    }
}

/// The next block, or `None` at the end of the file or after an I/O error
/// (which is reported).
fn next_block<R: Read>(load: &mut FileLoad<'_>, blocks: &mut Blocks<R>) -> Option<Block> {
    match blocks.next_block() {
        Ok(block) => block,
        Err(error) => {
            fail(load, error, blocks.line());
            None
        }
    }
}

/// Reports why a block could not be read; `line` is where reading stood.
fn fail(load: &mut FileLoad<'_>, error: BlockError, line: u32) {
    match error {
        BlockError::Io(error) => load.fail(line, 0, io_error(&error)),
        BlockError::TooLong { line } => {
            load.fail(line, 0, DataErrorKind::RecordTooLong { limit: MAX_RECORD });
        }
    }
}

/// What parsing a block needs to know of its file.
struct Rows<'a> {
    layout: &'a Layout,
    width: usize,
    delimiter: u8,
    decimal_comma: bool,
    file: u16,
    path: &'a Path,
}

impl Rows<'_> {
    /// Parses the rows of a block into a log; also gives the number of rows
    /// (blank lines and World Bank footers are not rows).
    fn parse(&self, block: &Block) -> (RowLog, u64) {
        let mut log = RowLog::new(self.file, self.path, self.decimal_comma);
        // A row a line, about (a wide line makes more, a blank one none):
        // room for them all at once, not grown by copying as rows come.
        log.reserve(block.lines as usize + 1);
        let mut rows = 0;
        records(block, self.delimiter, |record, line| {
            if record.iter().all(|f| f.trim_ascii().is_empty()) {
                return;
            }
            if self.layout.world_bank && is_world_bank_footer(&record) {
                return;
            }
            rows += 1;
            if self.layout.periods.is_empty() {
                long_row(&mut log, self.layout, &record, line, self.width);
            } else {
                super::csv_wide::row(&mut log, self.layout, &record, line, self.width);
            }
        });
        (log, rows)
    }
}

/// Parses the blocks of a file, `first` and the rest of `blocks`, and hands
/// their rows to `load` in file order; gives the number of rows. A file of
/// one block is parsed here, a longer one on every core.
///
/// A longer file is also read on a thread of its own, a block ahead:
/// applying rows to the dataset here is the one step that cannot be shared,
/// so nothing else waits on it.
fn read_rows<R: Read + Send>(
    load: &mut FileLoad<'_>,
    rows: &Rows<'_>,
    first: Block,
    blocks: &mut Blocks<R>,
    progress: &mut dyn FnMut(u64),
) -> u64 {
    let Some(second) = next_block(load, blocks) else {
        let (log, count) = rows.parse(&first);
        log.apply(load);
        return count;
    };
    std::thread::scope(|scope| {
        // Each block read, with how far into the file the blocks then
        // reach and the line an error is on.
        let (sender, read_ahead) = mpsc::sync_channel(READ_AHEAD);
        // The bytes of each block parsed, back to the reader to read into.
        let (give_back, given_back) = mpsc::channel();
        scope.spawn(move || {
            loop {
                for bytes in given_back.try_iter() {
                    blocks.recycle(bytes);
                }
                let block = blocks.next_block();
                let done = !matches!(block, Ok(Some(_)));
                if sender
                    .send((block, blocks.offset(), blocks.line()))
                    .is_err()
                    || done
                {
                    break;
                }
            }
        });
        let mut count = 0;
        let mut offset = 0;
        let mut read = [first, second].into_iter();
        let next = |load: &mut FileLoad<'_>, offset: &mut u64| {
            let (block, reached, line) = read_ahead.recv().ok()?;
            *offset = reached;
            match block {
                Ok(block) => block,
                Err(error) => {
                    fail(load, error, line);
                    None
                }
            }
        };
        let mut state = (load, &mut offset);
        // Each block in flight holds 2 MiB and its log.
        parallel::ordered(
            2,
            &mut state,
            |(load, offset)| read.next().or_else(|| next(load, offset)),
            |block| {
                let parsed = rows.parse(&block);
                // The reader may be gone (it stopped at an error): then the
                // bytes are freed here.
                let _ = give_back.send(block.bytes);
                parsed
            },
            |(load, offset), (log, rows)| {
                log.apply(load);
                count += rows;
                progress(**offset);
                Flow::Continue
            },
        );
        count
    })
}

/// Blocks read ahead of the one being given out.
const READ_AHEAD: usize = 1;

/// A csv reader of whole records in memory.
fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// Reads the next record of a block; the record's line, or `None` at the end. Records in memory cannot fail to
/// read (fields are bytes; UTF-8 is checked field by field later).
fn read_record(
    csv: &mut csv::Reader<&[u8]>,
    record: &mut ByteRecord,
    lines: &mut Lines<'_>,
) -> Option<u32> {
    match csv.read_byte_record(record) {
        Ok(true) => Some(lines.of(record.position().map_or(0, |p| p.byte()))),
        Ok(false) | Err(_) => None,
    }
}

/// The fields of one record, as bytes: where each lies in `bytes`.
pub(crate) struct RawRecord<'r> {
    bytes: &'r [u8],
    fields: &'r [Range<usize>],
    /// `bytes` as text, when they are known to be UTF-8 and every field to
    /// start and end at a character boundary (fields split at ASCII
    /// separators of UTF-8 text).
    text: Option<&'r str>,
}

impl<'r> RawRecord<'r> {
    fn len(&self) -> usize {
        self.fields.len()
    }

    fn iter(&self) -> impl Iterator<Item = &'r [u8]> + '_ {
        self.fields.iter().map(|range| &self.bytes[range.clone()])
    }
}

/// Hands each record of a block and its line to `each`, blank lines left
/// out (as the csv crate leaves them out).
///
/// A block without a `"` needs no CSV parser: its records are its lines
/// (ending at `\n` or a lone `\r`, as `blocks.rs` leaves them) and their
/// fields are what lies between separators, which is what the csv crate
/// makes of such text too; its UTF-8 is checked once for the whole block.
/// A block with quotes goes through the csv crate.
fn records(block: &Block, delimiter: u8, each: impl FnMut(RawRecord<'_>, u32)) {
    if memchr::memchr(b'"', &block.bytes).is_some() {
        csv_records(block, delimiter, each);
    } else {
        plain_records(block, delimiter, each);
    }
}

/// The records of a block, read by the csv crate.
fn csv_records(block: &Block, delimiter: u8, mut each: impl FnMut(RawRecord<'_>, u32)) {
    let bytes = &block.bytes[..];
    let mut fields = Vec::new();
    let mut csv = reader(bytes, delimiter);
    let mut lines = Lines::new(bytes, block.first_line);
    let mut record = ByteRecord::new();
    while let Some(line) = read_record(&mut csv, &mut record, &mut lines) {
        fields.clear();
        fields.extend((0..record.len()).filter_map(|i| record.range(i)));
        let bytes = record.as_slice();
        each(
            RawRecord {
                bytes,
                fields: &fields,
                text: None,
            },
            line,
        );
    }
}

/// The records of a block without quotes: its lines, split at separators.
fn plain_records(block: &Block, delimiter: u8, mut each: impl FnMut(RawRecord<'_>, u32)) {
    let bytes = &block.bytes[..];
    let text = std::str::from_utf8(bytes).ok();
    let mut fields = Vec::new();
    let mut line = block.first_line;
    // Where the current line and field start.
    let mut start = 0;
    let mut field = 0;
    let mut record = |fields: &[Range<usize>], line| {
        each(
            RawRecord {
                bytes,
                fields,
                text,
            },
            line,
        );
    };
    for at in Separators::new(bytes, delimiter) {
        fields.push(field..at);
        field = at + 1;
        if bytes[at] != delimiter {
            // A line end: an empty line is no record.
            if at > start {
                record(&fields, line);
            }
            fields.clear();
            line = line.saturating_add(1);
            start = at + 1;
        }
    }
    if start < bytes.len() {
        fields.push(field..bytes.len());
        record(&fields, line);
    }
}

/// The positions of the delimiters and line ends (`\n`, `\r`) of some
/// bytes, in order.
///
/// Fields are short, so a search restarted at each would be slow; instead
/// the bytes are read eight at a time, with a bit set for each separator
/// among them ([`zero_bytes`] of the word xor each separator repeated), and
/// the bits are taken lowest first.
struct Separators<'b> {
    words: std::slice::ChunksExact<'b, u8>,
    delimiter: u8,
    /// Where the next word starts (the current one 8 bytes before), and
    /// the current word's separators not yet given.
    next_at: usize,
    found: u64,
    /// The bytes after the last whole word, read one by one.
    rest: std::iter::Enumerate<std::slice::Iter<'b, u8>>,
}

impl<'b> Separators<'b> {
    fn new(bytes: &'b [u8], delimiter: u8) -> Separators<'b> {
        let words = bytes.chunks_exact(8);
        let rest = words.remainder().iter().enumerate();
        Separators {
            words,
            delimiter,
            next_at: 0,
            found: 0,
            rest,
        }
    }
}

impl Iterator for Separators<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let repeated = |byte: u8| u64::from_ne_bytes([byte; 8]);
        while self.found == 0 {
            let Some(word) = self.words.next() else {
                // The last few bytes; `next_at` is where they start.
                let (i, _) = self
                    .rest
                    .find(|&(_, &b)| b == self.delimiter || b == b'\n' || b == b'\r')?;
                return Some(self.next_at + i);
            };
            self.next_at += 8;
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            self.found = zero_bytes(word ^ repeated(self.delimiter))
                | zero_bytes(word ^ repeated(b'\n'))
                | zero_bytes(word ^ repeated(b'\r'));
        }
        let at = self.next_at - 8 + self.found.trailing_zeros() as usize / 8;
        self.found &= self.found - 1;
        Some(at)
    }
}

/// The high bit of each byte of `word` that is zero, and no other bit (the
/// exact form of the test: no borrow from one byte into the next).
fn zero_bytes(word: u64) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((word & LOW_SEVEN) + LOW_SEVEN) | word | LOW_SEVEN)
}

/// The lines World Bank DataBank appends after the data
/// (`Data from database: …`, `Last Updated: …`).
fn is_world_bank_footer(record: &RawRecord<'_>) -> bool {
    let mut fields = record.iter();
    let first = fields.next().unwrap_or_default();
    let rest_empty = fields.all(|f| f.trim_ascii().is_empty());
    rest_empty && (first.starts_with(b"Data from database:") || first.starts_with(b"Last Updated:"))
}

pub(crate) fn io_error(error: &std::io::Error) -> DataErrorKind {
    match error.kind() {
        std::io::ErrorKind::NotFound => DataErrorKind::NotFound,
        kind => DataErrorKind::Unreadable(kind),
    }
}

/// A row whose fields are all UTF-8, checked once for the whole row.
pub(crate) struct Record<'r> {
    /// The row from the start of its first field to the end of its last.
    text: &'r str,
    /// Where `text` starts in the bytes the field ranges index.
    start: usize,
    fields: &'r [Range<usize>],
}

impl<'r> Record<'r> {
    /// Field `index` as text; a field the row lacks is empty.
    pub(crate) fn field(&self, index: usize) -> &'r str {
        self.fields
            .get(index)
            .and_then(|range| {
                self.text
                    .get(range.start - self.start..range.end - self.start)
            })
            .unwrap_or_default()
    }
}

/// The row as text, or what is wrong with its width or the UTF-8 of its
/// fields, and the column.
pub(crate) fn check_row<'r>(
    record: &RawRecord<'r>,
    width: usize,
) -> Result<Record<'r>, (u32, DataErrorKind)> {
    if record.len() != width {
        let kind = DataErrorKind::Ragged {
            fields: record.len(),
            expected: width,
        };
        return Err((0, kind));
    }
    let not_utf8 = |index: usize| (index as u32 + 1, DataErrorKind::NotUtf8);
    let start = record.fields.first().map_or(0, |f| f.start);
    let end = record.fields.last().map_or(0, |f| f.end);
    if let Some(text) = record.text.and_then(|text| text.get(start..end)) {
        return Ok(Record {
            text,
            start,
            fields: record.fields,
        });
    }
    let Ok(text) = std::str::from_utf8(&record.bytes[start..end]) else {
        let index = record
            .iter()
            .position(|f| std::str::from_utf8(f).is_err())
            .unwrap_or_default();
        return Err(not_utf8(index));
    };
    // The row is UTF-8 as a whole; each field is on its own only if no
    // character straddles two of them (fields the csv crate unquoted lie
    // side by side).
    let straddled = record.fields.iter().position(|r| {
        !text.is_char_boundary(r.start - start) || !text.is_char_boundary(r.end - start)
    });
    match straddled {
        Some(index) => Err(not_utf8(index)),
        None => Ok(Record {
            text,
            start,
            fields: record.fields,
        }),
    }
}

/// The indicator of a row.
pub(crate) fn indicator<'t>(layout: &'t Layout, record: &Record<'t>) -> Field<'t> {
    match &layout.indicator {
        IndicatorFrom::Constant(name) => Field::new(name, 0),
        IndicatorFrom::Column(index) => Field::new(record.field(*index), *index as u32 + 1),
        IndicatorFrom::Dataflow(index) => Field::new(
            columns::dataflow_id(record.field(*index)),
            *index as u32 + 1,
        ),
    }
}

/// Pushes a row's dimensions (columns and constants).
pub(crate) fn push_dims(load: &mut impl RowSink, layout: &Layout, record: &Record<'_>) {
    load.clear_dims();
    for &(dim, index) in &layout.dims {
        load.push_dim(dim, record.field(index));
    }
    for &(dim, value) in &layout.constants {
        load.push_interned_dim(dim, value);
    }
}

fn long_row(
    load: &mut impl RowSink,
    layout: &Layout,
    record: &RawRecord<'_>,
    line: u32,
    width: usize,
) {
    let record = match check_row(record, width) {
        Ok(record) => record,
        Err((column, kind)) => return load.reject(1, line, column, kind),
    };
    let column_field = |index: usize| Field::new(record.field(index), index as u32 + 1);
    let scaled_unit = match scaled_unit(layout, &record) {
        Ok(unit) => unit,
        Err((column, kind)) => return load.reject(1, line, column, *kind),
    };
    push_dims(load, layout, &record);
    // The header has both columns, or the file stopped there.
    let (Some(period), Some(value)) = (layout.period, layout.value) else {
        return load.reject(1, line, 0, DataErrorKind::EmptyPeriod);
    };
    load.add_row(&Row {
        line,
        indicator: indicator(layout, &record),
        unit: match (&scaled_unit, layout.unit) {
            (Some((text, column)), _) => Some(Field::new(text, *column)),
            (None, unit) => unit.map(column_field),
        },
        period: PeriodField::Text(column_field(period)),
        value: column_field(value),
    });
}

/// Why a field rejects its row: the field's column and the reason.
type Rejected = (u32, Box<DataErrorKind>);

/// A row's unit with its SDMX `UNIT_MULT` folded in (`USD` with 6 is
/// `million USD`), and the unit's column; `None` when there is nothing to fold.
fn scaled_unit(layout: &Layout, record: &Record<'_>) -> Result<Option<(String, u32)>, Rejected> {
    let Some(mult_index) = layout.unit_mult else {
        return Ok(None);
    };
    let mult = record.field(mult_index).trim();
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
        Some(i) => (record.field(i).trim(), i as u32 + 1),
        None => ("", mult_index as u32 + 1),
    };
    Ok(Some((
        format!("{scale} {unit}").trim_end().to_string(),
        column,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A reader of the records of a block: `plain_records` or `csv_records`.
    type Reader = fn(&Block, u8, &mut dyn FnMut(RawRecord<'_>, u32));

    /// Each record's line and fields, as one of the readers of a block gives them.
    fn read(reader: Reader, bytes: &[u8], delimiter: u8) -> Vec<(u32, Vec<Vec<u8>>)> {
        let block = Block {
            bytes: bytes.to_vec(),
            first_line: 7,
            lines: count_lines(bytes),
        };
        let mut out = Vec::new();
        reader(&block, delimiter, &mut |record, line| {
            out.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        });
        out
    }

    proptest! {
        /// A block without quotes reads the same split directly as through
        /// the csv crate: the same records, fields and lines.
        #[test]
        fn quote_free_blocks_split_as_the_csv_crate_reads_them(
            text in proptest::collection::vec(
                prop_oneof![
                    Just(","), Just(";"), Just("\t"), Just("\n"), Just("\r"), Just(" "),
                    Just("a"), Just("IND1"), Just("2020"), Just("-1.5e3"), Just("é"), Just("€"),
                ],
                0..60,
            ),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
        ) {
            let bytes = text.concat().into_bytes();
            let plain = read(|b, d, each| plain_records(b, d, each), &bytes, delimiter);
            let csv = read(|b, d, each| csv_records(b, d, each), &bytes, delimiter);
            prop_assert_eq!(plain, csv);
        }

        /// Separators found eight bytes at a time are those a byte at a
        /// time finds.
        #[test]
        fn separators_are_every_delimiter_and_line_end(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'\n'), Just(b'\r'), Just(0u8), Just(0x80u8), any::<u8>()],
                0..60,
            ),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(0u8)],
        ) {
            let found: Vec<usize> = Separators::new(&bytes, delimiter).collect();
            let expected: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == delimiter || b == b'\n' || b == b'\r')
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn a_plain_block_of_utf8_is_checked_once_and_invalid_bytes_are_found_per_row() {
        let block = Block {
            bytes: b"a,\xC3\xA9\nb,\xFF\n".to_vec(),
            first_line: 1,
            lines: 2,
        };
        let mut rows = Vec::new();
        plain_records(&block, b',', |record, line| {
            rows.push((
                line,
                record.text.is_some(),
                check_row(&record, 2).map(|r| r.field(1).to_string()),
            ));
        });
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 1);
        assert!(!rows[0].1, "the block is not UTF-8 as a whole");
        assert_eq!(rows[0].2.as_ref().ok().map(String::as_str), Some("é"));
        assert_eq!(rows[1].0, 2);
        assert!(matches!(rows[1].2, Err((2, DataErrorKind::NotUtf8))));
    }
}
