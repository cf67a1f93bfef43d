//! The JSON report, written through `report::write` from hand-built
//! results, then read back.

mod common;

use common::results;
use ontrack::eval::{Evaluation, Gap};
use ontrack::report::{self, Format, Report};
use serde_json::Value;

fn json_text(evaluation: &Evaluation) -> String {
    let rules = results::rule_sets();
    let accounts = results::accounts();
    let report = Report::new(evaluation, &rules, &accounts);
    let mut out = Vec::new();
    // Colour is asked for and must be ignored.
    report::write(Format::Json, &report, &mut out, true).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

fn json(evaluation: &Evaluation) -> Value {
    serde_json::from_str(&json_text(evaluation)).expect("the report is one JSON document")
}

#[test]
fn one_result_of_each_status() {
    insta::assert_snapshot!(json_text(&results::evaluation()));
}

#[test]
fn the_header_has_every_field_spec_section_5_requires() {
    let report = json(&results::evaluation());
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["as_of"], "2026-03-31");
    let rules = report["rules"].as_array().expect("rules list");
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["file"], results::CARS);
    assert_eq!(
        rules[0]["title"],
        "Development of the manufacturing industry"
    );
    assert_eq!(rules[1]["source"], Value::Null);
    let data = report["data"].as_array().expect("data list");
    assert_eq!(data[0]["file"], "data.csv");
    for (field, value) in [
        ("rows_read", 1204),
        ("rows_loaded", 1180),
        ("rows_missing", 20),
        ("rows_rejected", 4),
    ] {
        assert_eq!(data[0][field], value, "{field}");
    }
    let summary = report["summary"].as_object().expect("summary object");
    let keys: Vec<&str> = summary.keys().map(String::as_str).collect();
    let mut expected = vec![
        "met",
        "missed",
        "achieved",
        "on_track",
        "off_track",
        "no_data",
        "error",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected, "all seven statuses, even with no result");
    assert_eq!(summary["off_track"], 2);
    assert_eq!(summary["met"], 1);
}

#[test]
fn every_result_has_every_field() {
    let report = json(&results::evaluation());
    let results = report["results"].as_array().expect("results list");
    assert_eq!(results.len(), 8);
    // SPEC section 5's list, then the rest of the documented schema.
    let required = [
        "id", "name", "entity", "file", "line", "status", "severity", "deadline", "values",
        "target", "gap", "progress", "message",
    ];
    let documented = [
        "description",
        "section",
        "progress_note",
        "projection",
        "latest_period",
        "data_age_years",
        "failing_periods",
        "owner",
        "source",
        "quote",
        "tags",
    ];
    for result in results {
        let object = result.as_object().expect("result object");
        for field in required.iter().chain(&documented) {
            assert!(object.contains_key(*field), "{field} missing in {result}");
        }
        assert_eq!(object.len(), required.len() + documented.len(), "{result}");
        assert!(result["entity"].is_object());
        let progress = &result["progress"];
        if !progress.is_null() {
            for field in ["actual_cagr", "required_cagr", "ratio", "category"] {
                assert!(
                    progress.get(field).is_some(),
                    "progress.{field} in {result}"
                );
            }
        }
    }
}

#[test]
fn result_fields_carry_the_values_as_json_types() {
    let report = json(&results::evaluation());
    let missed = &report["results"][0];
    assert_eq!(missed["id"], "passenger_cars_2025");
    assert_eq!(missed["entity"], serde_json::json!({}));
    assert_eq!(missed["line"], 9);
    assert_eq!(missed["status"], "missed");
    assert_eq!(missed["severity"], "error");
    assert_eq!(missed["deadline"], "2025");
    assert_eq!(missed["section"], "Machine building");
    assert_eq!(
        missed["values"][0],
        serde_json::json!({
            "reference": "passenger_cars",
            "series": "passenger_cars[country=KZ]",
            "period": "2025",
            "value": 131400.0,
            "display": "131.4",
            "unit": "thousand units",
            "kind": "observed",
            "projected_from": null,
        })
    );
    assert_eq!(
        missed["target"],
        serde_json::json!({"op": ">=", "value": 160000.0, "display": "160", "unit": "thousand units"})
    );
    assert_eq!(missed["gap"]["relative"], -0.17875);
    assert_eq!(missed["tags"], serde_json::json!(["industry", "cars"]));

    let on_track = &report["results"][3];
    assert_eq!(on_track["values"][0]["kind"], "projected");
    assert_eq!(on_track["values"][0]["projected_from"], "2024");
    assert_eq!(on_track["progress"]["category"], "significant_progress");
    assert_eq!(
        on_track["projection"]["window"],
        serde_json::json!(["2020", "2021", "2022", "2023", "2024"])
    );

    let no_data = &report["results"][5];
    assert_eq!(no_data["severity"], "warning");
    assert_eq!(no_data["progress"], Value::Null);
    assert_eq!(no_data["target"], Value::Null);

    let entity = &report["results"][7];
    assert_eq!(entity["id"], "renewables_2030");
    assert_eq!(entity["name"], "renewables_2030[country=DE]");
    assert_eq!(entity["entity"], serde_json::json!({"country": "DE"}));
    assert_eq!(entity["progress"]["category"], "moving_away");
}

#[test]
fn numbers_keep_full_precision_and_non_finite_ones_are_null() {
    let mut evaluation = results::evaluation();
    evaluation.results.truncate(1);
    let result = &mut evaluation.results[0];
    result.values[0].value = 0.1 + 0.2;
    result.gap = Some(Gap {
        absolute: f64::INFINITY,
        display: "inf".to_string(),
        relative: Some(f64::NAN),
    });
    let text = json_text(&evaluation);
    assert!(text.contains("\"value\":0.30000000000000004"), "{text}");
    let report: Value = serde_json::from_str(&text).expect("valid JSON");
    let gap = &report["results"][0]["gap"];
    assert_eq!(gap["absolute"], Value::Null);
    assert_eq!(gap["relative"], Value::Null);
    assert_eq!(report["results"][0]["values"][0]["value"], 0.1 + 0.2);
}

#[test]
fn no_results_is_an_empty_list() {
    let evaluation = Evaluation {
        as_of: results::as_of(),
        results: Vec::new(),
    };
    let report = json(&evaluation);
    assert_eq!(report["results"], serde_json::json!([]));
    assert_eq!(report["summary"]["met"], 0);
}
