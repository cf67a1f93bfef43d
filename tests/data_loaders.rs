//! Every loader on a small fixture file that loads without errors.

use ontrack::data::{DataSource, FileAccount, Frequency, LoadOptions, Loaded, Period, load};

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/data/ok/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn load_ok(name: &str) -> Loaded {
    let loaded = load(&[DataSource::new(fixture(name))], &LoadOptions::default());
    assert_eq!(loaded.errors, vec![], "{name}");
    assert!(!loaded.is_fatal());
    loaded
}

fn counts(account: &FileAccount) -> (u64, u64, u64, u64) {
    (
        account.rows_read,
        account.rows_loaded,
        account.rows_missing,
        account.rows_rejected,
    )
}

fn values(loaded: &Loaded, indicator: &str, dims: &[(&str, &str)]) -> Vec<(String, f64)> {
    let series = loaded
        .dataset
        .find_series(indicator, dims)
        .unwrap_or_else(|| panic!("no series {indicator} {dims:?}"));
    series
        .observations()
        .iter()
        .map(|(p, v)| (p.to_string(), *v))
        .collect()
}

fn pairs(list: &[(&str, f64)]) -> Vec<(String, f64)> {
    list.iter().map(|(p, v)| (p.to_string(), *v)).collect()
}

#[test]
fn long_csv() {
    let loaded = load_ok("long.csv");
    assert_eq!(counts(&loaded.files[0]), (9, 8, 1, 0));
    assert_eq!(
        values(&loaded, "passenger_cars", &[("country", "KZ")]),
        pairs(&[("2022", 97_300.0), ("2023", 113_000.0), ("2024", 131_400.0)])
    );
    // `1.2 p`: the flag is dropped; `2023Q1` is a quarter.
    let steel = loaded
        .dataset
        .find_series("steel_output", &[("Country", "KZ")])
        .unwrap();
    assert_eq!(steel.frequency(), Frequency::Quarter);
    assert_eq!(steel.value_at(Period::Quarter(2023, 1)), Some(1_200_000.0));
    assert_eq!(
        steel.unit().map(|u| u.display.as_str()),
        Some("mln. tonnes")
    );
    let unemployment = loaded
        .dataset
        .find_series("unemployment", &[("country", "KZ")])
        .unwrap();
    assert_eq!(unemployment.frequency(), Frequency::Month);
    assert_eq!(unemployment.value_at(Period::Month(2024, 1)), Some(0.048));
    assert_eq!(unemployment.display(0.048), "4.8");
    // The locomotive series has one observation; 2024 was missing.
    assert_eq!(
        values(&loaded, "locomotives", &[("country", "KZ")]),
        pairs(&[("2023", 95.0)])
    );
}

#[test]
fn tsv() {
    let loaded = load_ok("long.tsv");
    assert_eq!(counts(&loaded.files[0]), (3, 2, 1, 0));
    assert_eq!(
        values(&loaded, "passenger_cars", &[("country", "KZ")]),
        pairs(&[("2023", 113_000.0), ("2024", 131_400.0)])
    );
    // Only missing values for UZ: the indicator and dimensions are known, but
    // there is no series (SPEC 8.4).
    let data = &loaded.dataset;
    assert!(
        data.find_series("passenger_cars", &[("country", "UZ")])
            .is_none()
    );
    assert!(data.is_known("passenger_cars", &[("country", "UZ")]));
    assert_eq!(
        data.dimension_values("passenger_cars", "country"),
        vec!["KZ"]
    );
}

#[test]
fn semicolons_with_decimal_commas_bom_and_crlf() {
    let loaded = load_ok("semicolon.csv");
    assert_eq!(counts(&loaded.files[0]), (3, 2, 1, 0));
    assert_eq!(
        values(&loaded, "renewables_share", &[("country", "KZ")]),
        pairs(&[("2022", 0.045), ("2023", 0.051)])
    );
    // Header names keep their first spelling.
    assert_eq!(
        loaded.dataset.dimensions("renewables_share"),
        vec!["Country"]
    );
}

#[test]
fn sdmx_csv_as_eurostat_exports_it() {
    let loaded = load_ok("sdmx_eurostat.csv");
    assert_eq!(counts(&loaded.files[0]), (10, 9, 1, 0));
    let data = &loaded.dataset;
    assert_eq!(data.indicators().collect::<Vec<_>>(), vec!["SDG_07_40"]);
    // `freq` and `geo` are dimensions; the annotation columns are not.
    assert_eq!(data.dimensions("SDG_07_40"), vec!["freq", "geo"]);
    assert_eq!(
        values(&loaded, "SDG_07_40", &[("geo", "AT"), ("freq", "A")]),
        pairs(&[("2021", 0.364), ("2022", 0.338), ("2023", 0.408)])
    );
    let series = data
        .find_series("SDG_07_40", &[("geo", "DE"), ("freq", "A")])
        .unwrap();
    assert!(series.unit().is_some_and(|u| u.is_percentage()));
    assert_eq!(
        data.dimension_values("SDG_07_40", "GEO"),
        vec!["AT", "DE", "EU27_2020"]
    );
    assert!(data.is_known("SDG_07_40", &[("geo", "LI"), ("freq", "A")]));
}

#[test]
fn world_bank_wide_csv() {
    let loaded = load_ok("wdi.csv");
    // Three rows of three period cells; the footer lines are not rows.
    assert_eq!(counts(&loaded.files[0]), (9, 7, 2, 0));
    let data = &loaded.dataset;
    assert_eq!(
        data.indicators().collect::<Vec<_>>(),
        vec!["NY.GDP.MKTP.KD.ZG", "SP.POP.TOTL"]
    );
    assert_eq!(
        data.dimensions("SP.POP.TOTL"),
        vec!["Country Name", "Country Code"]
    );
    assert_eq!(
        values(
            &loaded,
            "SP.POP.TOTL",
            &[("country name", "Kazakhstan"), ("country code", "KAZ")]
        ),
        pairs(&[("2020", 18_755_666.0), ("2021", 19_002_586.0)])
    );
    let growth = data
        .find_series(
            "NY.GDP.MKTP.KD.ZG",
            &[("Country Name", "Kazakhstan"), ("Country Code", "KAZ")],
        )
        .unwrap();
    assert_eq!(growth.value_at(Period::Year(2020)), Some(-2.5));
    // Column 5 is `2020 [YR2020]`.
    assert_eq!(growth.sources().get(0).unwrap().line, 2);
    assert_eq!(growth.sources().get(0).unwrap().column, 5);
}

#[test]
fn yaml() {
    let loaded = load_ok("series.yaml");
    assert_eq!(counts(&loaded.files[0]), (7, 5, 2, 0));
    assert_eq!(
        values(&loaded, "passenger_cars", &[("country", "KZ")]),
        pairs(&[("2023", 113_000.0), ("2024", 131_400.0)])
    );
    assert_eq!(
        values(&loaded, "locomotives", &[("country", "KZ")]),
        pairs(&[("2023", 95.0), ("2024", 120.0)])
    );
    let growth = loaded
        .dataset
        .find_series("gdp_growth", &[("country", "KZ")])
        .unwrap();
    assert_eq!(growth.value_at(Period::Quarter(2024, 1)), Some(0.038));
    // Lines and columns point at the period keys.
    let cars = loaded
        .dataset
        .find_series("passenger_cars", &[("country", "KZ")])
        .unwrap();
    let at = |i: usize| {
        (
            cars.sources().get(i).unwrap().line,
            cars.sources().get(i).unwrap().column,
        )
    };
    assert_eq!((at(0), at(1)), ((6, 14), (6, 25)));
    let locomotives = loaded
        .dataset
        .find_series("locomotives", &[("country", "KZ")])
        .unwrap();
    assert_eq!(locomotives.sources().get(1).unwrap().line, 12);
}

#[test]
fn json() {
    let loaded = load_ok("series.json");
    assert_eq!(counts(&loaded.files[0]), (4, 3, 1, 0));
    assert_eq!(
        values(&loaded, "passenger_cars", &[("country", "KZ")]),
        pairs(&[("2023", 113_000.0), ("2024", 131_400.0)])
    );
    let locomotives = loaded
        .dataset
        .find_series("locomotives", &[("country", "KZ")])
        .unwrap();
    assert_eq!(locomotives.unit(), None);
    assert_eq!(locomotives.sources().get(0).unwrap().line, 13);
    assert_eq!(locomotives.sources().get(0).unwrap().column, 9);
}

#[test]
fn several_files_make_one_dataset() {
    let sources = [
        DataSource::new(fixture("long.csv")),
        DataSource::new(fixture("sdmx_eurostat.csv")),
    ];
    let loaded = load(&sources, &LoadOptions::default());
    assert_eq!(loaded.errors, vec![]);
    assert_eq!(loaded.files.len(), 2);
    assert_eq!(loaded.dataset.all_series().len(), 7);
    let series = loaded
        .dataset
        .find_series("SDG_07_40", &[("geo", "AT"), ("freq", "A")])
        .unwrap();
    let path = loaded
        .dataset
        .file_path(series.sources().get(0).unwrap().file);
    assert!(path.ends_with("sdmx_eurostat.csv"));
}

#[test]
fn world_bank_api_download_with_its_preamble() {
    // `"Data Source"` and `"Last Updated Date"` lines come before the header,
    // and every line ends with a comma (an unnamed, empty column).
    let loaded = load_ok("wb_api.csv");
    // Two rows of five period cells; 2023 is empty in both.
    assert_eq!(counts(&loaded.files[0]), (10, 8, 2, 0));
    assert_eq!(
        values(
            &loaded,
            "SH.DYN.MORT",
            &[("Country Name", "Uzbekistan"), ("Country Code", "UZB")]
        ),
        pairs(&[
            ("2019", 15.1),
            ("2020", 14.5),
            ("2021", 14.0),
            ("2022", 13.6)
        ])
    );
    let series = loaded.dataset.series_of("SH.DYN.MORT").next().unwrap().1;
    assert_eq!(series.sources().get(0).unwrap().line, 6);
}

#[test]
fn oecd_sdmx_unit_multiplier_scales_values() {
    // UNIT_MULT 9 with USD: billion USD. The dataflow id keeps its `@`.
    let loaded = load_ok("oecd_unit_mult.csv");
    assert_eq!(counts(&loaded.files[0]), (2, 2, 0, 0));
    let data = &loaded.dataset;
    assert_eq!(
        data.indicators().collect::<Vec<_>>(),
        vec!["DSD_NAMAIN1@DF_QNA"]
    );
    assert_eq!(
        data.dimensions("DSD_NAMAIN1@DF_QNA"),
        vec!["REF_AREA", "FREQ", "MEASURE"]
    );
    let series = data.series_of("DSD_NAMAIN1@DF_QNA").next().unwrap().1;
    assert_eq!(
        series.unit().map(|u| u.display.as_str()),
        Some("billion USD")
    );
    assert_eq!(series.value_at(Period::Year(2023)), Some(262_600_000_000.0));
}

#[test]
fn an_unsupported_unit_multiplier_rejects_the_row() {
    let path = fixture("../err/unit_mult_unsupported.csv");
    let loaded = ontrack::data::load(
        &[ontrack::data::DataSource::new(&path)],
        &Default::default(),
    );
    assert_eq!(loaded.errors.len(), 1);
    assert_eq!(loaded.errors[0].line, 2);
    assert_eq!(loaded.errors[0].column, 10);
    assert_eq!(
        loaded.errors[0].kind.to_string(),
        "unit multiplier `2` is not 0, 3, 6, 9 or 12"
    );
    assert_eq!(counts(&loaded.files[0]), (1, 0, 0, 1));
}
