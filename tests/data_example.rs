//! The shipped example data (`examples/kz/data.yaml`) loads without errors,
//! with every row accounted for.

use ontrack::data::{DataSource, LoadOptions, Period, load};

#[test]
fn kazakhstan_example_loads() {
    let path = format!("{}/examples/kz/data.yaml", env!("CARGO_MANIFEST_DIR"));
    let loaded = load(&[DataSource::new(&path)], &LoadOptions::default());
    assert_eq!(loaded.errors, vec![]);
    assert_eq!(loaded.warnings, vec![]);
    let account = &loaded.files[0];
    assert_eq!(
        (
            account.rows_read,
            account.rows_loaded,
            account.rows_missing,
            account.rows_rejected
        ),
        (81, 80, 1, 0)
    );
    // 13 annual series (one per indicator of the rule file, the railway
    // passenger cars under another name) and 7 January-April figures.
    assert_eq!(loaded.dataset.all_series().len(), 20);
    let kz = [("country", "KZ")];
    let cars = loaded.dataset.find_series("passenger_cars", &kz).unwrap();
    assert_eq!(cars.value_at(Period::Year(2024)), Some(131_400.0));
    let pig_iron = loaded.dataset.find_series("pig_iron_output", &kz).unwrap();
    assert_eq!(
        pig_iron.observations(),
        &[(Period::Year(2023), 2_950_000.0)]
    );
    let output = loaded
        .dataset
        .find_series("manufacturing_output_jan_apr", &kz)
        .unwrap();
    assert_eq!(output.value_at(Period::Year(2024)), Some(7.1e12));
    // The railway passenger car series is misnamed on purpose (an `error`
    // result in the example run).
    assert!(!loaded.dataset.has_indicator("passenger_railway_cars"));
    assert!(loaded.dataset.has_indicator("passenger_railway_car"));
}
