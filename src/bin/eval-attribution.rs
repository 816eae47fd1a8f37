//! Evaluates who-said-it attribution on our own annotated news sentences
//! (`tests/fixtures/attribution/annotated.tsv`: article, sentence, claimant). Sentences
//! of one article are read in order by `Attributor::claimants`, as `suggest` reads them.
//! Prints every miss with `-v`, then accuracy over all sentences, over the quoted or
//! reported ones (a claimant expected), and the false attributions.
//!
//! Run: `cargo run --release --bin eval-attribution -- tests/fixtures/attribution/annotated.tsv [-v]`

use factdesk_core::assist::attribution::Attributor;

fn normalize(name: &str) -> String {
    name.trim().replace('’', "'").to_lowercase()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "tests/fixtures/attribution/annotated.tsv".to_owned());
    let verbose = args.any(|a| a == "-v");
    let data = match std::fs::read_to_string(&path) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    // (article, sentence, expected claimant), in file order.
    let mut rows: Vec<(&str, &str, Option<&str>)> = Vec::new();
    for line in data.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut cells = line.split('\t');
        let (Some(id), Some(sentence)) = (cells.next(), cells.next()) else {
            eprintln!("error: {path}: a line without article and sentence: {line:?}");
            std::process::exit(1);
        };
        rows.push((id, sentence, cells.next().map(str::trim).filter(|c| !c.is_empty())));
    }
    let (mut total, mut right, mut attributed, mut attributed_right, mut invented) = (0, 0, 0, 0, 0);
    for article in rows.chunk_by(|a, b| a.0 == b.0) {
        let got = Attributor::new().claimants(article.iter().map(|row| row.1));
        for (&(id, sentence, expected), got) in article.iter().zip(got) {
            let ok = got.as_deref().map(normalize) == expected.map(normalize);
            total += 1;
            right += usize::from(ok);
            if expected.is_some() {
                attributed += 1;
                attributed_right += usize::from(ok);
            } else if got.is_some() {
                invented += 1;
            }
            if verbose && !ok {
                println!("article {id}: {sentence}\n    expected {expected:?}, got {got:?}");
            }
        }
    }
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    println!(
        "attribution: {right}/{total} sentences right ({:.1}%); claimant named in {attributed_right}/{attributed} quoted or reported sentences ({:.1}%); {invented} of {} sentences without a speaker given one",
        pct(right, total),
        pct(attributed_right, attributed),
        total - attributed
    );
}
