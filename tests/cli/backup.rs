//! `factdesk backup` and `restore`: a consistent, checked copy taken while others write;
//! a restore that refuses what does not verify and keeps the library it replaces.

use super::support::{fixture, Library};
use crate::unwritable::Unwritable;

#[test]
fn a_backup_taken_while_another_process_imports_is_consistent_and_verifies() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    library.claim(article, "1,200 containers counted twice");
    // Another process imports while the backup is taken.
    let names = ["council-tram.txt", "latin1-budget.txt", "ferry-strike.txt", "port-fees.md", "utf16-bridge.txt"];
    let writer = std::process::Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .arg("import")
        .args(names.iter().map(|n| fixture(n)))
        .env("FACTDESK_DB", &library.db)
        .env("FACTDESK_ACTOR", "writer")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let copy = library.path("backup-1.sqlite");
    let made = library.ok_json(&["backup", copy.to_str().unwrap()]);
    assert!(writer.wait_with_output().unwrap().status.success());
    let articles = made["articles"].as_u64().unwrap();
    assert!((1..=6).contains(&articles), "{made}");
    // The copy is a library of its own that verifies, at a consistent point.
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .args(["--db", copy.to_str().unwrap(), "verify", "--json"])
        .output()
        .unwrap();
    let verified: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!(verified["head"], made["history"]["head"]);
    // An existing file is never overwritten.
    let line = library.run(&["backup", copy.to_str().unwrap()]).fails(2).to_owned();
    assert!(line.contains("already exists"), "{line}");
}

#[test]
fn restore_refuses_a_bad_backup_and_keeps_the_library_it_replaces() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let copy = library.path("backup.sqlite");
    library.ok(&["backup", copy.to_str().unwrap()]);
    let kept_head = library.ok_json(&["verify"])["head"].clone();
    // Work after the backup.
    library.claim(article, "1,200 containers counted twice");
    let later_head = library.ok_json(&["verify"])["head"].clone();

    // A backup that does not verify is refused, and the library is left as it was.
    let tampered = library.path("tampered.sqlite");
    std::fs::copy(&copy, &tampered).unwrap();
    rusqlite::Connection::open(&tampered).unwrap().execute("UPDATE history SET actor = 'mallory'", []).unwrap();
    let line = library.run(&["restore", tampered.to_str().unwrap()]).fails(1).to_owned();
    assert!(line.contains("does not verify"), "{line}");
    let not_a_library = library.path("notes.txt");
    std::fs::write(&not_a_library, "not a database, just notes").unwrap();
    library.run(&["restore", not_a_library.to_str().unwrap()]).fails(1);
    assert_eq!(std::fs::read(&not_a_library).unwrap(), b"not a database, just notes", "never modified");
    assert_eq!(library.ok_json(&["verify"])["head"], later_head);

    // A good backup replaces the library; the replaced one is kept beside it and still verifies.
    let restored = library.ok_json(&["restore", copy.to_str().unwrap()]);
    assert_eq!(library.ok_json(&["verify"])["head"], kept_head);
    assert_eq!(library.ok_json(&["claim", "list"]).as_array().unwrap().len(), 0);
    let kept = std::path::PathBuf::from(restored["kept"].as_str().unwrap());
    assert!(kept.file_name().unwrap().to_str().unwrap().starts_with("library.before-restore-"), "{kept:?}");
    let old = std::process::Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .args(["--db", kept.to_str().unwrap(), "verify", "--json"])
        .output()
        .unwrap();
    let old: serde_json::Value = serde_json::from_slice(&old.stdout).unwrap();
    assert_eq!(old["head"], later_head, "nothing of the replaced library was lost");
}

/// Restoring reads the backup and never changes it, even one written by an older
/// Factdesk (whose copy is upgraded in place of the library, not the backup itself).
#[test]
fn restoring_an_older_backup_leaves_the_backup_untouched() {
    let library = Library::new();
    library.import(&["wire-harbour.txt"]);
    let backup = library.path("old-backup.sqlite");
    std::fs::copy(fixture("libraries/before-typed-events.sqlite"), &backup).unwrap();
    let before = std::fs::read(&backup).unwrap();
    let restored = library.ok_json(&["restore", backup.to_str().unwrap()]);
    assert_eq!(restored["restored"]["articles"], 2, "{restored}");
    assert!(std::fs::read(&backup).unwrap() == before, "the backup file was changed");
    for suffix in ["-wal", "-shm"] {
        assert!(!library.path(&format!("old-backup.sqlite{suffix}")).exists(), "{suffix} left beside the backup");
    }
    assert!(library.ok(&["verify"]).stdout.starts_with("history intact"));
}

/// Waits (reading the library as another process would) until `count_sql` reaches
/// `at_least`, or the child has already exited: the moment a fault test kills it.
fn wait_for_rows(db: &std::path::Path, count_sql: &str, at_least: i64, child: &mut std::process::Child) {
    if at_least == 0 {
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
        let count = rusqlite::Connection::open_with_flags(db, flags)
            .and_then(|conn| conn.query_row(count_sql, [], |r| r.get::<_, i64>(0)))
            .unwrap_or(0);
        if count >= at_least {
            return;
        }
        std::thread::yield_now();
    }
}

/// A batch import killed at any moment (`kill -9`) leaves a library where every committed
/// article is whole and `verify` passes; importing the batch again completes it.
#[test]
fn a_batch_import_killed_at_any_moment_loses_nothing_committed() {
    let work = Library::new();
    let folder = work.path("batch");
    std::fs::create_dir_all(&folder).unwrap();
    let files: Vec<String> = (0..300)
        .map(|n| {
            let path = folder.join(format!("article-{n:03}.txt"));
            let body: Vec<String> = (0..400).map(|w| format!("word{}", (w * 31 + n * 17) % 997)).collect();
            std::fs::write(&path, format!("Batch article {n}\n\nThe council said {}.\n", body.join(" "))).unwrap();
            path.display().to_string()
        })
        .collect();
    let mut interrupted = 0;
    // Kill at once, then once the first batch (100 files) and the second have committed,
    // each round on a new library.
    for at_least in [0, 1, 101] {
        let library = Library::new();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_factdesk"))
            .arg("import")
            .args(&files)
            .env("FACTDESK_DB", &library.db)
            .env("FACTDESK_ACTOR", "batch")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        wait_for_rows(&library.db, "SELECT count(*) FROM articles", at_least, &mut child);
        child.kill().unwrap();
        child.wait().unwrap();
        if !library.db.exists() {
            continue;
        }
        let verified = library.run(&["verify", "--json"]).json();
        assert_eq!(verified["intact"], true, "killed at {at_least} articles: {verified}");
        let articles = library.ok_json(&["articles"]);
        let articles = articles.as_array().unwrap();
        assert_eq!(articles.len() as u64, verified["events"].as_u64().unwrap(), "one event per whole article");
        assert!(articles.iter().all(|a| a["word_count"].as_u64().unwrap() > 400), "a partial article");
        if !articles.is_empty() && articles.len() < files.len() {
            interrupted += 1;
        }
        // The same batch again: what was committed is recognised, the rest imported.
        let mut again = vec!["import"];
        again.extend(files.iter().map(String::as_str));
        let run = library.run(&again);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(library.ok_json(&["articles"]).as_array().unwrap().len(), files.len());
        assert_eq!(library.run(&["verify", "--json"]).json()["intact"], true);
    }
    assert!(interrupted > 0, "no round was killed in the middle of the batch");
}

/// A disk that fills up in the middle of a batch (here: a file-size limit on the process,
/// which writes then fail with EFBIG as on a full disk) gives one line, and the library is
/// left whole: what committed verifies, and the rest imports once there is room.
#[test]
fn a_full_disk_gives_one_line_and_no_damage() {
    let library = Library::new();
    library.import(&["wire-harbour.txt"]);
    let folder = library.path("big");
    std::fs::create_dir_all(&folder).unwrap();
    let files: Vec<String> = (0..30)
        .map(|n| {
            let path = folder.join(format!("long-{n:02}.txt"));
            let body: Vec<String> = (0..8_000).map(|w| format!("word{}", (w * 13 + n * 7) % 4_999)).collect();
            std::fs::write(&path, format!("Long article {n}\n\nThe ministry said {}.\n", body.join(" "))).unwrap();
            path.display().to_string()
        })
        .collect();
    // Room for about a megabyte more than the library holds now (ulimit -f counts 512-byte
    // blocks in dash and 1 KiB blocks in bash; either is far below 30 articles of 60 KB).
    let wal = std::fs::metadata(format!("{}-wal", library.db.display())).map_or(0, |m| m.len());
    let blocks = (std::fs::metadata(&library.db).unwrap().len().max(wal) + 1_000_000) / 512;
    let script = format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\"");
    let output = std::process::Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_factdesk"), "import"])
        .args(&files)
        .env("FACTDESK_DB", &library.db)
        .env("FACTDESK_ACTOR", "tester")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let last = stderr.trim_end().lines().last().unwrap();
    assert!(last.starts_with("error: database: cannot write to the disk"), "{stderr}");

    let verified = library.run(&["verify", "--json"]).json();
    assert_eq!(verified["intact"], true, "{verified}");
    let count = library.ok_json(&["articles"]).as_array().unwrap().len();
    assert!(count < 31, "the limit stopped the batch: {count}");
    let mut again = vec!["import"];
    again.extend(files.iter().map(String::as_str));
    assert_eq!(library.run(&again).code, 0);
    assert_eq!(library.ok_json(&["articles"]).as_array().unwrap().len(), 31);
}

/// Status changes and a backup killed with SIGKILL part way: every committed change is
/// kept, `verify` passes, and a killed backup leaves no half-written file under its name.
#[test]
fn status_changes_and_a_backup_killed_part_way_lose_nothing() {
    let library = Library::new();
    let articles = library.import(&["wire-harbour.txt", "council-tram.txt", "ferry-strike.txt"]);
    let claims: Vec<String> = [
        (articles[0], "1,200 containers counted twice"),
        (articles[0], "4.2 million tonnes"),
        (articles[1], "8,000 people signed a petition"),
    ]
    .iter()
    .map(|(article, quote)| library.claim(*article, quote).to_string())
    .collect();
    // A shell loop of status changes, killed after a while.
    let mut script = String::new();
    for round in 0..200 {
        let status = ["confirmed", "disputed", "false", "unconfirmed"][round % 4];
        script.push_str(&format!("\"$0\" claim status {} {status} >/dev/null || exit 3\n", claims[round % 3]));
    }
    let mut changer = std::process::Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_factdesk")])
        .env("FACTDESK_DB", &library.db)
        .env("FACTDESK_ACTOR", "changer")
        .spawn()
        .unwrap();
    let changes = "SELECT count(*) FROM history WHERE kind = 'claim_status_changed'";
    wait_for_rows(&library.db, changes, 20, &mut changer);
    changer.kill().unwrap();
    changer.wait().unwrap();
    // The change running when the loop was killed may still finish: either way it is whole.
    let verified = library.run(&["verify", "--json"]).json();
    assert_eq!(verified["intact"], true, "{verified}");
    let changes = library
        .ok_json(&["history"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "claim_status_changed")
        .count();
    let statuses: Vec<String> = library
        .ok_json(&["claim", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses.len(), 3);
    assert!(changes < 200, "the loop was stopped part way ({changes} changes)");

    // A backup killed part way leaves nothing under the backup's name.
    let copy = library.path("killed-backup.sqlite");
    let mut backup = std::process::Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .args(["backup", copy.to_str().unwrap()])
        .env("FACTDESK_DB", &library.db)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    backup.kill().unwrap();
    backup.wait().unwrap();
    if copy.exists() {
        // The kill came after the rename: then the copy is whole and verifies.
        let check = library.run(&["--db", copy.to_str().unwrap(), "verify", "--json"]).json();
        assert_eq!(check["intact"], true, "{check}");
    }
    assert_eq!(library.run(&["verify", "--json"]).json()["intact"], true);
}

/// A library file that cannot be written: reading and `verify` work (saying what could
/// not be checked), a change is refused in one clear line, and nothing is damaged.
#[test]
fn a_read_only_library_reads_and_refuses_changes_in_one_line() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0].to_string();
    let before = std::fs::read(&library.db).unwrap();
    let guard = Unwritable::make(&library.db);
    assert_eq!(library.ok_json(&["articles"]).as_array().unwrap().len(), 1);
    let verified = library.run(&["verify"]);
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    assert!(verified.stderr.contains("not checked: articles_fts"), "{}", verified.stderr);
    let line = library.run(&["claim", "add", &article, "--quote", "1,200 containers"]).fails(1).to_owned();
    assert!(line.contains("the library file cannot be written"), "{line}");
    drop(guard);
    assert_eq!(std::fs::read(&library.db).unwrap(), before, "the file was not touched");
    library.claim(article.parse().unwrap(), "1,200 containers");
}

/// A library in a folder that cannot be written (SQLite cannot make its log files
/// there): it is read, `verify` runs, a change is refused in one clear line, and the file
/// and folder are left exactly as they were.
#[test]
fn a_library_in_a_read_only_folder_reads_and_refuses_changes_in_one_line() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0].to_string();
    let before = std::fs::read(&library.db).unwrap();
    let folder = library.db.parent().unwrap().to_owned();
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = listing();
    let guard = Unwritable::make(&folder);
    assert_eq!(library.ok_json(&["articles"]).as_array().unwrap().len(), 1);
    assert_eq!(library.ok_json(&["search", "tonnage"]).as_array().unwrap().len(), 1);
    let verified = library.run(&["verify"]);
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    let line = library.run(&["claim", "add", &article, "--quote", "1,200 containers"]).fails(1).to_owned();
    assert!(line.contains("cannot be written (it, or its folder, is read-only)"), "{line}");
    drop(guard);
    assert_eq!(std::fs::read(&library.db).unwrap(), before, "the file is untouched");
    assert_eq!(listing(), files, "no file was left in the folder");
}
