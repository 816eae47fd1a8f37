//! The claim assistant's speed target (issue 7): suggestions for a 1,000-word article in
//! < 5 ms. Run: `cargo bench -p factdesk-core --bench assist`.

use std::time::{Duration, Instant};

use factdesk_core::assist::suggest;

fn main() {
    let fixture = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/wire-harbour.txt")).unwrap();
    let mut text = String::new();
    while text.split_whitespace().count() < 1_000 {
        text.push_str(&fixture);
        text.push_str("\n\n");
    }
    let words = text.split_whitespace().count();
    let mut times: Vec<Duration> = (0..300)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(suggest(std::hint::black_box(&text), 0.0));
            started.elapsed()
        })
        .collect();
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "suggest, {words}-word article, all sentences scored: median {:.3} ms, mean {:.3} ms, max {:.3} ms ({} runs)",
        ms(times[times.len() / 2]),
        ms(mean),
        ms(times[times.len() - 1]),
        times.len()
    );
}
