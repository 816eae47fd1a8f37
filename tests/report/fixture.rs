//! A small library with claims in every status, built through the core with a clock that
//! ticks one minute per change, so ids, times and history hashes never vary.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use factdesk_core::{
    Attachment, Capture, ClaimTarget, Credibility, Format, Library, NewClaim, NewEvidence, Reliability, ReportFormat,
    ReportRequest, ReportScope, SourceChoice, SourceKind, Stance, Status,
};

use crate::cli::support::fixture;

/// The time every fixture report says it was generated.
pub fn generated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 1, 12, 0, 0).unwrap()
}

/// Two desks on one file, sharing one ticking clock.
pub struct Desks {
    pub reporter: Library,
    pub editor: Library,
}

pub fn open(db: &Path) -> Desks {
    let minutes = Arc::new(AtomicI64::new(0));
    let clock = move |minutes: Arc<AtomicI64>| {
        move || {
            Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
                + chrono::Duration::minutes(minutes.fetch_add(1, Ordering::SeqCst))
        }
    };
    Desks {
        reporter: Library::open(db, "Ana Reyes").unwrap().with_clock(clock(minutes.clone())),
        editor: Library::open(db, "Desk editor").unwrap().with_clock(clock(minutes)),
    }
}

fn claim(library: &Library, article_id: i64, quote: &str, claimant: Option<&str>) -> i64 {
    let target = ClaimTarget::Quote { quote: quote.to_owned(), occurrence: None };
    library.add_claim(NewClaim { article_id, target, claimant: claimant.map(str::to_owned), note: None }).unwrap().id
}

#[allow(clippy::too_many_arguments)]
fn evidence(
    library: &Library,
    claim_id: i64,
    title: &str,
    url: Option<&str>,
    kind: Option<SourceKind>,
    stance: Stance,
    reliability: Option<Reliability>,
    credibility: Option<u8>,
    excerpt: Option<&str>,
) -> i64 {
    let source = SourceChoice::Described { title: title.to_owned(), url: url.map(str::to_owned), kind };
    library
        .add_evidence(NewEvidence {
            claim_id,
            source,
            reliability,
            stance,
            credibility: credibility.map(|c| Credibility::new(c).unwrap()),
            excerpt: excerpt.map(str::to_owned),
        })
        .unwrap()
        .id
}

/// Builds the fixture library at `db`: three articles, claims in every status, reused
/// sources, a removed claim and a removed evidence link (both must stay out of reports).
pub fn build(db: &Path) -> Desks {
    let desks = open(db);
    let (r, e) = (&desks.reporter, &desks.editor);
    let import = |name: &str| r.import_file(&fixture(name), Format::Auto).unwrap().article().id;
    let harbour = import("wire-harbour.txt");
    let tram = import("council-tram.txt");
    let fees = import("port-fees.md");

    let containers = claim(r, harbour, "1,200 containers counted twice", Some("Marta Vella-Grech"));
    let record = claim(r, harbour, "“record” cargo figure of 4.2 million tonnes", Some("the harbour authority"));
    let budget = claim(r, harbour, "the budget used “independent estimates”", Some("the ministry"));
    let software = claim(r, harbour, "the error dated from a software change in 2023", Some("Karl Borg"));
    let dropped = claim(r, harbour, "second-highest on record", None);

    let audit = evidence(
        r,
        containers,
        "Harbour authority audit summary",
        Some("https://audit.example.mt/2025/summary"),
        None,
        Stance::Supports,
        Some(Reliability::B),
        Some(2),
        Some("1,200 TEU were entered twice after the March migration."),
    );
    evidence(
        r,
        containers,
        "Interview with the auditor",
        None,
        Some(SourceKind::Person),
        Stance::Supports,
        Some(Reliability::C),
        Some(2),
        None,
    );
    e.set_status(containers, Status::Confirmed, Some("Two independent sources agree on the count.".into())).unwrap();

    evidence(
        r,
        budget,
        "Opposition press release",
        Some("https://opposition.example.mt/press/budget"),
        Some(SourceKind::OfficialStatement),
        Stance::Refutes,
        Some(Reliability::C),
        Some(3),
        None,
    );
    evidence(
        r,
        budget,
        "Ministry budget annex",
        Some("https://gov.example.mt/budget/annex-b"),
        Some(SourceKind::Document),
        Stance::Supports,
        Some(Reliability::B),
        Some(3),
        Some("Estimates prepared by the statistics office."),
    );
    e.set_status(budget, Status::Disputed, Some("Annex and opposition contradict each other.".into())).unwrap();

    let mistaken = evidence(
        r,
        software,
        "Forum post",
        Some("https://forum.example.org/t/123"),
        Some(SourceKind::WebPage),
        Stance::Supports,
        Some(Reliability::E),
        Some(5),
        None,
    );
    r.remove_evidence(mistaken, Some("not a source".into())).unwrap();
    e.set_status(software, Status::Unconfirmed, Some("Auditor's claim; no change log seen yet.".into())).unwrap();
    r.remove_claim(dropped, Some("not checkable".into())).unwrap();
    let _ = record; // stays unreviewed

    let cost = claim(r, tram, "cost estimate of €310 million", Some("the city council"));
    let petition = claim(r, tram, "8,000 people signed a petition", Some("residents’ groups"));
    // The same audit source, reused by URL (tracking parameters do not make a new source).
    evidence(
        r,
        cost,
        "Audit (reused)",
        Some("https://www.audit.example.mt/2025/summary?utm_source=x"),
        None,
        Stance::Context,
        None,
        Some(6),
        None,
    );
    e.set_status(cost, Status::Confirmed, None).unwrap();
    evidence(
        r,
        petition,
        "Petition portal count",
        Some("https://petitions.example.org/tram"),
        Some(SourceKind::Dataset),
        Stance::Refutes,
        Some(Reliability::A),
        Some(1),
        Some("5,212 signatures at close."),
    );
    e.set_status(petition, Status::False, Some("The portal shows 5,212 signatures.".into())).unwrap();

    let rise = claim(r, fees, "fees rose by 12% in 2024", Some("the minister"));
    evidence(
        r,
        rise,
        "Tariff tables 2024",
        Some("https://example.org/tariffs/2024"),
        Some(SourceKind::Dataset),
        Stance::Refutes,
        Some(Reliability::A),
        Some(1),
        Some("Containers: +14%"),
    );
    // The audit page, captured; the tariff tables kept as a file.
    r.capture_evidence(audit, &audit_page()).unwrap();
    let tables = NewEvidence {
        claim_id: rise,
        source: SourceChoice::Described { title: "Tariff tables 2024 (PDF)".into(), url: None, kind: None },
        reliability: Some(Reliability::A),
        stance: Stance::Refutes,
        credibility: None,
        excerpt: None,
    };
    let pdf = Attachment::File { name: "tariffs-2024.pdf".into(), content: b"%PDF-1.4 tariff tables".to_vec() };
    r.add_evidence_with(tables, Some(pdf)).unwrap();
    desks
}

/// A fixed capture of the audit summary, as the capture crate would hand it over.
fn audit_page() -> Capture {
    let body = b"<html><body><p>1,200 TEU were entered twice after the March migration.</p></body></html>".to_vec();
    Capture {
        url: "https://audit.example.mt/2025/summary".into(),
        final_url: "https://audit.example.mt/2025/summary.html".into(),
        status: 200,
        request_head: b"GET /2025/summary HTTP/1.1\r\nhost: audit.example.mt\r\n\r\n".to_vec(),
        response_head: format!("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n", body.len())
            .into_bytes(),
        payload: body.clone(),
        content: body,
        content_type: Some("text/html".into()),
        charset: None,
        fetched_at: Utc.with_ymd_and_hms(2026, 1, 6, 8, 30, 0).unwrap(),
        ip_address: None,
    }
}

pub fn request(format: ReportFormat, scope: ReportScope, status: Option<Status>) -> ReportRequest {
    ReportRequest {
        scope,
        format,
        status,
        generated_at: generated_at(),
        generated_by: "Ana Reyes".to_owned(),
        publisher: Some("Island Fact Desk".to_owned()),
    }
}

pub fn render(library: &Library, request: &ReportRequest) -> String {
    let mut out = Vec::new();
    library.write_report(request, &mut out).unwrap();
    String::from_utf8(out).expect("reports are UTF-8")
}
