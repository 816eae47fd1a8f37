//! Timing for the core's bench binaries: warm runs of one piece of work, their median and
//! 95th percentile in milliseconds.

use std::time::{Duration, Instant};

pub fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(samples[samples.len() / 2]), ms(samples[(samples.len() * 95 / 100).min(samples.len() - 1)]))
}

/// `work` run `runs` times: the median and 95th percentile, in ms.
pub fn time<T>(runs: usize, mut work: impl FnMut() -> T) -> (f64, f64) {
    percentiles(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(work());
                started.elapsed()
            })
            .collect(),
    )
}
