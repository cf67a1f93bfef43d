//! The rule language's syntax: source text → typed AST ([`parse`]) and
//! AST → canonical source text ([`format()`]).

pub mod ast;
mod chunk;
mod error;
mod expected;
mod format;
mod parse;

pub use error::{MAX_DEPTH, MAX_OPERATORS, SyntaxError};
pub use format::format;
pub use parse::parse;
