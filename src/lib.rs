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
pub mod report;
pub mod source;
pub mod syntax;
