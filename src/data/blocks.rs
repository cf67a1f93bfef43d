//! A CSV file cut into blocks of whole records, so that blocks can be
//! parsed on several threads.
//!
//! A block ends just after a line end that ends a record: a `\n`, or a
//! lone `\r` as in files from old Macs. One inside a quoted field does not
//! end one, so when a block holds a quote the cut is found by following the
//! quoting rules of the csv crate (a field is quoted when it starts with
//! `"`; inside it `""` is a quote; a quote elsewhere is an ordinary
//! character); a block without quotes is cut at its last line end. Every
//! block starts at the start of a record, which is what makes this work:
//! the scan of a block starts outside quotes. A record longer than
//! [`MAX_RECORD`] stops the reading, so memory stays bounded whatever the
//! file holds.
//!
//! Each block knows the line it starts on, and [`Lines`] gives the line of
//! each record in it, so errors name the line an editor shows: lines end at
//! `\n`, `\r\n` or a lone `\r`, blank lines included (the csv crate's own
//! line numbers leave some blank lines out). `\r\n` becomes `\n` within a
//! block ([`crlf_as_lf`]); a cut never falls between the two.

use std::io::{self, Read};

/// How much of the file a block holds, about.
pub(crate) const BLOCK_SIZE: usize = 1 << 21;

/// The longest record read. A longer one is not a row of a data file (more
/// likely a binary file, or text without line ends), and holding it would
/// take memory without bound.
pub(crate) const MAX_RECORD: usize = 16 << 20;

/// Why the next block could not be read.
#[derive(Debug)]
pub(crate) enum BlockError {
    Io(io::Error),
    /// The record starting on `line` is longer than [`MAX_RECORD`].
    TooLong {
        line: u32,
    },
}

impl From<io::Error> for BlockError {
    fn from(error: io::Error) -> BlockError {
        BlockError::Io(error)
    }
}

/// Whole records of a file, `\r\n` read as `\n`, and the line the first
/// one starts on.
#[derive(Debug)]
pub(crate) struct Block {
    pub(crate) bytes: Vec<u8>,
    pub(crate) first_line: u32,
    /// The line ends it holds ([`count_lines`]).
    pub(crate) lines: u32,
}

/// Reads a file block by block.
pub(crate) struct Blocks<R> {
    reader: R,
    delimiter: u8,
    size: usize,
    /// Bytes read past the end of the last block.
    rest: Vec<u8>,
    /// Buffers of blocks already parsed, to read the next blocks into
    /// ([`Blocks::recycle`]).
    spare: Vec<Vec<u8>>,
    /// The line the next block starts on.
    line: u32,
    /// Bytes handed out so far.
    offset: u64,
    eof: bool,
    stopped: bool,
}

impl<R: Read> Blocks<R> {
    /// Blocks of `reader` (which starts at a record) of about `size` bytes.
    pub(crate) fn new(reader: R, delimiter: u8, size: usize) -> Blocks<R> {
        Blocks {
            reader,
            delimiter,
            size: size.max(1),
            rest: Vec::new(),
            spare: Vec::new(),
            line: 1,
            offset: 0,
            eof: false,
            stopped: false,
        }
    }

    /// The line the next block starts on.
    pub(crate) fn line(&self) -> u32 {
        self.line
    }

    /// How many bytes of the file the blocks so far hold.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// Whether reading stopped at an error: the blocks so far are all.
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Takes back the bytes of a block that is done with, for a later block
    /// to be read into: a new buffer is memory the kernel must clear and
    /// map page by page as the file is read into it, and a freed one goes
    /// back to it. One grown far past the block size for a long record is
    /// let go, so that it does not stay held for the rest of the file.
    pub(crate) fn recycle(&mut self, bytes: Vec<u8>) {
        if bytes.capacity() <= 2 * self.size {
            self.spare.push(bytes);
        }
    }

    /// The next block, `None` at the end of the file and after an error.
    pub(crate) fn next_block(&mut self) -> Result<Option<Block>, BlockError> {
        if self.stopped {
            return Ok(None);
        }
        let block = self.read_block();
        self.stopped = block.is_err();
        block
    }

    fn read_block(&mut self) -> Result<Option<Block>, BlockError> {
        let mut bytes = self.spare.pop().unwrap_or_default();
        bytes.clear();
        bytes.extend_from_slice(&self.rest);
        let mut want = self.size;
        let cut = loop {
            self.fill(&mut bytes, want)?;
            if self.eof {
                break bytes.len();
            }
            if let Some(cut) = last_record_end(&bytes, self.delimiter) {
                break cut;
            }
            // One record longer than a block: read on until it ends, up to
            // the limit.
            if bytes.len() >= MAX_RECORD {
                let blank = bytes
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
                let mut blank = bytes[..blank].to_vec();
                crlf_as_lf(&mut blank);
                let line = self.line.saturating_add(count_lines(&blank));
                return Err(BlockError::TooLong { line });
            }
            want = bytes.len() + self.size;
        };
        if bytes.is_empty() {
            return Ok(None);
        }
        self.rest.clear();
        self.rest.extend_from_slice(&bytes[cut..]);
        bytes.truncate(cut);
        self.offset += bytes.len() as u64;
        crlf_as_lf(&mut bytes);
        let first_line = self.line;
        let lines = count_lines(&bytes);
        self.line = self.line.saturating_add(lines);
        Ok(Some(Block {
            bytes,
            first_line,
            lines,
        }))
    }

    /// Reads until `bytes` holds `want` bytes or the file ends.
    fn fill(&mut self, bytes: &mut Vec<u8>, want: usize) -> io::Result<()> {
        if bytes.len() < want && !self.eof {
            let wanted = want - bytes.len();
            bytes.reserve(wanted);
            let read = (&mut self.reader).take(wanted as u64).read_to_end(bytes)?;
            self.eof = read < wanted;
        }
        Ok(())
    }
}

/// The position just after the last line end of `bytes` that ends a record
/// (a `\n`, or a `\r` known not to start a `\r\n`),
/// for bytes that start at the start of a record.
pub(crate) fn last_record_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
    if memchr::memchr(b'"', bytes).is_none() {
        let mut end = bytes.len();
        while let Some(i) = memchr::memrchr2(b'\n', b'\r', &bytes[..end]) {
            // A `\r` last in the bytes may be the first half of a `\r\n`.
            if bytes[i] == b'\n' || i + 1 < bytes.len() {
                return Some(i + 1);
            }
            end = i;
        }
        return None;
    }
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// A `"` inside a quoted field: the end of the quotes, or the first
        /// of `""`.
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut end = None;
    for (i, &byte) in bytes.iter().enumerate() {
        state = match (state, byte) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::FieldStart, b'"') | (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b'\n') => {
                end = Some(i + 1);
                State::FieldStart
            }
            (_, b'\r') => {
                if bytes.get(i + 1).is_some_and(|&next| next != b'\n') {
                    end = Some(i + 1);
                }
                State::FieldStart
            }
            (_, b) if b == delimiter => State::FieldStart,
            _ => State::Unquoted,
        };
    }
    end
}

/// The number of line ends in bytes whose `\r\n`s were made `\n`s: every
/// `\n`, and every `\r` (one left was a line end of its own).
pub(crate) fn count_lines(bytes: &[u8]) -> u32 {
    // Counted a byte at a time in runs short enough for a byte counter,
    // which the compiler does 32 bytes at once: a search stopping at every
    // line end costs more when lines are a few dozen bytes.
    let count: usize = bytes
        .chunks(255)
        .map(|run| {
            let ends = run
                .iter()
                .fold(0u8, |n, &b| n + u8::from(b == b'\n') + u8::from(b == b'\r'));
            usize::from(ends)
        })
        .sum();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// The lines of the records of a block, in order.
pub(crate) struct Lines<'b> {
    bytes: &'b [u8],
    counted: usize,
    line: u32,
}

impl<'b> Lines<'b> {
    pub(crate) fn new(bytes: &'b [u8], first_line: u32) -> Lines<'b> {
        Lines {
            bytes,
            counted: 0,
            line: first_line,
        }
    }

    /// The line of the record the csv crate says starts at byte `start`
    /// (records must come in order). Its position is that of any blank
    /// lines before it, so they are skipped first.
    pub(crate) fn of(&mut self, start: u64) -> u32 {
        let start = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        let blank = self.bytes[start..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let start = (start + blank).max(self.counted);
        self.line = self
            .line
            .saturating_add(count_lines(&self.bytes[self.counted..start]));
        self.counted = start;
        self.line
    }
}

/// Turns each `\r\n` into `\n` in place (a lone `\r` stays).
fn crlf_as_lf(bytes: &mut Vec<u8>) {
    let Some(first) = memchr::memchr(b'\r', bytes) else {
        return;
    };
    let mut write = first;
    let mut read = first;
    while read < bytes.len() {
        let next = memchr::memchr(b'\r', &bytes[read + 1..]).map_or(bytes.len(), |i| read + 1 + i);
        // bytes[read] is a `\r`; copy it unless a `\n` follows, then the run
        // up to the next `\r`.
        let from = if bytes.get(read + 1) == Some(&b'\n') {
            read + 1
        } else {
            read
        };
        bytes.copy_within(from..next, write);
        write += next - from;
        read = next;
    }
    bytes.truncate(write);
}

#[cfg(test)]
mod tests {
    // The cut is private and easy to get subtly wrong, so it is tested here
    // against the csv crate itself; the loaders' behaviour is tested in
    // `tests/`.
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Line ends counted in runs are every `\n` and `\r`, however many
        /// there are in a run (up to all 255 of its bytes).
        #[test]
        fn line_ends_are_every_newline_and_carriage_return(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'a'), any::<u8>()],
                0..1200,
            ),
            all_ends in proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r')], 0..600),
        ) {
            for bytes in [&bytes, &all_ends] {
                let expected = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
                prop_assert_eq!(count_lines(bytes) as usize, expected);
            }
        }
    }

    /// The first field and line of each record of a block.
    fn records(bytes: &[u8], first_line: u32) -> Vec<(u32, Vec<u8>)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut lines = Lines::new(bytes, first_line);
        let mut out = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let line = lines.of(record.position().unwrap().byte());
            out.push((line, record[0].to_vec()));
        }
        out
    }

    #[test]
    fn blocks_of_any_size_give_the_records_and_lines_of_the_file() {
        let text: &[u8] = b"a,b,c\n1,\"x\ny\",2\n\n3,\"q\"\"\n\",4\r\n5,ab\"c,6\n\"7\"x,\"\",8\r\r\n9,\"\n\n\",\"\n";
        let expected: Vec<(u32, Vec<u8>)> = [
            (1, &b"a"[..]),
            (2, b"1"),
            (5, b"3"),
            (7, b"5"),
            (8, b"7x"),
            (10, b"9"),
        ]
        .iter()
        .map(|(line, field)| (*line, field.to_vec()))
        .collect();
        for size in 1..text.len() + 2 {
            // Read into new buffers, and into those of earlier blocks (with
            // their old bytes still in them).
            for recycled in [false, true] {
                let mut blocks = Blocks::new(text, b',', size);
                let mut got = Vec::new();
                while let Some(block) = blocks.next_block().unwrap() {
                    got.extend(records(&block.bytes, block.first_line));
                    if recycled {
                        blocks.recycle(block.bytes);
                    }
                }
                assert_eq!(got, expected, "block size {size}, recycled {recycled}");
            }
        }
    }

    #[test]
    fn lone_cr_line_ends_cut_blocks() {
        let text = b"a,b\r1,2\r3,4\r\n5,\"6\r\"\r7,8\r".repeat(50);
        let mut blocks = Blocks::new(&text[..], b',', 16);
        let mut count = 0;
        while let Some(block) = blocks.next_block().unwrap() {
            assert!(block.bytes.len() <= 32, "{} bytes", block.bytes.len());
            count += records(&block.bytes, block.first_line).len();
        }
        assert_eq!(count, 50 * 5);
    }

    #[test]
    fn a_record_longer_than_the_limit_stops_reading_at_its_line() {
        let mut text = b"a,b\n1,2\r\n\r\n\n".to_vec();
        text.resize(text.len() + MAX_RECORD + 10, b'x');
        text.extend_from_slice(b"\n3,4\n");
        let mut blocks = Blocks::new(&text[..], b',', BLOCK_SIZE);
        let first = blocks.next_block().unwrap().unwrap();
        assert_eq!(first.bytes, b"a,b\n1,2\n\n\n");
        match blocks.next_block() {
            Err(BlockError::TooLong { line }) => assert_eq!(line, 5),
            other => panic!("expected a record too long, got {other:?}"),
        }
        assert!(blocks.stopped());
        assert!(blocks.next_block().unwrap().is_none());
    }

    #[test]
    fn crlf_becomes_lf_and_a_lone_cr_stays() {
        let mut bytes = b"a\r\nb\rc\r\n\r\r\nd\r".to_vec();
        crlf_as_lf(&mut bytes);
        assert_eq!(bytes, b"a\nb\rc\n\r\nd\r");
    }
}
