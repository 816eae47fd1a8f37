//! `factdesk import`: metadata and text from each shape and encoding, dedupe, refusals.

use super::support::{fixture, shared, Library};

struct Expected {
    file: &'static str,
    title: &'static str,
    outlet: Option<&'static str>,
    author: Option<&'static str>,
    dateline: Option<&'static str>,
    published: Option<&'static str>,
    url: Option<&'static str>,
    encoding: &'static str,
    format: &'static str,
    text_starts: &'static str,
}

const FIXTURES: &[Expected] = &[
    Expected {
        file: "wire-harbour.txt",
        title: "Harbour authority says “record” tonnage figure was overstated after audit",
        outlet: Some("Island Wire"),
        author: None,
        dateline: Some("Valletta"),
        published: Some("2025-03-14"),
        url: None,
        encoding: "utf-8",
        format: "text",
        text_starts: "The harbour authority said on Friday that last year’s “record” cargo figure",
    },
    Expected {
        file: "council-tram.txt",
        title: "Council delays the tram vote for a third time",
        outlet: None,
        author: Some("Ines Duarte"),
        dateline: None,
        published: Some("2025-02-03"),
        url: Some("https://example.org/news/tram-vote"),
        encoding: "utf-8",
        format: "text",
        text_starts: "The city council postponed its vote on the eastern tram line on Monday, saying that the cost estimate of €310 million \"needs another look\".\n\nCouncillor",
    },
    Expected {
        file: "port-fees.md",
        title: "Port fees: what the minister said, and what the figures show",
        outlet: Some("Harbour Gazette"),
        author: Some("Ana Petrova, Tom Reyes"),
        dateline: None,
        published: Some("2025-06-01"),
        url: Some("https://example.org/analysis/port-fees"),
        encoding: "utf-8",
        format: "markdown",
        text_starts: "Port fees: a check\n\nThe minister said fees rose by 12% in 2024, “the smallest rise in a decade”.",
    },
    Expected {
        file: "latin1-budget.txt",
        title: "Les élus de Zürich débattent du budget",
        outlet: Some("Journal Régional"),
        author: None,
        dateline: Some("Genève"),
        published: None,
        url: None,
        encoding: "windows-1252",
        format: "text",
        text_starts: "Le conseil a adopté un budget de 2,4 milliards de francs, a déclaré la présidente Hélène Côté.\n\n« C’est un équilibre fragile », a-t-elle ajouté —",
    },
    Expected {
        file: "utf16-bridge.txt",
        title: "Bridge closure to last “at least” three weeks",
        outlet: None,
        author: None,
        dateline: None,
        published: None,
        url: None,
        encoding: "utf-16le",
        format: "text",
        text_starts: "The transport office said the bridge would close for at least three weeks, starting on 4 March.\n\nEngineers",
    },
];

#[test]
fn each_fixture_imports_with_its_metadata_and_text() {
    let library = Library::new();
    for expected in FIXTURES {
        let path = fixture(expected.file);
        let imported = library.ok_json(&["import", path.to_str().unwrap()]);
        let id = imported[0]["id"].as_i64().unwrap();
        let shown = library.ok_json(&["show", &id.to_string()]);
        let field = |name: &str| shown[name].as_str().map(str::to_owned);
        let file = expected.file;
        assert_eq!(field("title").as_deref(), Some(expected.title), "{file} title");
        assert_eq!(field("outlet").as_deref(), expected.outlet, "{file} outlet");
        assert_eq!(field("author").as_deref(), expected.author, "{file} author");
        assert_eq!(field("dateline").as_deref(), expected.dateline, "{file} dateline");
        assert_eq!(field("published").as_deref(), expected.published, "{file} published");
        assert_eq!(field("url").as_deref(), expected.url, "{file} url");
        assert_eq!(field("encoding").as_deref(), Some(expected.encoding), "{file} encoding");
        assert_eq!(field("format").as_deref(), Some(expected.format), "{file} format");
        let text = field("text").unwrap();
        assert!(text.starts_with(expected.text_starts), "{file} text starts {:?}", &text[..text.len().min(200)]);
        assert!(!text.contains('\r'), "{file}: line endings normalized");
        assert!(!text.contains("<script>"), "{file}: raw HTML dropped");
        assert!(shown["word_count"].as_u64().unwrap() > 10, "{file} word count");
        let counts = &shown["claim_counts"];
        for status in ["unreviewed", "confirmed", "unconfirmed", "disputed", "false"] {
            assert_eq!(counts[status], 0, "{file} claim_counts.{status}");
        }
        assert!(shown["claims"].as_array().unwrap().is_empty());
    }
    assert_eq!(library.ok_json(&["articles"]).as_array().unwrap().len(), FIXTURES.len());
}

#[test]
fn the_shared_wire_sample_reads_its_headline_dateline_and_outlet() {
    let library = Library::new();
    let path = shared("samples/seed-article.txt");
    let article = library.ok_json(&["import", path.to_str().unwrap()])[0].clone();
    assert_eq!(article["dateline"], "Kyiv");
    assert_eq!(article["outlet"], "UNN");
    assert_eq!(article["published"], "2024-10-22");
    assert!(article["title"].as_str().unwrap().starts_with("France commented on"));
    let text = library.ok_json(&["show", "1"])["text"].as_str().unwrap().to_owned();
    assert_eq!(text.split("\n\n").count(), 9, "one paragraph a line after the dateline");
    assert!(text.contains("“turning point”"), "curly quotes kept");
}

#[test]
fn the_same_bytes_twice_are_one_article() {
    let library = Library::new();
    let path = fixture("wire-harbour.txt");
    library.ok(&["import", path.to_str().unwrap()]);
    let copy = library.path("copy-with-another-name.txt");
    std::fs::copy(&path, &copy).unwrap();
    let again = library.ok(&["import", copy.to_str().unwrap(), "--json"]);
    assert!(again.stderr.contains("already in the library as article 1"), "{}", again.stderr);
    assert_eq!(again.json()[0]["id"], 1);
    assert_eq!(library.counts(), [1, 0, 0, 0, 1]);
}

#[test]
fn bad_files_are_refused_in_one_line_and_nothing_is_written() {
    let library = Library::new();
    library.ok(&["articles"]);
    let write = |name: &str, bytes: &[u8]| {
        let path = library.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let huge = library.path("huge.txt");
    std::fs::File::create(&huge).unwrap().set_len(20 * 1024 * 1024 + 1).unwrap();
    let folder = library.path("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let controls: Vec<u8> = (0..400u32).map(|i| if i % 3 == 0 { 0x07 } else { b'x' }).collect();
    let cases = [
        (write("empty.txt", b""), "file is empty"),
        (write("blank.txt", b"  \n\r\n\t \n"), "only whitespace"),
        (write("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary"),
        (write("controls.txt", &controls), "binary"),
        (write("odd.txt", b"\xFF\xFEa"), "not valid UTF-16"),
        (write("page.html", b"<!doctype html><p>later</p>"), "not supported yet"),
        (huge, "over the import limit"),
        (folder, "is a directory"),
        (library.path("missing.txt"), "no such file"),
    ];
    for (path, reason) in cases {
        let run = library.run(&["import", path.to_str().unwrap()]);
        let line = run.fails(1);
        assert!(line.contains(path.file_name().unwrap().to_str().unwrap()), "names the file: {line}");
        assert!(line.contains(reason), "{reason:?} in {line:?}");
        assert_eq!(library.counts(), [0; 5], "nothing written for {path:?}");
    }
}

#[test]
fn a_batch_goes_past_a_bad_file_and_ends_with_a_summary() {
    let library = Library::new();
    let bad = library.path("empty.txt");
    std::fs::write(&bad, b"").unwrap();
    let good = [fixture("wire-harbour.txt"), fixture("port-fees.md")];
    let run = library.run(&["import", good[0].to_str().unwrap(), bad.to_str().unwrap(), good[1].to_str().unwrap(), good[0].to_str().unwrap()]);
    assert_eq!(run.code, 1, "a refused file makes the batch exit 1");
    assert!(run.stderr.contains("empty.txt: file is empty"), "{}", run.stderr);
    assert!(run.stderr.contains("2 imported, 1 already in the library, 1 refused"), "{}", run.stderr);
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("imported article")).count(), 2, "{}", run.stdout);
    assert_eq!(library.counts()[0], 2);
}

#[test]
fn a_forced_format_overrides_detection() {
    let library = Library::new();
    let path = fixture("port-fees.md");
    let as_text = library.ok_json(&["import", "--format", "text", path.to_str().unwrap()]);
    assert_eq!(as_text[0]["format"], "text");
    assert_eq!(as_text[0]["title"], "---", "read as plain text, the front matter fence is the first line");
    library.run(&["import", "--format", "pdf", path.to_str().unwrap()]).fails(2);
}

#[test]
fn a_library_from_a_newer_factdesk_or_another_file_is_left_untouched() {
    let library = Library::new();
    library.ok(&["articles"]);
    library.sql().execute_batch("PRAGMA user_version = 99").unwrap();
    let before = std::fs::read(&library.db).unwrap();
    let line = library.run(&["articles"]).fails(1).to_owned();
    assert!(line.contains("newer"), "{line}");
    assert_eq!(std::fs::read(&library.db).unwrap(), before);

    let not_a_db = library.path("notes.sqlite");
    std::fs::write(&not_a_db, "just some text, long enough to not look like an empty database file at all".repeat(20)).unwrap();
    let before = std::fs::read(&not_a_db).unwrap();
    let run = library.run(&["--db", not_a_db.to_str().unwrap(), "articles"]);
    assert!(run.fails(1).contains("not a Factdesk library"), "{}", run.stderr);
    assert_eq!(std::fs::read(&not_a_db).unwrap(), before);
}
