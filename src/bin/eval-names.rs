//! Name variants on text nobody tuned for (issue 18), two ways:
//! - **Cases**: `tests/fixtures/names/*.tsv` (`kind`, `expected`, `text`): `variant` rows
//!   must report the pair `expected` (`A|B`, either order); `different` rows must report
//!   nothing. Recall over the variant rows, false alarms over the different rows.
//! - **Real pages**: every page of both extraction corpora (`readability/*/source.html`,
//!   `trafilatura-eval/pages/*`), imported as HTML; every variant found is printed (each
//!   is a false alarm unless the page really spells one person two ways: read them),
//!   and the count per 1,000 pages.
//!
//! Run: `cargo run --release --bin eval-names -- ../shared/corpora tests/fixtures/names/*.tsv`

use std::path::{Path, PathBuf};

use factdesk_core::assist::names::name_variants;
use factdesk_core::import::{self, Format};

fn pages(corpora: &Path) -> Vec<PathBuf> {
    let mut pages = Vec::new();
    if let Ok(entries) = std::fs::read_dir(corpora.join("readability")) {
        pages.extend(entries.flatten().map(|e| e.path().join("source.html")).filter(|p| p.is_file()));
    }
    if let Ok(entries) = std::fs::read_dir(corpora.join("trafilatura-eval/pages")) {
        pages.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
    }
    pages.sort();
    pages
}

fn cases(file: &Path) {
    let data = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let (mut variants, mut caught, mut different, mut alarms) = (0, 0, 0, 0);
    for (n, line) in data.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut cells = line.splitn(3, '\t');
        let (Some(kind), Some(expected), Some(text)) = (cells.next(), cells.next(), cells.next()) else {
            panic!("{}:{}: want kind, expected, text", file.display(), n + 1);
        };
        let found: Vec<(String, String)> =
            name_variants(text).into_iter().map(|v| (v.first.surname, v.second.surname)).collect();
        match kind {
            "variant" => {
                variants += 1;
                let (a, b) = expected.split_once('|').expect("variant rows name the pair as A|B");
                if found.iter().any(|(x, y)| (x == a && y == b) || (x == b && y == a)) {
                    caught += 1;
                } else {
                    println!("missed  {}:{}: {a} / {b}  (found {found:?})", file.display(), n + 1);
                }
            }
            "different" => {
                different += 1;
                if !found.is_empty() {
                    alarms += 1;
                    println!("alarm   {}:{}: {found:?}", file.display(), n + 1);
                }
            }
            other => panic!("{}:{}: unknown kind {other}", file.display(), n + 1),
        }
    }
    println!(
        "{}: variants caught {caught}/{variants} ({:.1}%), false alarms on different people {alarms}/{different}",
        file.display(),
        100.0 * caught as f64 / variants.max(1) as f64
    );
}

fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let corpora = args.first().cloned().unwrap_or_else(|| PathBuf::from("../shared/corpora"));
    for file in args.iter().skip(1) {
        cases(file);
    }
    let pages = pages(&corpora);
    let (mut read, mut findings) = (0usize, 0usize);
    for page in &pages {
        let Ok(bytes) = std::fs::read(page) else { continue };
        let Ok(prepared) = import::prepare("page.html", bytes, Format::Html) else { continue };
        read += 1;
        for variant in name_variants(&prepared.parsed.text) {
            findings += 1;
            println!("page    {}: {} / {}", page.display(), variant.first.name, variant.second.name);
        }
    }
    println!(
        "real pages: {findings} name variants on {read} pages imported ({} listed) = {:.1} per 1,000 articles",
        pages.len(),
        1000.0 * findings as f64 / read.max(1) as f64
    );
}
