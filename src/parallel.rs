//! Work spread over every core, its results taken in order.
//!
//! Loading a CSV file (a block of rows at a time) and evaluating targets (a
//! target at a time) both have independent pieces of work whose results must
//! be used in their original order: rows reach the dataset in file order,
//! results reach a report in rule-file order. [`ordered`] runs the pieces on
//! a worker per core and hands each result over as soon as all earlier ones
//! have been, on the calling thread; no more than a few pieces are in flight
//! at once, so memory stays bounded however much work there is.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, mpsc};

/// What `take` says after a result: go on, or stop taking (and giving) work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Stop,
}

/// Runs `work` on each item `next` gives, on every core, and hands the
/// results to `take` in the order of the items. `next` and `take` run on
/// the calling thread and share `state`. At most `ahead` items per worker
/// are given out and not yet taken: more keeps the workers busy while an
/// early item is slow, fewer keeps less in memory. A panic in `work` is
/// resumed on the calling thread, as if the work had been done there.
pub(crate) fn ordered<S, I, R>(
    ahead: usize,
    state: &mut S,
    mut next: impl FnMut(&mut S) -> Option<I>,
    work: impl Fn(I) -> R + Sync,
    mut take: impl FnMut(&mut S, R) -> Flow,
) where
    I: Send,
    R: Send,
{
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    if workers == 1 {
        while let Some(item) = next(state) {
            if take(state, work(item)) == Flow::Stop {
                break;
            }
        }
        return;
    }
    let (jobs, queue) = mpsc::channel::<(usize, I)>();
    let queue = Mutex::new(queue);
    let work = &work;
    std::thread::scope(|scope| {
        // Owned by this closure, so that returning closes the queue and the
        // workers end.
        let jobs = jobs;
        let (done, finished) = mpsc::channel::<(usize, std::thread::Result<R>)>();
        for _ in 0..workers {
            let queue = &queue;
            let done = done.clone();
            scope.spawn(move || {
                loop {
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => break,
                    };
                    let Ok((index, item)) = job else { break };
                    let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                    if done.send((index, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        let mut given = 0;
        let mut taken = 0;
        let mut waiting = BTreeMap::new();
        let mut more = true;
        loop {
            while more && given - taken < ahead.max(1) * workers {
                let sent = next(state).map(|item| jobs.send((given, item)));
                match sent {
                    Some(Ok(())) => given += 1,
                    _ => more = false,
                }
            }
            if taken == given {
                return;
            }
            // Every worker catches its panics, so one always answers.
            let Ok((index, result)) = finished.recv() else {
                return;
            };
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&taken) {
                taken += 1;
                let result = result.unwrap_or_else(|payload| panic::resume_unwind(payload));
                if take(state, result) == Flow::Stop {
                    return;
                }
            }
        }
    })
}
