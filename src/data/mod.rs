//! Observed data: periods, units, observations and the loaders that read them.

pub mod period;
