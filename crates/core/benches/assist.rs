//! The claim assistant's speed targets (issue 7): suggestions for a 1,000-word article in
//! < 5 ms; name variants across a 10,000-article library in < 1 s.
//! Run: `cargo bench -p factdesk-core --bench assist`.

use std::time::{Duration, Instant};

use factdesk_core::assist::suggest;
use factdesk_core::{Format, Library};

fn main() {
    suggestions();
    name_variants_across_the_library();
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{label}: median {:.3} ms, mean {:.3} ms, max {:.3} ms ({} runs)",
        ms(times[times.len() / 2]),
        ms(mean),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn suggestions() {
    let fixture =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/wire-harbour.txt")).unwrap();
    let mut text = String::new();
    while text.split_whitespace().count() < 1_000 {
        text.push_str(&fixture);
        text.push_str("\n\n");
    }
    let words = text.split_whitespace().count();
    let times = (0..300)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(suggest(std::hint::black_box(&text), 0.0));
            started.elapsed()
        })
        .collect();
    summary(&format!("suggest, {words}-word article, all sentences scored"), times);
}

/// A deterministic pseudo-random sequence (xorshift), so every run builds one library.
struct Rng(u64);
impl Rng {
    fn next(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

/// A made-up name from syllables: "Varomen", "Kelidast".
fn made_up(rng: &mut Rng, syllables: usize) -> String {
    const PARTS: &[&str] =
        &["va", "ro", "men", "ke", "li", "dast", "or", "bel", "tu", "san", "mi", "grek", "po", "lan", "zu", "hart"];
    let mut name: String = (0..syllables).map(|_| PARTS[rng.next(PARTS.len())]).collect();
    name[..1].make_ascii_uppercase();
    name
}

/// 10,000 articles of ~600 words, each naming eight people from a pool of 3,000; one
/// article in 100 misspells a surname.
fn name_variants_across_the_library() {
    const ARTICLES: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(&dir.path().join("names.sqlite"), "bench").unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let people: Vec<(String, String)> = (0..3_000).map(|_| (made_up(&mut rng, 2), made_up(&mut rng, 3))).collect();
    let started = Instant::now();
    let mut ids = Vec::new();
    for n in 0..ARTICLES {
        let mut text = format!("Port story number {n}\n\n");
        for k in 0..8 {
            let (given, surname) = &people[rng.next(people.len())];
            let written = if n % 100 == 0 && k == 0 { format!("{surname}e") } else { surname.clone() };
            text.push_str(&format!(
                "Minister {given} {written} said on Tuesday that {} containers had been counted twice at the northern \
                 terminal, and that the figure would be checked again by the harbour authority before the end of the \
                 month. {written} added that the audit had not been published yet, and that the council would vote \
                 on the budget once the numbers were known. Officials at the terminal declined to comment on the \
                 report, which was first described by local newspapers last week.\n\n",
                100 + rng.next(5_000)
            ));
        }
        let outcome = library.import_bytes(&format!("a{n}.txt"), text.into_bytes(), Format::Text).unwrap();
        ids.push(outcome.article().id);
    }
    println!("built {ARTICLES} articles in {:.1} s", started.elapsed().as_secs_f64());
    let mut found = 0;
    let times = (0..10)
        .map(|i| {
            // A fresh Library each time, so nothing is cached.
            let library = Library::open(&dir.path().join("names.sqlite"), "bench").unwrap();
            let started = Instant::now();
            let checks = library.article_checks(ids[i * 100]).unwrap();
            let elapsed = started.elapsed();
            found += checks.library_name_variants.len();
            elapsed
        })
        .collect();
    summary(
        &format!("checks of one article against {ARTICLES} articles, first call (read, extract, index, compare)"),
        times,
    );
    library.article_checks(ids[0]).unwrap();
    let times = (0..10)
        .map(|i| {
            let started = Instant::now();
            std::hint::black_box(library.article_checks(ids[i * 100]).unwrap());
            started.elapsed()
        })
        .collect();
    summary(&format!("checks of one article against {ARTICLES} articles, index kept by the Library"), times);
    println!("library name variants found for the 10 misspelt articles: {found}");
}
