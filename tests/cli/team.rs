//! A library shared by a desk: real `factdesk` processes on separate library files, a real
//! hub process, a throwaway PostgreSQL. Members converge; a status two members changed from
//! the same state is contested on both desks until an editor settles it; `verify` checks
//! the hub chain a synced library holds.

use serde_json::Value;

use super::hub::{hub, Served};
use super::support::{sha256_hex, Library};
use crate::postgres::cluster;

/// A hub with its schema, served; `invite` gives a member's token.
struct Desk {
    database: String,
    served: Served,
}

impl Desk {
    fn start() -> Desk {
        let database = cluster().new_database();
        hub(&["init", "--database", &database]);
        let served = Served::start(&database);
        Desk { database, served }
    }

    /// A member's library, joined to the workspace.
    fn member(&self, name: &str, role: &str, library: Library) -> Member {
        let invite =
            hub(&["invite", "--database", &self.database, "--workspace", "metro", "--member", name, "--role", role]);
        let token = invite.stdout.trim().to_owned();
        let joined = library.run_as(name, &["join", &self.served.base, "--token", &token, "--json"]);
        assert_eq!(joined.code, 0, "{name} joins: {}", joined.stderr);
        Member { name: name.to_owned(), library, joined: joined.json() }
    }
}

struct Member {
    name: String,
    library: Library,
    joined: Value,
}

impl Member {
    fn run(&self, args: &[&str]) -> Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let run = self.library.run_as(&self.name, &with_json);
        assert_eq!(run.code, 0, "{} {args:?}: {}", self.name, run.stderr);
        run.json()
    }

    fn sync(&self) -> Value {
        self.run(&["sync"])
    }

    /// Syncs: how many pulled events were replayed and how many kept unreplayed, and the
    /// whole report (for messages).
    fn sync_replayed(&self) -> ((u64, u64), Value) {
        let synced = self.sync();
        let count = |name: &str| synced["applied"][name].as_u64().unwrap();
        ((count("replayed"), count("not_replayed")), synced)
    }

    fn claims(&self) -> Vec<Value> {
        self.run(&["claim", "list"]).as_array().unwrap().clone()
    }

    /// Events made by hand, as a desk that does not play by our rules would send them:
    /// sealed with this member's own device key after its last one, pushed to `desk`'s
    /// hub, and noted as pushed here. Each is (kind, subject, payload); ids are numbered
    /// from 900000.
    fn push_made_up(&self, desk: &Desk, events: &[(factdesk_core::events::EventKind, Value, Value)]) {
        use factdesk_hub::envelope::{DeviceKey, Unsealed};
        let conn = self.library.sql();
        let (secret, token, mut head): (String, String, Option<String>) = conn
            .query_row("SELECT device_key, device_token, device_head FROM team_link", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        let key = DeviceKey::from_hex(&secret).unwrap();
        let sealed: Vec<_> = events
            .iter()
            .enumerate()
            .map(|(n, (kind, subject, payload))| {
                let envelope = key.seal(Unsealed {
                    id: format!("{}-{}", key.short_id(), 900_000 + n),
                    author: self.name.clone(),
                    at: format!("2026-12-03T02:00:{n:02}Z"),
                    kind: *kind,
                    subject: subject.clone(),
                    payload: payload.clone(),
                    prev: head.clone(),
                });
                head = Some(envelope.hash.clone());
                envelope
            })
            .collect();
        let client = factdesk_hub::client::HubClient::new(&desk.served.base);
        assert_eq!(client.push(&token, &sealed).unwrap().accepted, sealed.len());
        conn.execute("UPDATE team_link SET device_head = ?1", [&head]).unwrap();
    }

    /// This desk's shared id of the one row of `kind` it has.
    fn shared_id(&self, kind: &str) -> String {
        self.library.sql().query_row("SELECT uid FROM team_ids WHERE kind = ?1", [kind], |r| r.get(0)).unwrap()
    }
}

#[test]
fn members_converge_and_a_contested_status_waits_for_an_editor() {
    let desk = Desk::start();
    // Ana worked alone first: her history goes up when she joins.
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    library.claim(article, "1,200 containers counted twice");
    let ana = desk.member("ana", "checker", library);
    assert_eq!(ana.joined["pushed"], 2, "{}", ana.joined);

    let ben = desk.member("ben", "checker", Library::new());
    assert_eq!(ben.joined["applied"]["replayed"], 2, "{}", ben.joined);
    let (ana_claims, ben_claims) = (ana.claims(), ben.claims());
    assert_eq!(ben_claims.len(), 1);
    assert_eq!(ben_claims[0]["quote"], ana_claims[0]["quote"]);
    assert_eq!(ben.run(&["articles"])[0]["title"], ana.run(&["articles"])[0]["title"]);
    let history = ben.run(&["history"]);
    assert!(history.as_array().unwrap().iter().all(|e| e["actor"] == "ana"), "replayed under her name: {history}");

    // Both decide the claim from "unreviewed", each on their own desk.
    let (ana_claim, ben_claim) = (ana_claims[0]["id"].to_string(), ben_claims[0]["id"].to_string());
    ana.run(&["claim", "status", &ana_claim, "confirmed"]);
    ben.run(&["claim", "status", &ben_claim, "false"]);
    assert_eq!(ana.sync()["pushed"], 1);
    let ben_sync = ben.sync();
    assert_eq!((ben_sync["pushed"].as_u64(), ben_sync["contested"].as_u64()), (Some(1), Some(1)), "{ben_sync}");
    assert_eq!(ana.sync()["contested"], 1);
    for member in [&ana, &ben] {
        let contested = member.claims()[0]["contested"].clone();
        let decisions: Vec<(&str, &str)> = contested
            .as_array()
            .unwrap_or_else(|| panic!("{} sees no contest", member.name))
            .iter()
            .map(|d| (d["author"].as_str().unwrap(), d["to"].as_str().unwrap()))
            .collect();
        assert!(decisions.contains(&("ana", "confirmed")) && decisions.contains(&("ben", "false")), "{decisions:?}");
    }
    // Every report says so, and none publishes the claim as decided.
    let report = |format: &str| ben.library.run_as("ben", &["report", "--all", "--format", format]).stdout;
    let markdown = report("markdown");
    let contested_line =
        markdown.lines().find(|l| l.starts_with("- **Contested:** ")).unwrap_or_else(|| panic!("{markdown}"));
    assert!(
        contested_line.contains("ana set it confirmed") && contested_line.contains("ben set it false"),
        "{contested_line}"
    );
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(json["articles"][0]["claims"][0]["contested"].as_array().map(Vec::len), Some(2), "{json}");
    assert!(report("html").contains("<strong class=\"contested\">contested: "));
    assert!(report("csv").contains("not decided until an editor settles it"));
    assert_eq!(report("claimreview").trim(), "[]", "a contested claim is not published as reviewed");

    // An editor settles it; everyone ends on the editor's decision, uncontested.
    let ed = desk.member("ed", "editor", Library::new());
    assert!(ed.claims()[0]["contested"].is_array());
    let ed_claim = ed.claims()[0]["id"].to_string();
    let to_settle = ed.run(&["claim", "list", "--contested"]);
    assert_eq!(to_settle.as_array().map(|c| c.len()), Some(1), "{to_settle}");
    ed.run(&["claim", "status", &ed_claim, "disputed", "--note", "two readings of the audit"]);
    assert!(ed.claims()[0].get("contested").is_none());
    assert_eq!(ed.run(&["claim", "list", "--contested"]), serde_json::json!([]));
    ed.sync();
    for member in [&ana, &ben] {
        member.sync();
        let claim = &member.claims()[0];
        assert_eq!(claim["status"], "disputed", "{}: {claim}", member.name);
        assert!(claim.get("contested").is_none(), "{}: {claim}", member.name);
    }
    // The editor signs the decision off; a checker may not. The report shows who did.
    let refused = ben.library.run_as("ben", &["claim", "review", &ben_claim_id(&ben), "approve"]);
    assert!(refused.fails(2).contains("only an editor"), "{}", refused.stderr);
    let reviewed = ed.run(&["claim", "review", &ed_claim, "approve", "--note", "both readings sourced"]);
    assert_eq!(
        (reviewed["review"]["decision"].as_str(), reviewed["review"]["by"].as_str()),
        (Some("approve"), Some("ed"))
    );
    ed.sync();
    ana.sync();
    let review = ana.claims()[0]["review"].clone();
    assert_eq!((review["by"].as_str(), review["status"].as_str()), (Some("ed"), Some("disputed")), "{review}");
    let report = ana.library.run_as("ana", &["report", "--all", "--format", "markdown"]);
    assert!(report.stdout.contains("- **Signed off:** by ed on "), "{}", report.stdout);

    // The editor makes sign-off required: a checker's new decision waits for it in every
    // desk's reports, and ClaimReview leaves it out until then.
    let refused = ben.library.run_as("ben", &["require-review", "on"]);
    assert!(refused.fails(2).contains("only an editor"), "{}", refused.stderr);
    assert_eq!(ed.library.run_as("ed", &["require-review", "on"]).code, 0);
    ed.sync();
    ana.sync();
    let signed = ana.library.run_as("ana", &["report", "--all", "--format", "json"]).stdout;
    assert!(!signed.contains("awaiting_sign_off"), "the approved decision counts: {signed}");
    let ana_claim = ana.claims()[0]["id"].to_string();
    ana.run(&["claim", "status", &ana_claim, "unconfirmed"]);
    let waiting = ana.library.run_as("ana", &["report", "--all", "--format", "markdown"]).stdout;
    assert!(waiting.contains("- **Sign-off:** awaiting an editor's; not decided yet"), "{waiting}");
    let published = ana.library.run_as("ana", &["report", "--all", "--format", "claimreview"]);
    assert!(!published.stdout.contains("\"ClaimReview\""), "{}", published.stdout);
    ana.sync();
    ben.sync();
    let theirs = ben.library.run_as("ben", &["report", "--all", "--format", "json"]).stdout;
    assert!(theirs.contains("\"awaiting_sign_off\": true"), "{theirs}");

    // Ed gives the article to Ben and one claim to Ana; every desk knows who checks what.
    let ed_article = ed.run(&["articles"])[0]["id"].to_string();
    assert_eq!(ed.run(&["assign", &ed_article, "--to", "ben"])["assigned_to"], "ben");
    ed.sync();
    ben.sync();
    assert_eq!(ben.claims()[0]["assigned_to"], "ben", "a claim follows its article's assignment");
    assert_eq!(ben.run(&["claim", "list", "--assigned-to", "ben"]).as_array().unwrap().len(), 1);
    assert_eq!(ben.run(&["claim", "list", "--assigned-to", "ana"]).as_array().unwrap().len(), 0);
    ed.run(&["assign", "--claim", &ed_claim, "--to", "ana"]);
    ed.sync();
    ana.sync();
    assert_eq!(ana.claims()[0]["assigned_to"], "ana", "the claim's own assignment wins");
    assert_eq!(ed.run(&["assign", "--claim", &ed_claim, "--nobody"])["assigned_to"], Value::Null);
    assert!(ed.claims()[0].get("assigned_to").is_none(), "taken back: nobody, not the article's member");

    // Evidence adds up across desks: Ben links two sources (one regraded later), Ana sees
    // both with the same web addresses and grades; Ben takes one back, and so does Ana's desk.
    let ben_claim = ben_claim_id(&ben);
    let add = |title: &str, url: &str, stance: &str| {
        ben.run(&[
            "evidence",
            "add",
            &ben_claim,
            "--title",
            title,
            "--url",
            url,
            "--stance",
            stance,
            "--reliability",
            "C",
        ])
    };
    add("Port statistics", "https://example.org/stats", "supports");
    let audit = add("Audit report", "https://example.com/audit", "refutes");
    ben.run(&[
        "evidence",
        "add",
        &ben_claim,
        "--title",
        "Port statistics",
        "--url",
        "https://example.org/stats",
        "--reliability",
        "B",
    ]);
    ben.sync();
    ana.sync();
    let evidence = ana.claims()[0]["evidence"].clone();
    let mut seen: Vec<(String, String)> = evidence
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["source"]["url"].as_str().unwrap().to_owned(), e["source"]["reliability"].as_str().unwrap().to_owned())
        })
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen,
        [
            ("https://example.com/audit".to_owned(), "C".to_owned()),
            ("https://example.org/stats".to_owned(), "B".to_owned())
        ],
        "{evidence}"
    );
    assert_eq!(ana.run(&["sources"]).as_array().unwrap().len(), 2, "one source per page on Ana's desk too");
    let removed = ben.library.run_as("ben", &["evidence", "remove", &audit["id"].to_string(), "--note", "wrong year"]);
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    ben.sync();
    ana.sync();
    let urls: Vec<String> = ana.claims()[0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"]["url"].as_str().unwrap().to_owned())
        .collect();
    assert!(!urls.iter().any(|u| u.contains("audit")) && !urls.is_empty(), "{urls:?}");
    assert_eq!(ana.run(&["sync", "--status"])["not_replayed"], 0);

    // Every desk's history and its copy of the hub chain verify.
    for member in [&ana, &ben, &ed] {
        let verified = member.library.run(&["verify"]);
        assert_eq!(verified.code, 0, "{}: {}{}", member.name, verified.stdout, verified.stderr);
    }
    let status = ana.run(&["sync", "--status"]);
    assert_eq!((status["waiting"].as_u64(), status["link"]["member"].as_str()), (Some(0), Some("ana")), "{status}");
}

/// Ten members flag claims in one article; one of them works offline for a while. After
/// each has synced (twice: the last to sync first pulled only some), all ten libraries hold
/// the same claims, and an edit of the hub chain a library keeps is found by `verify`.
#[test]
fn ten_members_converge_and_one_offline_catches_up() {
    let desk = Desk::start();
    let first = Library::new();
    first.import(&["wire-harbour.txt"]);
    let mut members = vec![desk.member("m0", "reporter", first)];
    for i in 1..10 {
        members.push(desk.member(&format!("m{i}"), "reporter", Library::new()));
    }
    let quotes = [
        "4.2 million tonnes",
        "1,200 containers counted twice",
        "regrettable but not material",
        "a software change in 2023",
        "second-highest on record",
        "independent estimates",
        "The harbour authority said on Friday",
        "the audit found",
        "Karl Borg",
        "budget speech",
    ];
    let offline = 9;
    for (i, member) in members.iter().enumerate() {
        let local_article = member.run(&["articles"])[0]["id"].to_string();
        member.run(&["claim", "add", &local_article, "--quote", quotes[i]]);
        if i != offline {
            member.sync();
        }
    }
    // The offline member keeps working: two more claims, then comes back.
    let away = &members[offline];
    let local_article = away.run(&["articles"])[0]["id"].to_string();
    away.run(&["claim", "add", &local_article, "--quote", "Vella-Grech replied"]);
    away.run(&["claim", "add", &local_article, "--quote", "called the error"]);
    assert_eq!(away.run(&["sync", "--status"])["waiting"], 3);
    assert_eq!(away.sync()["pushed"], 3);
    for member in &members {
        member.sync();
    }
    let expected: Vec<String> = {
        let mut quotes: Vec<String> =
            members[0].claims().iter().map(|c| c["quote"].as_str().unwrap().to_owned()).collect();
        quotes.sort();
        quotes
    };
    assert_eq!(expected.len(), 12);
    for member in &members {
        let mut quotes: Vec<String> = member.claims().iter().map(|c| c["quote"].as_str().unwrap().to_owned()).collect();
        quotes.sort();
        assert_eq!(quotes, expected, "{}", member.name);
        assert_eq!(member.run(&["sync", "--status"])["link"]["pulled_seq"], 13);
    }

    // An edited copy of the hub's order is noticed.
    let tampered = &members[3].library;
    tampered
        .sql()
        .execute("UPDATE team_events SET envelope = replace(envelope, 'Karl Borg', 'Karl Berg') WHERE seq = 10", [])
        .unwrap();
    let verified = tampered.run(&["verify"]);
    assert_eq!(verified.code, 1, "{}{}", verified.stdout, verified.stderr);
    assert!(
        verified.stdout.contains("changed after it was pulled")
            || verified.stderr.contains("changed after it was pulled"),
        "{}{}",
        verified.stdout,
        verified.stderr
    );
}

/// An event that cannot apply on a desk (its quote is not in the article: another release
/// extracted the text differently, say) is kept and counted, writes nothing, and does not
/// stop the events after it.
#[test]
fn an_event_that_cannot_apply_here_is_kept_and_later_ones_still_replay() {
    use factdesk_core::events::EventKind;
    use serde_json::json;

    let desk = Desk::start();
    let library = Library::new();
    library.import(&["wire-harbour.txt"]);
    let ana = desk.member("ana", "checker", library);
    let ben = desk.member("ben", "checker", Library::new());

    // A flag whose quote is nowhere in the text, sealed with Ana's own device key; and one
    // whose quote is there but whose claimant carries a terminal escape: our field rules
    // hold for what arrives from the hub too.
    let article = ana.shared_id("article");
    ana.push_made_up(
        &desk,
        &[
            (
                EventKind::ClaimFlagged,
                json!({"article": article, "claim": "made-up-c1"}),
                json!({"quote": "words that are not in the article", "start": 0, "end": 33, "claimant": null, "note": null}),
            ),
            (
                EventKind::ClaimFlagged,
                json!({"article": article, "claim": "made-up-c2"}),
                json!({"quote": "called the error", "start": 0, "end": 16, "claimant": "\u{1b}[31mPort director", "note": null}),
            ),
        ],
    );

    let article_id = ana.run(&["articles"])[0]["id"].to_string();
    ana.run(&["claim", "add", &article_id, "--quote", "4.2 million tonnes"]);
    ana.sync();
    let before = ben.library.counts();
    let (replayed, synced) = ben.sync_replayed();
    assert_eq!(replayed, (1, 2), "{synced}");
    let after = ben.library.counts();
    assert_eq!(
        (after[1] - before[1], after[4] - before[4]),
        (1, 1),
        "one claim and its event, nothing of the stray one"
    );
    assert_eq!(ben.claims()[0]["quote"], "4.2 million tonnes");
    assert_eq!(ben.run(&["sync", "--status"])["not_replayed"], 2);
    assert_eq!(ben.library.run(&["verify"]).code, 0);
}

/// Evidence files travel with their events: another desk keeps the same bytes (and its
/// `verify` checks them); a file over the hub's limit stays on its desk, and the others
/// keep its event unreplayed without stopping their sync.
#[test]
fn evidence_files_travel_to_other_desks() {
    let desk = Desk::start();
    let (library, claim) = library_with_claim("1,200 containers counted twice");
    let ana = desk.member("ana", "checker", library);
    let ben = desk.member("ben", "checker", Library::new());

    let pdf = ana.library.path("audit 2024.pdf");
    let content = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    std::fs::write(&pdf, content).unwrap();
    ana.run(&["evidence", "add", &claim, "--title", "Audit", "--file", pdf.to_str().unwrap()]);
    let scan = ana.library.path("scan.tiff");
    let mut large = b"II*\0".to_vec();
    large.resize(factdesk_hub::store::MAX_BLOB_BYTES + 1, 7);
    std::fs::write(&scan, &large).unwrap();
    ana.run(&["evidence", "add", &claim, "--title", "Scan", "--file", scan.to_str().unwrap()]);
    ana.sync();

    let (replayed, synced) = ben.sync_replayed();
    assert_eq!(replayed, (3, 1), "two evidence links and the small file; the large file's event is kept: {synced}");
    let evidence = ben.claims()[0]["evidence"].as_array().unwrap().clone();
    let titled = |title: &str| evidence.iter().find(|e| e["source"]["title"] == title).unwrap().clone();
    let file = &titled("Audit")["file"];
    assert_eq!(
        (file["name"].as_str(), file["media_type"].as_str(), file["sha256"].as_str()),
        (Some("audit 2024.pdf"), Some("application/pdf"), Some(sha256_hex(content).as_str())),
        "{file}"
    );
    assert!(titled("Scan").get("file").is_none(), "the large file stayed on Ana's desk");
    assert_eq!(ben.library.run(&["verify"]).code, 0);

    // A made-up file event that puts one claim's evidence under another claim is kept
    // unreplayed, though its bytes are on the hub.
    let article = ana.run(&["articles"])[0]["id"].to_string();
    let other = ana.run(&["claim", "add", &article, "--quote", "4.2 million tonnes"])["id"].clone();
    ana.sync();
    let uid = |kind: &str, local: &Value| -> String {
        let sql = "SELECT uid FROM team_ids WHERE kind = ?1 AND local_id = ?2";
        ana.library.sql().query_row(sql, rusqlite::params![kind, local.as_i64()], |r| r.get(0)).unwrap()
    };
    let audit =
        ana.claims().iter().flat_map(|c| c["evidence"].as_array().unwrap().clone()).find(|e| e["file"].is_object());
    let audit = audit.unwrap();
    let subject = serde_json::json!({"article": ana.shared_id("article"), "claim": uid("claim", &other)});
    let payload = serde_json::json!({
        "evidence_id": uid("evidence", &audit["id"]), "file_id": "made-up-f1", "name": "audit 2024.pdf",
        "media_type": "application/pdf", "sha256": sha256_hex(content), "bytes": content.len(),
    });
    ana.push_made_up(&desk, &[(factdesk_core::events::EventKind::FileAttached, subject, payload)]);
    let (replayed, synced) = ben.sync_replayed();
    assert_eq!(replayed, (1, 1), "the second flag; the made-up file: {synced}");
}

/// Captured pages travel too, byte for byte: the page of an article imported from the web
/// (sent gzipped) and a page kept for evidence (in windows-1251) reach another desk with
/// the same records and the same text, read there from the records, and `verify` checks
/// them there.
#[test]
fn captured_pages_travel_byte_for_byte() {
    use crate::http_server::{TestServer, ARTICLE_SENTENCE, RUSSIAN_SENTENCE};
    let server = TestServer::start();
    let address = server.address.to_string();
    let desk = Desk::start();
    let ana = desk.member("ana", "checker", Library::new());
    let ben = desk.member("ben", "checker", Library::new());
    let fetching_as = |member: &Member, args: &[&str]| {
        let run = member.library.run_with(&member.name, &[("FACTDESK_ALLOW_ADDRESSES", &address)], args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    };
    let fetching = |args: &[&str]| fetching_as(&ana, args);
    fetching(&["import", &server.url("/gzip-article")]);
    let article = ana.run(&["articles"])[0]["id"].to_string();
    let claim = ana.run(&["claim", "add", &article, "--quote", "1,200 containers"])["id"].to_string();
    fetching(&["evidence", "add", &claim, "--title", "Prices", "--url", &server.url("/cp1251"), "--capture"]);
    ana.sync();

    let synced = ben.sync();
    assert_eq!(synced["applied"]["not_replayed"], 0, "{synced}");
    let pages = |member: &Member| -> Vec<(String, Vec<u8>, Option<String>)> {
        let conn = member.library.sql();
        let mut rows = conn.prepare("SELECT url, warc, text FROM snapshots ORDER BY id").unwrap();
        rows.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    let (on_ana, on_ben) = (pages(&ana), pages(&ben));
    assert_eq!(on_ana.len(), 2);
    assert!(on_ben == on_ana, "the same records and text on both desks");
    assert!(on_ben[0].2.as_deref().unwrap_or_default().contains(ARTICLE_SENTENCE), "{:?}", on_ben[0].2);
    assert!(on_ben[1].2.as_deref().unwrap_or_default().contains(RUSSIAN_SENTENCE), "{:?}", on_ben[1].2);
    let snapshot = |member: &Member| member.claims()[0]["evidence"][0]["snapshot"]["sha256"].clone();
    assert_eq!(snapshot(&ben), snapshot(&ana));
    assert!(snapshot(&ben).is_string());
    assert_eq!(ben.run(&["snapshots"]).as_array().map(Vec::len), Some(2));
    assert_eq!(ben.library.run(&["verify"]).code, 0);

    // A new version's page waits with its version (not replayed yet): Ben's article keeps
    // the page of the bytes it has. (This server's /large is new at every fetch.)
    fetching(&["import", &server.url("/large")]);
    let large = ana.run(&["articles"]).as_array().unwrap().iter().filter_map(|a| a["id"].as_i64()).max().unwrap();
    fetching(&["refresh", &large.to_string()]);
    ana.sync();
    let synced = ben.sync();
    assert_eq!(synced["applied"]["not_replayed"], 2, "the version and its page: {synced}");
    let pages = |member: &Member| -> Vec<Value> {
        member.run(&["snapshots"]).as_array().unwrap().iter().map(|s| s["sha256"].clone()).collect()
    };
    assert_eq!(pages(&ana).len(), 4);
    assert_eq!(pages(&ben), pages(&ana)[..3]);
    assert_eq!(ben.library.run(&["verify"]).code, 0);

    // A page both desks imported is one article with one page on each.
    fetching_as(&ben, &["import", &server.url("/cp1251")]);
    fetching(&["import", &server.url("/cp1251")]);
    ana.sync();
    ben.sync();
    assert_eq!(pages(&ben).len(), 4, "{:?}", pages(&ben));
    assert_eq!(ben.run(&["articles"]).as_array().map(Vec::len), Some(3));
    assert_eq!(ben.library.run(&["verify"]).code, 0);

    // A page event naming an address that is not the web's is kept unreplayed, though its
    // records (already on the hub) are sound.
    let (warc_sha256, sha256, final_url): (String, String, String) = ana
        .library
        .sql()
        .query_row("SELECT warc_sha256, sha256, final_url FROM snapshots WHERE evidence_id IS NOT NULL", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let subject = serde_json::json!({"article": ana.shared_id("article"), "claim": ana.shared_id("claim")});
    let payload = serde_json::json!({
        "snapshot_id": "made-up-p1", "evidence_id": ana.shared_id("evidence"), "url": "file:///etc/passwd",
        "final_url": final_url, "status": 200, "content_type": "text/html", "fetched_at": "2026-12-03T02:00:00Z",
        "sha256": sha256, "bytes": 1, "warc_sha256": warc_sha256,
    });
    ana.push_made_up(&desk, &[(factdesk_core::events::EventKind::SnapshotCaptured, subject, payload)]);
    let (replayed, synced) = ben.sync_replayed();
    assert_eq!(replayed, (0, 1), "{synced}");
    assert_eq!(pages(&ben).len(), 4);
}

/// A library of one's own, not yet joined: the wire story imported and `quote` flagged
/// (its claim id).
fn library_with_claim(quote: &str) -> (Library, String) {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let claim = library.claim(article, quote).to_string();
    (library, claim)
}

fn ben_claim_id(member: &Member) -> String {
    member.claims()[0]["id"].to_string()
}

/// A library with work beyond its member's role joins anyway: what the role allows goes up,
/// the rest stays on this desk; from then on the desk refuses what the role does not allow
/// (the hub would refuse it, and with it every later change).
#[test]
fn a_reporters_desk_keeps_what_its_role_cannot_share_and_refuses_the_rest() {
    let desk = Desk::start();
    let (library, claim) = library_with_claim("4.2 million tonnes");
    library.ok(&["claim", "status", &claim, "confirmed"]);
    let rita = desk.member("rita", "reporter", library);
    assert_eq!(rita.joined["pushed"], 2, "the import and the flag: {}", rita.joined);
    assert_eq!(rita.run(&["sync", "--status"])["waiting"], 0);
    let refused = rita.library.run_as("rita", &["claim", "status", &claim, "false"]);
    assert!(refused.fails(2).contains("as a reporter of \"metro\" you may not"), "{}", refused.stderr);
    let article = rita.run(&["articles"])[0]["id"].to_string();
    rita.run(&["claim", "add", &article, "--quote", "1,200 containers counted twice"]);
    assert_eq!(rita.sync()["pushed"], 1);
    let carl = desk.member("carl", "checker", Library::new());
    let statuses: Vec<String> = carl.claims().iter().map(|c| c["status"].as_str().unwrap().to_owned()).collect();
    assert_eq!(statuses, ["unreviewed", "unreviewed"], "rita's early decision stayed on her desk");
}
