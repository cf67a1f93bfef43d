//! Where each observation of a series came from, stored as runs.
//!
//! Every observation keeps its file, line and column for diagnostics, but a
//! dataset holds millions of observations and their sources nearly always
//! follow a pattern: the observations of a series in a long CSV come from
//! consecutive lines, and those of a wide CSV from consecutive cells of one
//! line. A run stores the first source and how the next ones follow from
//! it, so a series of forty observations from forty lines costs one entry
//! instead of forty.

use super::dataset::Source;

/// How the sources of a run follow one another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// The next observation is on the next line, in the same column.
    Line,
    /// The next observation is in the next column of the same line.
    Column,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    /// The index of the run's first observation.
    start: u32,
    first: Source,
    step: Step,
}

impl Run {
    /// The source of observation `start + offset`, if the run can reach
    /// it: not past the last line or column.
    fn at(&self, offset: u32) -> Option<Source> {
        let mut source = self.first;
        match self.step {
            Step::Line => source.line = source.line.checked_add(offset)?,
            Step::Column => {
                let column = u32::from(source.column).checked_add(offset)?;
                source.column = u16::try_from(column).ok()?;
            }
        }
        Some(source)
    }
}

/// The sources of a series' observations, in observation order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    runs: Vec<Run>,
    len: u32,
}

impl Sources {
    /// Appends the source of the next observation.
    pub(crate) fn push(&mut self, source: Source) {
        if let Some(run) = self.runs.last_mut() {
            let offset = self.len - run.start;
            if run.at(offset) == Some(source) {
                self.len += 1;
                return;
            }
            // A run of one can still become a run of columns.
            let columns = Run {
                step: Step::Column,
                ..*run
            };
            if offset == 1 && run.step == Step::Line && columns.at(1) == Some(source) {
                *run = columns;
                self.len += 1;
                return;
            }
        }
        if self.runs.is_empty() {
            // Most series are one run: room for exactly that, so that
            // nothing is left to free when the series is complete.
            self.runs.reserve_exact(1);
        }
        self.runs.push(Run {
            start: self.len,
            first: source,
            step: Step::Line,
        });
        self.len += 1;
    }

    /// The number of observations.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The source of the first observation, if there is one.
    pub fn first(&self) -> Option<Source> {
        self.runs.first().map(|run| run.first)
    }

    /// The source of observation `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<Source> {
        let index = u32::try_from(index).ok().filter(|&i| i < self.len)?;
        let run = self
            .runs
            .partition_point(|r| r.start <= index)
            .checked_sub(1)?;
        let run = &self.runs[run];
        run.at(index - run.start)
    }

    /// Every source, in observation order.
    pub fn iter(&self) -> impl Iterator<Item = Source> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Frees the room kept for growth (none for a series of one run).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.runs.shrink_to_fit();
    }
}

impl FromIterator<Source> for Sources {
    fn from_iter<I: IntoIterator<Item = Source>>(iter: I) -> Sources {
        let mut sources = Sources::default();
        for source in iter {
            sources.push(source);
        }
        sources
    }
}
