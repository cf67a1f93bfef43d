//! The text report, written through `report::write` from hand-built results.

mod common;

use std::io::{self, Write};

use common::results;
use ontrack::eval::Evaluation;
use ontrack::report::{self, Format, Report};

fn text(evaluation: &Evaluation, color: bool) -> String {
    let rules = results::rule_sets();
    let accounts = results::accounts();
    let report = Report {
        data_warnings: 2,
        ..Report::new(evaluation, &rules, &accounts)
    };
    let mut out = Vec::new();
    report::write(Format::Text, &report, &mut out, color).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn one_result_of_each_status_grouped_by_file_and_section() {
    insta::assert_snapshot!(text(&results::evaluation(), false));
}

#[test]
fn no_results_still_gives_the_summary_and_the_row_accounting() {
    let evaluation = Evaluation {
        as_of: results::as_of(),
        results: Vec::new(),
    };
    insta::assert_snapshot!(text(&evaluation, false), @r"
    0 results
    data.csv: 1,204 rows read = 1,180 loaded + 20 missing + 4 rejected
    estat.yaml: 1 row read = 1 loaded + 0 missing + 0 rejected
    2 data warnings
    ");
}

#[test]
fn colour_marks_status_tags_only_when_asked() {
    let plain = text(&results::evaluation(), false);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let coloured = text(&results::evaluation(), true);
    let green = "\u{1b}[1m\u{1b}[32m";
    let red = "\u{1b}[1m\u{1b}[31m";
    let yellow = "\u{1b}[1m\u{1b}[33m";
    for (style, tag) in [
        (green, "MET      "),
        (green, "ACHIEVED "),
        (green, "ON TRACK "),
        (red, "MISSED   "),
        (red, "OFF TRACK"),
        (red, "ERROR    "),
        (yellow, "NO DATA  "),
    ] {
        assert!(
            coloured.contains(&format!("{style}{tag}\u{1b}[0m")),
            "{tag}: {coloured:?}"
        );
    }
    // Without the escape codes the coloured report is the plain one.
    let stripped = strip_ansi(&coloured);
    assert_eq!(stripped, plain);
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn rates_keep_a_small_change_visible_and_ratios_stay_in_their_category() {
    use ontrack::report::text::{percent, ratio_percent};
    assert_eq!(percent(0.031), "3.1%");
    assert_eq!(percent(-0.004), "-0.4%");
    assert_eq!(percent(0.0004), "0.040%");
    assert_eq!(percent(0.0), "0.0%");
    assert_eq!(percent(f64::NAN), "n/a");
    assert_eq!(ratio_percent(0.775), "78%");
    assert_eq!(ratio_percent(0.9496), "94%");
    assert_eq!(ratio_percent(0.95), "95%");
    assert_eq!(ratio_percent(0.5996), "59%");
    assert_eq!(ratio_percent(0.0), "0%");
    assert_eq!(ratio_percent(-0.004), "-1%");
    assert_eq!(ratio_percent(-0.08), "-8%");
}

/// A writer that takes `limit` bytes and then reports a closed pipe.
struct ClosingPipe {
    written: usize,
    limit: usize,
}

impl Write for ClosingPipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written >= self.limit {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let n = buf.len().min(self.limit - self.written);
        self.written += n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// 200,000 results stream out: a reader that stops early stops the writer
/// with the pipe's error, and a full write completes.
#[test]
fn a_large_run_streams_and_stops_at_a_closed_pipe() {
    let template = results::results();
    let evaluation = Evaluation {
        as_of: results::as_of(),
        results: (0..200_000)
            .map(|i| template[i % template.len()].clone())
            .collect(),
    };
    let rules = results::rule_sets();
    let accounts = results::accounts();
    let report = Report::new(&evaluation, &rules, &accounts);
    for format in Format::ALL {
        let mut pipe = ClosingPipe {
            written: 0,
            limit: 64 * 1024,
        };
        let error = report::write(format, &report, &mut pipe, false).expect_err("pipe closes");
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe, "{format}");
        let mut counter = Counter(0);
        report::write(format, &report, &mut counter, false).expect("full write");
        assert!(counter.0 > 10_000_000, "{format}: {} bytes", counter.0);
    }
}

struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
