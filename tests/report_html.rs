//! The HTML report, written through `report::write` from hand-built results:
//! its parts, its escaping of hostile text, its charts' numbers.

mod common;

use std::path::PathBuf;

use common::results;
use ontrack::data::FileAccount;
use ontrack::data::period::Period;
use ontrack::eval::{Evaluation, RuleSet, Status, UsedValue, ValueKind};
use ontrack::report::svg::{self, ChartData, Escaped};
use ontrack::report::{self, Format, Report};

fn html_of(evaluation: &Evaluation, rules: &[RuleSet], accounts: &[FileAccount]) -> String {
    let report = Report {
        data_warnings: 2,
        ..Report::new(evaluation, rules, accounts)
    };
    let mut out = Vec::new();
    report::write(Format::Html, &report, &mut out, false).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

/// `count` yearly observations ending in `last`, growing from `start` by `step`.
fn yearly(last: i32, count: i32, start: f64, step: f64) -> Vec<(Period, f64)> {
    (0..count)
        .map(|i| (Period::Year(last - count + 1 + i), start + step * i as f64))
        .collect()
}

/// The shared hand-built results, with histories as an evaluation for
/// charts gives them, and two more entities of the `for each` target.
fn charted() -> Evaluation {
    let mut evaluation = results::evaluation();
    for result in &mut evaluation.results {
        match result.id.as_str() {
            "passenger_cars_2025" => {
                result.history = yearly(2025, 6, 92.0, 7.9);
                result.history_unit = Some("thousand units".to_string());
            }
            "locomotives_2024" => {
                result.history = yearly(2024, 5, 98.0, 6.5);
                result.history_unit = Some("units".to_string());
            }
            "rare_metals_2028" => {
                result.history = yearly(2024, 5, 1020.0, 25.0);
                result.history_unit = Some("t".to_string());
            }
            "steel_2030" => {
                result.history = yearly(2017, 8, 4.0, 0.1);
                result.history_unit = Some("million t".to_string());
            }
            "renewables_2030" => {
                result.history = yearly(2023, 10, 33.0, -0.2);
                result.history_unit = Some("%".to_string());
                result.target = Some(ontrack::eval::TargetLevel {
                    op: ">=".to_string(),
                    value: 0.425,
                    display: "42.5".to_string(),
                    unit: Some("%".to_string()),
                });
                result.values = vec![UsedValue {
                    reference: "renewables".to_string(),
                    series: "renewables[country=DE]".to_string(),
                    period: Period::Year(2030),
                    value: 0.312,
                    display: "31.2".to_string(),
                    unit: Some("%".to_string()),
                    kind: ValueKind::Projected,
                    projected_from: Some(Period::Year(2023)),
                }];
            }
            _ => {}
        }
    }
    let entity = evaluation.results.last().expect("an entity").clone();
    for (value, status, level) in [("FR", Status::OnTrack, 21.0), ("PL", Status::NoData, 0.0)] {
        let mut other = entity.clone();
        other.name = format!("renewables_2030[country={value}]");
        other.entity = Some(("country".to_string(), value.to_string()));
        other.status = status;
        other.progress = None;
        if status == Status::NoData {
            other.history.clear();
            other.values.clear();
            other.message = "no observation of `renewables{country=\"PL\"}` up to 2030".to_string();
        } else {
            other.history = yearly(2023, 10, level, 1.0);
            other.message = "2030: projected 44.5%, 2 points above 42.5% (+4.7%)".to_string();
            other.values[0].display = "44.5".to_string();
        }
        evaluation.results.push(other);
    }
    evaluation
}

#[test]
fn one_card_per_target_with_a_chart_per_history() {
    let rules = results::rule_sets();
    let accounts = results::accounts();
    let html = html_of(&charted(), &rules, &accounts);
    // Seven targets of the cars file, one `for each` target of the EU file.
    assert_eq!(html.matches("<article class=\"card").count(), 8, "{html}");
    // Charts for the four results with a history, none for the three without.
    assert_eq!(html.matches("<svg class=\"ch\"").count(), 4);
    assert_eq!(html.matches("<p class=\"nochart\">").count(), 3);
    // One row and one sparkline per entity with a history.
    assert_eq!(html.matches("<tr id=\"renewables_2030[country=").count(), 3);
    assert_eq!(html.matches("<svg class=\"sp\"").count(), 2);
    // Status in words as well as in colour.
    for word in [
        "MISSED",
        "MET",
        "ACHIEVED",
        "ON TRACK",
        "OFF TRACK",
        "NO DATA",
        "ERROR",
    ] {
        assert!(html.contains(&format!("\">{word}</span>")), "{word}");
    }
    assert!(html.contains("<li class=\"st s-missed\">1 missed</li>"));
    assert!(html.contains("<li class=\"st s-met\">1 met</li>"));
    insta::assert_snapshot!(html);
}

#[test]
fn the_page_needs_nothing_but_itself() {
    let rules = results::rule_sets();
    let accounts = results::accounts();
    let html = html_of(&charted(), &rules, &accounts);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(html.contains("default-src 'none'"));
    for outside in [
        "<script", "<link", "<img", "<iframe", "http:", "https:", "url(", "@import", "src=",
        "style=\"",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("break-inside:avoid"));
}

const HOSTILE: &str =
    "<script>alert(1)</script> \"><img src=x onerror=alert(1)> & ]]> 'x'\nsecond line";

/// Every tag in `html` is one the report writes, and none carries an
/// attribute from the hostile text (attribute values are quoted, and a
/// quote inside one is escaped).
fn assert_only_own_markup(html: &str) {
    const TAGS: &[&str] = &[
        "!DOCTYPE",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "ul",
        "li",
        "code",
        "p",
        "time",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "main",
        "section",
        "small",
        "article",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "svg",
        "path",
        "text",
        "circle",
        "span",
        "br",
    ];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').expect("every tag closes");
        let tag = &after[..close];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or_default();
        assert!(TAGS.contains(&name), "unexpected tag <{tag}>");
        // Outside its quoted attribute values, a tag has only the report's words.
        let bare: String = tag.split('"').step_by(2).collect();
        assert!(
            !bare.contains("onerror") && !bare.contains('<') && !bare.contains('&'),
            "attribute injected: <{tag}>"
        );
        rest = &after[close..];
    }
}

#[test]
fn text_from_rule_files_and_data_is_escaped() {
    let rule_text = "title \"<script>alert(1)</script> & ]]>\"\n\
                     source \"\\\"><img src=x onerror=alert(1)>\"\n\
                     target t: x >= 1 by 2025\n";
    let hostile_path = "rules/<b>&\"x\".targets";
    let rules = vec![RuleSet {
        path: PathBuf::from(hostile_path),
        file: ontrack::syntax::parse(rule_text).expect("parses"),
    }];
    let accounts = vec![FileAccount {
        path: PathBuf::from("data/<img src=x onerror=alert(1)>.csv"),
        rows_read: 1,
        rows_loaded: 1,
        rows_missing: 0,
        rows_rejected: 0,
    }];
    let mut single = results::results().swap_remove(0);
    single.id = HOSTILE.to_string();
    single.name = HOSTILE.to_string();
    single.file = PathBuf::from(hostile_path);
    single.description = Some(HOSTILE.to_string());
    single.message = HOSTILE.to_string();
    single.section = Some(HOSTILE.to_string());
    single.owner = Some(HOSTILE.to_string());
    single.quote = Some(HOSTILE.to_string());
    single.tags = vec![HOSTILE.to_string()];
    single.progress_note = Some(HOSTILE.to_string());
    single.history = yearly(2025, 3, 1.0, 1.0);
    single.history_unit = Some(HOSTILE.to_string());
    if let Some(target) = &mut single.target {
        target.unit = single.history_unit.clone();
        target.op = "<=\"><script>".to_string();
    }
    let mut entity = single.clone();
    entity.entity = Some((HOSTILE.to_string(), HOSTILE.to_string()));
    entity.name = format!("{HOSTILE}[{HOSTILE}={HOSTILE}]");
    let evaluation = Evaluation {
        as_of: results::as_of(),
        results: vec![single, entity],
    };
    let html = html_of(&evaluation, &rules, &accounts);
    assert_only_own_markup(&html);
    for raw in ["<script>", "<img", "]]>", "'x'"] {
        assert!(!html.contains(raw), "unescaped {raw:?}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; ]]&gt; &#39;x&#39;"));
    // The hostile text reached every place it was put: the title, the
    // source, both file names, the card, the chart's words and the table.
    assert!(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;</h1>"));
    assert!(html.contains("source: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("rules/&lt;b&gt;&amp;&quot;x&quot;.targets"));
    assert!(html.contains("data/&lt;img src=x onerror=alert(1)&gt;.csv"));
    assert!(html.contains("aria-label=\"&lt;script&gt;"));
    assert!(html.contains("<th>&lt;script&gt;"));
}

#[test]
fn escaping_replaces_the_five_special_characters() {
    assert_eq!(
        Escaped("a<b>&\"c'd").to_string(),
        "a&lt;b&gt;&amp;&quot;c&#39;d"
    );
    assert_eq!(Escaped("plain — text").to_string(), "plain — text");
    assert_eq!(Escaped("").to_string(), "");
}

#[test]
fn value_ticks_are_round_and_cover_the_values() {
    let ticks = svg::nice_ticks;
    assert_eq!(
        ticks(42.0, 164.7, 5),
        [25.0, 50.0, 75.0, 100.0, 125.0, 150.0, 175.0]
    );
    assert_eq!(ticks(0.0, 1.0, 5), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    assert_eq!(ticks(3210.0, 3350.0, 5), [3200.0, 3250.0, 3300.0, 3350.0]);
    assert_eq!(ticks(-3.2, 1.1, 4), [-4.0, -2.0, 0.0, 2.0]);
    // Without binary noise (not 0.15000000000000002).
    assert_eq!(ticks(0.1, 0.3, 5), [0.1, 0.15, 0.2, 0.25, 0.3]);
    // One value: a range around it.
    assert_eq!(
        ticks(50.0, 50.0, 5),
        [44.0, 46.0, 48.0, 50.0, 52.0, 54.0, 56.0]
    );
    assert_eq!(ticks(0.0, 0.0, 5), [-1.0, -0.5, 0.0, 0.5, 1.0]);
}

#[test]
fn tick_labels_are_short() {
    assert_eq!(svg::tick_label(160_000.0, 25_000.0, 175_000.0), "160k");
    assert_eq!(svg::tick_label(25_000.0, 25_000.0, 175_000.0), "25k");
    assert_eq!(svg::tick_label(1_400.0, 200.0, 1_600.0), "1,400");
    assert_eq!(svg::tick_label(2.5, 2.5, 10.0), "2.5");
    assert_eq!(svg::tick_label(5.0, 2.5, 10.0), "5.0");
    assert_eq!(svg::tick_label(3_500_000.0, 500_000.0, 4_000_000.0), "3.5M");
    assert_eq!(svg::tick_label(7.1e12, 1e11, 8e12), "7,100bn");
}

#[test]
fn a_chart_draws_its_parts_in_whole_numbers() {
    let history = yearly(2024, 6, 42.0, 20.0);
    let data = ChartData {
        history: &history,
        target: Some((">=", 160.0)),
        deadline: Some(Period::Year(2025)),
        projection: Some((Period::Year(2025), 164.7)),
        unit: Some("thousand units"),
    };
    let mut out = Vec::new();
    svg::write_chart(&mut out, &data, "cars: 6 observations").expect("in memory");
    let chart = String::from_utf8(out).expect("UTF-8");
    insta::assert_snapshot!(chart);
    let mut out = Vec::new();
    svg::write_sparkline(&mut out, &data, "cars").expect("in memory");
    let spark = String::from_utf8(out).expect("UTF-8");
    insta::assert_snapshot!(spark, @r#"<svg class="sp" viewBox="0 0 200 40" role="img" aria-label="cars"><path class="tg" d="M4 5H196"/><path class="ob" d="M11 36L41 31 70 26 100 20 130 15 159 10"/><path class="pt" d="M159 10h0"/><path class="pj" d="M159 10L189 4"/></svg>"#);
    // No history, no drawing.
    let mut out = Vec::new();
    svg::write_chart(&mut out, &ChartData::default(), "nothing").expect("in memory");
    assert!(out.is_empty());
}
