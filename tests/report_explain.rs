//! `ontrack explain`'s rendering of one result, from hand-built results.

mod common;

use common::results;
use ontrack::eval::{Gap, TargetLevel, UsedValue, ValueKind};
use ontrack::report::explain::write_explanation;

fn explain(result: &ontrack::eval::TargetResult) -> String {
    let mut out = Vec::new();
    write_explanation(&mut out, result).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn a_projected_result_with_its_trace_and_table() {
    let mut result = results::results().swap_remove(3);
    result.trace = (1..=10).map(|i| format!("step {i}")).collect();
    result.values.push(UsedValue {
        reference: "rare_metals_output@2023".to_string(),
        series: "rare_metals_output[country=KZ]".to_string(),
        period: ontrack::data::period::Period::Year(2023),
        value: 1000.0,
        display: "1000".to_string(),
        unit: Some("t".to_string()),
        kind: ValueKind::Observed,
        projected_from: None,
    });
    result.target = Some(TargetLevel {
        op: ">=".to_string(),
        value: 1400.0,
        display: "1400".to_string(),
        unit: Some("t".to_string()),
    });
    result.gap = Some(Gap {
        absolute: 50.0,
        display: "50".to_string(),
        relative: Some(50.0 / 1400.0),
    });
    insta::assert_snapshot!(explain(&result), @r"
    rare_metals_2028: Rare and rare-earth metals output up 40%
      rules/kz/manufacturing-2025.targets:20
      on_track — 2028: projected 1,450 t, 50 above 1,400 (+3.6%)

       1. step 1
       2. step 2
       3. step 3
       4. step 4
       5. step 5
       6. step 6
       7. step 7
       8. step 8
       9. step 9
      10. step 10

      value        rare_metals_output       2028  1,450 t  projected from 2024
                   rare_metals_output@2023  2023  1,000 t  observed
      target       >= 1,400 t
      gap          +50 t (+3.6%)
      projection   cagr, 2020–2024 (5 observations), 9.1%/yr
      progress     actual 9.1%/yr, required 8.9%/yr: significant_progress (103%)
      latest data  2024 (1.2 years before the as-of date)
    ");
}

#[test]
fn a_result_with_nothing_but_a_message() {
    let result = results::results().swap_remove(6);
    insta::assert_snapshot!(explain(&result), @r"
    alloys_2025
      rules/kz/manufacturing-2025.targets:26
      error — unknown indicator `alloy_outptu`; did you mean `alloy_output`?
    ");
}

#[test]
fn old_data_is_flagged() {
    let result = results::results().swap_remove(4);
    let text = explain(&result);
    assert!(
        text.contains(
            "latest data  2017 (8.2 years before the as-of date), older than three years"
        ),
        "{text}"
    );
}
