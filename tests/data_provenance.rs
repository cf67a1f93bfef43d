//! Observation sources kept as runs give back exactly what was pushed.

use ontrack::data::Source;
use ontrack::data::provenance::Sources;

fn at(file: u16, line: u32, column: u16) -> Source {
    Source { file, line, column }
}

fn round_trip(pushed: &[Source]) {
    let sources: Sources = pushed.iter().copied().collect();
    assert_eq!(sources.len(), pushed.len());
    assert_eq!(sources.iter().collect::<Vec<_>>(), pushed);
    for (i, source) in pushed.iter().enumerate() {
        assert_eq!(sources.get(i), Some(*source), "index {i}");
    }
    assert_eq!(sources.get(pushed.len()), None);
}

#[test]
fn lines_of_a_long_file_and_cells_of_a_wide_one() {
    round_trip(&(2..50).map(|line| at(0, line, 4)).collect::<Vec<_>>());
    round_trip(&(3..40).map(|column| at(1, 7, column)).collect::<Vec<_>>());
}

#[test]
fn breaks_in_the_pattern_start_new_runs() {
    round_trip(&[
        at(0, 2, 4),
        at(0, 3, 4),
        at(0, 9, 4),
        at(0, 9, 5),
        at(0, 9, 6),
        at(1, 10, 6),
        at(1, 11, 6),
        at(0, 1, 1),
        at(0, 1, 1),
        at(0, 3, 2),
    ]);
}

#[test]
fn a_run_stops_where_its_arithmetic_would_overflow() {
    round_trip(&[
        at(0, u32::MAX - 1, 4),
        at(0, u32::MAX, 4),
        at(0, u32::MAX, 4),
        at(0, 5, u16::MAX - 1),
        at(0, 5, u16::MAX),
        at(0, 5, u16::MAX),
    ]);
}

#[test]
fn an_empty_list_has_no_sources() {
    let sources = Sources::default();
    assert!(sources.is_empty());
    assert_eq!(sources.get(0), None);
}

proptest::proptest! {
    /// Any sequence, near the ends of the line and column ranges too.
    #[test]
    fn any_sources_round_trip(
        steps in proptest::collection::vec((0u16..2, 0u32..4, 0u16..4, proptest::bool::ANY), 0..40)
    ) {
        let pushed: Vec<Source> = steps
            .iter()
            .map(|&(file, line, column, high)| {
                if high {
                    at(file, u32::MAX - line, u16::MAX - column)
                } else {
                    at(file, line, column)
                }
            })
            .collect();
        round_trip(&pushed);
    }
}
