//! A rule file and a CSV file in one input, split at the first NUL byte
//! (rules before it, CSV after it) → parse and check the rules, load the
//! CSV → when the rules check clean and the load is not fatal (with
//! `skip_bad_rows`): evaluate as of 2025-06-30 with traces and histories,
//! lint the rules against the data, explain every result and write the
//! report in every format. The JSON report must be one JSON document and
//! the JUnit report well-formed XML.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use ontrack::data::period::Date;
use ontrack::eval::{self, EvalOptions, RuleSet};
use ontrack::report::{self, Format, Report};
use ontrack::{check, syntax};

fuzz_target!(|bytes: &[u8]| {
    let Some(split) = bytes.iter().position(|&b| b == 0) else {
        return;
    };
    let (rule_bytes, data_bytes) = (&bytes[..split], &bytes[split + 1..]);
    let text = common::text(rule_bytes);
    let Ok(file) = syntax::parse(&text) else {
        return;
    };
    if !check::check(&file).errors.is_empty() {
        return;
    }
    let rules = [RuleSet {
        path: "fuzz.targets".into(),
        file,
    }];
    let loaded = common::load_checked(common::write_data(data_bytes, "csv"));
    if loaded.is_fatal() {
        return;
    }

    let as_of = Date::new(2025, 6, 30).expect("a valid date");
    let options = EvalOptions {
        as_of,
        trace: true,
        history: true,
    };
    let evaluation = eval::evaluate(&rules, &loaded.dataset, &options);
    let _ = eval::lint_against(&rules[0], &loaded.dataset);

    let mut sink = Vec::new();
    for result in &evaluation.results {
        report::explain::write_explanation(&mut sink, result).expect("explain to a Vec");
    }

    let mut report = Report::new(&evaluation, &rules, &loaded.files);
    report.data_warnings = loaded.warnings.len();
    for format in Format::ALL {
        for color in [false, true] {
            if color && !format.supports_color() {
                continue;
            }
            let mut out = Vec::new();
            report::write(format, &report, &mut out, color).expect("write to a Vec");
            match format {
                Format::Json => {
                    if let Err(error) = serde_json::from_slice::<serde_json::Value>(&out) {
                        panic!(
                            "the JSON report is not JSON: {error}\n{}",
                            String::from_utf8_lossy(&out)
                        );
                    }
                }
                Format::Junit => {
                    let xml = match std::str::from_utf8(&out) {
                        Ok(xml) => xml,
                        Err(error) => panic!("the JUnit report is not UTF-8: {error}"),
                    };
                    if let Err(error) = roxmltree::Document::parse(xml) {
                        panic!("the JUnit report is not XML: {error}\n{xml}");
                    }
                }
                _ => {}
            }
        }
    }
});
