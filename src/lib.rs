//! ontrack checks policy targets written in a small rule language against
//! observed statistical data.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! rule file text ──syntax::parse──▶ RuleFile (typed AST with spans)
//!                                        │
//!                                 check::check ──▶ errors and warnings (no data needed)
//!                                        │
//!                                 syntax::format ──▶ canonical text (`ontrack fmt`)
//!
//! data files ──data::load──▶ Dataset (+ row accounting, errors)
//!
//! rule sets × Dataset × as-of ──eval::evaluate──▶ Evaluation (one result per target)
//!                                        │
//!                                 report::write ──▶ text / JSON / Markdown / JUnit / GitHub (`ontrack check`)
//! ```
//!
//! Checking a rule file against data takes four calls:
//!
//! ```
//! use ontrack::data::{self, DataSource, period::Date};
//! use ontrack::eval::{self, EvalOptions, RuleSet, Status};
//! use ontrack::source;
//!
//! // Read, parse and statically check the rules.
//! let file = source::read("rules/kz/manufacturing-2025.targets".as_ref())?;
//! let linted = source::lint(&file);
//! assert!(!linted.has_errors());
//! let rules = RuleSet { path: file.path.clone(), file: linted.file.expect("parsed") };
//!
//! // Load the data: every row is loaded, missing or rejected.
//! let loaded = data::load(&[DataSource::new("examples/kz/data.yaml")], &Default::default());
//! assert!(!loaded.is_fatal());
//!
//! // Evaluate as of a date.
//! let options = EvalOptions { as_of: Date::parse("2025-06-30")?, trace: false, history: false };
//! let evaluation = eval::evaluate(&[rules], &loaded.dataset, &options);
//! let steel = evaluation.results.iter().find(|r| r.id == "steel_output_2024").expect("a result");
//! assert_eq!(steel.status, Status::Met);
//! assert_eq!(steel.message, "2024: 3,350 thousand tonnes, 140 above 3,210 (+4.4%)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`source`] finds and reads rule files and runs the first two stages
//! together ([`source::lint`]); [`diagnostic`] renders what they report like
//! a compiler's messages. [`config`] reads `ontrack.yaml`, the defaults of
//! `ontrack check`.

pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod diagnostic;
pub mod eval;
mod parallel;
pub mod report;
pub mod source;
pub mod syntax;
