//! Hostile text from rule files and data (markup, separators, line breaks,
//! control characters, bidirectional overrides) through every report
//! format: each output stays well-formed, and what it carries reads back.

mod common;

use std::path::PathBuf;

use common::results;
use ontrack::data::period::Period;
use ontrack::eval::{Evaluation, Gap, RuleSet, Status, TargetLevel, TargetResult};
use ontrack::report::{self, Format, Report};
use ontrack::syntax::ast::Severity;

const HOSTILE: &str = "<script>alert(1)</script> | a|b ]]> &amp; &lt; \"q\" 'a' `t` \
                       # h - i *b* _u_ [l](http://x) ~s~ 50% %0A %25 a,b:c ::error::x \
                       line1\nline2\r\nline3\rend\ttab \u{0}nul \u{1b}[31mred \u{7f}del \
                       \u{202e}rtl\u{200f} \u{2066}iso\u{2069} \u{feff} \u{fffe} \u{2028} é 中文";

fn hostile(tag: &str) -> String {
    format!("{tag}: {HOSTILE}")
}

fn rule_sets() -> Vec<RuleSet> {
    // The rule language's strings can hold `\n`, `\t`, quotes and anything
    // but a raw line break.
    let text = "title \"T <b>|</b> ]]> \\n# x \\\"q\\\" \\t%0A\"\n\
                source \"S & <i> | `c`\"\n\
                target t: x >= 1 by 2025\n";
    vec![RuleSet {
        path: PathBuf::from(hostile_path()),
        file: ontrack::syntax::parse(text).expect("parses"),
    }]
}

fn hostile_path() -> String {
    "rules/<x>|y, z:w %0A ]]>.targets".to_string()
}

fn evaluation() -> Evaluation {
    let mut results = Vec::new();
    for (i, status) in Status::ALL.into_iter().enumerate() {
        let mut result = results::results()[0].clone();
        result.id = hostile("id");
        result.name = format!("{}[dim={}]", result.id, hostile("value"));
        result.entity = Some(("dim".to_string(), hostile("value")));
        result.file = PathBuf::from(hostile_path());
        result.line = 10 + i as u32;
        result.section = Some(hostile("section"));
        result.status = status;
        result.severity = if i % 2 == 0 {
            Severity::Error
        } else {
            Severity::Warning
        };
        result.description = Some(hostile("description"));
        result.message = hostile("message");
        result.owner = Some(hostile("owner"));
        result.source = Some(hostile("source"));
        result.quote = Some(hostile("quote"));
        result.tags = vec![hostile("tag")];
        result.progress_note = Some(hostile("note"));
        for value in &mut result.values {
            value.reference = hostile("reference");
            value.series = hostile("series");
            value.unit = Some(hostile("unit"));
        }
        result.target = Some(TargetLevel {
            op: ">=".to_string(),
            value: 1.0,
            display: "1".to_string(),
            unit: Some(hostile("unit")),
        });
        result.gap = Some(Gap {
            absolute: -1.0,
            display: "1".to_string(),
            relative: Some(-0.5),
        });
        result.failing_periods = vec![Period::Year(2024)];
        results.push(result);
    }
    Evaluation {
        as_of: results::as_of(),
        results,
    }
}

fn write(format: Format) -> String {
    let evaluation = evaluation();
    let rules = rule_sets();
    let accounts = vec![ontrack::data::FileAccount {
        path: PathBuf::from(hostile("data")),
        rows_read: 1,
        rows_loaded: 1,
        rows_missing: 0,
        rows_rejected: 0,
    }];
    let report = Report::new(&evaluation, &rules, &accounts);
    let mut out = Vec::new();
    report::write(format, &report, &mut out, false).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

fn results() -> Vec<TargetResult> {
    evaluation().results
}

#[test]
fn json_carries_every_string_exactly() {
    let text = write(Format::Json);
    let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let rules = rule_sets();
    assert_eq!(
        report["rules"][0]["title"],
        rules[0].title().expect("title")
    );
    assert_eq!(report["rules"][0]["file"], hostile_path());
    assert_eq!(report["data"][0]["file"], hostile("data"));
    for (json, result) in report["results"]
        .as_array()
        .expect("results")
        .iter()
        .zip(results())
    {
        assert_eq!(json["id"], result.id);
        assert_eq!(json["name"], result.name);
        assert_eq!(json["entity"]["dim"], hostile("value"));
        assert_eq!(json["file"], hostile_path());
        assert_eq!(json["section"], hostile("section"));
        assert_eq!(json["description"], hostile("description"));
        assert_eq!(json["message"], hostile("message"));
        assert_eq!(json["quote"], hostile("quote"));
        assert_eq!(json["tags"][0], hostile("tag"));
        assert_eq!(json["values"][0]["unit"], hostile("unit"));
    }
    // One result per line: a line break in a string is escaped.
    assert_eq!(text.lines().count(), 2 + Status::ALL.len());
}

/// What an XML 1.0 document can carry of `text`.
fn xml_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => char::REPLACEMENT_CHARACTER,
            c => c,
        })
        .collect()
}

#[test]
fn junit_is_well_formed_and_reads_back() {
    let text = write(Format::Junit);
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let suite = document
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a testsuite");
    assert_eq!(suite.attribute("name"), Some(hostile_path().as_str()));
    let title = suite
        .descendants()
        .find(|n| n.has_tag_name("property") && n.attribute("name") == Some("title"))
        .and_then(|n| n.attribute("value"));
    assert_eq!(title, rule_sets()[0].title().map(xml_safe).as_deref());
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), Status::ALL.len());
    let mut outcomes = 0;
    for (case, result) in cases.iter().zip(results()) {
        assert_eq!(
            case.attribute("name"),
            Some(xml_safe(&result.name).as_str())
        );
        assert_eq!(case.attribute("classname"), Some(hostile_path().as_str()));
        for element in case.children().filter(|n| {
            n.has_tag_name("failure") || n.has_tag_name("error") || n.has_tag_name("skipped")
        }) {
            outcomes += 1;
            assert_eq!(
                element.attribute("message"),
                Some(xml_safe(&hostile("message")).as_str())
            );
        }
        let body: String = case
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        assert!(
            body.contains(&xml_safe(&format!(
                "description: {}",
                hostile("description")
            ))),
            "{body:?}"
        );
        assert!(body.contains(&xml_safe(&format!("quote: {}", hostile("quote")))));
    }
    // Error severity at even indexes: met, achieved, off_track, error of
    // Status::ALL; of those off_track and error fail, and no_data (odd,
    // warning) is skipped.
    assert_eq!(outcomes, 3);
}

/// Decodes a workflow command's message or property value.
fn decode(text: &str, property: bool) -> String {
    let mut out = text.replace("%0D", "\r").replace("%0A", "\n");
    if property {
        out = out.replace("%3A", ":").replace("%2C", ",");
    }
    out.replace("%25", "%")
}

/// What a workflow command can carry of `text`.
fn command_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c.is_control() => char::REPLACEMENT_CHARACTER,
            c => c,
        })
        .collect()
}

#[test]
fn github_commands_stay_on_one_line_and_decode_back() {
    let text = write(Format::Github);
    let lines: Vec<&str> = text.split('\n').filter(|l| !l.is_empty()).collect();
    assert!(!text.contains('\r'));
    // error: off_track, error; warning: the warning-severity missed and
    // no_data (odd indexes: missed, on_track, no_data); then the notice.
    let annotated = ["off_track", "error", "missed", "no_data"];
    assert_eq!(lines.len(), annotated.len() + 1, "{text}");
    for line in &lines[..annotated.len()] {
        let (command, message) = line
            .strip_prefix("::")
            .and_then(|l| l.split_once("::"))
            .expect("::command properties::message");
        let (name, properties) = command.split_once(' ').expect("properties");
        assert!(name == "error" || name == "warning", "{line}");
        let properties: Vec<(&str, String)> = properties
            .split(',')
            .map(|p| {
                let (key, value) = p.split_once('=').expect("key=value");
                (key, decode(value, true))
            })
            .collect();
        let keys: Vec<&str> = properties.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["file", "line", "col", "title"], "{line}");
        assert_eq!(properties[0].1, command_safe(&hostile_path()));
        let title = &properties[3].1;
        assert!(
            title.ends_with(&command_safe(&results()[0].name))
                || title.ends_with(&format!("{} (warning)", command_safe(&results()[0].name))),
            "{title:?}"
        );
        assert_eq!(
            decode(message, false),
            command_safe(&format!(
                "{} — {}",
                hostile("description"),
                hostile("message")
            ))
        );
    }
    assert!(lines[annotated.len()].starts_with("::notice "));
}

#[test]
fn markdown_keeps_every_table_row_and_shows_no_markup() {
    let text = write(Format::Markdown);
    let mut columns = None;
    for line in text.lines() {
        assert!(
            !line.chars().any(|c| c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "{line:?}"
        );
        // No raw HTML, code span or link: each is escaped.
        for (i, _) in line.match_indices(['<', '`']) {
            assert_eq!(&line[i - 1..i], "\\", "{line}");
        }
        assert!(!line.contains("](") || line.contains("\\]("), "{line}");
        if line.starts_with('|') {
            let cells = line
                .replace("\\\\", "")
                .replace("\\|", "")
                .matches('|')
                .count();
            assert_eq!(*columns.get_or_insert(cells), cells, "{line}");
        } else {
            columns = None;
        }
    }
    // A line break in the text is a space: the rest stays in its cell.
    assert!(text.contains("line1 line2 line3 end tab"), "{text}");
    // Every result has its row.
    let rows = text
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("description: "))
        .count();
    assert_eq!(rows, Status::ALL.len());
}

#[test]
fn text_shows_each_result_on_one_line_without_control_characters() {
    let text = write(Format::Text);
    for line in text.lines() {
        assert!(
            !line.chars().any(|c| c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "{line:?}"
        );
    }
    let result_lines = text
        .lines()
        .filter(|l| l.contains("description: ") && l.contains("message: "))
        .count();
    assert_eq!(result_lines, Status::ALL.len(), "{text}");
}
