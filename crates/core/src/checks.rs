//! The assistant's article checks over a whole library: every article's people and
//! figures read once into an index, so each article's names can be compared with all the
//! others, and its figures with those of the articles that name the same people. The
//! glue between the pure `assist` functions and the store.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use rusqlite::Connection;

use crate::assist::names::{fold, people, FullName, NameIndex};
use crate::assist::quantities::{differ_a_little, quantities, Quantity, MAX_MISMATCHES};
use crate::assist::{self, ArticleChecks, LibraryNameVariant, LibraryQuantityMismatch};
use crate::store::{articles, versions};
use crate::Result;

/// Articles sharing one person considered for figures: a name in thousands of articles
/// (a head of state) ties no two stories together.
const MAX_RELATED_ARTICLES: usize = 200;

/// Every article's people and figures, and the articles' titles.
#[derive(Default)]
pub(crate) struct LibraryIndex {
    names: NameIndex,
    /// Folded full name → the articles that name that person, in import order.
    articles_by_person: HashMap<(String, String), Vec<i64>>,
    /// Each article's figures of a named thing, the first mention of each value.
    figures: HashMap<i64, Vec<Quantity>>,
    titles: HashMap<i64, String>,
    /// The highest article id read; an article's text changes only by a new version, so
    /// newer articles are all that can be missing while no version was added.
    last_id: i64,
    /// Old versions in the library when the index was read: another means a text changed.
    versions: u64,
}

fn person_key(name: &FullName) -> (String, String) {
    (fold(&name.given), fold(&name.surname))
}

/// The figures worth comparing across articles: what they count is known; one per value.
fn comparable_figures(text: &str) -> Vec<Quantity> {
    let mut kept: Vec<Quantity> = Vec::new();
    for q in quantities(text).into_iter().filter(|q| !q.counts.is_empty()) {
        if !kept.iter().any(|k| k.counts == q.counts && k.unit == q.unit && k.value == q.value) {
            kept.push(q);
        }
    }
    kept
}

/// The one home of the index a `Library` keeps between calls: taken, brought up to date
/// with the caller's connection (or snapshot), used, and put back for the next caller.
#[derive(Default)]
pub(crate) struct IndexCache(Mutex<Option<LibraryIndex>>);

impl IndexCache {
    /// Runs `use_index` on the index refreshed to what `conn` sees. The lock is held
    /// meanwhile, so two callers never read every article twice.
    pub(crate) fn with_fresh<T>(
        &self,
        conn: &Connection,
        use_index: impl FnOnce(&LibraryIndex) -> Result<T>,
    ) -> Result<T> {
        // A panic while the lock was held left at worst a stale index, which refreshing mends.
        let mut kept = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let index = kept.take().unwrap_or_default().refreshed(conn)?;
        let result = use_index(&index);
        *kept = Some(index);
        result
    }
}

impl LibraryIndex {
    /// Brings an index up to date by reading only the articles imported since it was
    /// last refreshed (by this process or another; an empty index reads them all); starts
    /// over if any article it holds is gone.
    pub(crate) fn refreshed(mut self, conn: &Connection) -> Result<LibraryIndex> {
        let versions = versions::count(conn)?;
        if articles::count_up_to(conn, self.last_id)? != self.titles.len() as u64 || versions != self.versions {
            self = LibraryIndex { versions, ..LibraryIndex::default() };
        }
        let LibraryIndex { names, articles_by_person, figures, titles, last_id, .. } = &mut self;
        articles::for_each_text_after(conn, *last_id, |id, title, text| {
            let full_names = people(text).full_names();
            for name in &full_names {
                articles_by_person.entry(person_key(name)).or_default().push(id);
            }
            names.add(id, &full_names);
            let found = comparable_figures(text);
            if !found.is_empty() {
                figures.insert(id, found);
            }
            titles.insert(id, title.to_owned());
            *last_id = id;
        })?;
        Ok(self)
    }

    /// The checks of article `id`, whose canonical text is `text`.
    pub(crate) fn checks(&self, id: i64, text: &str) -> ArticleChecks {
        let found = people(text);
        let mut checks = assist::checks_with_people(text, &found);
        let here = found.full_names();
        let title = |article: i64| self.titles.get(&article).cloned().unwrap_or_default();
        checks.library_name_variants = self
            .names
            .variants_of(id, &here)
            .into_iter()
            .map(|v| LibraryNameVariant {
                article_title: title(v.article_id),
                here: v.here,
                there: v.there,
                article_id: v.article_id,
            })
            .collect();
        checks.library_quantity_mismatches = self.figures_against_related(id, text, &here, title);
        checks
    }

    /// This article's figures against those of the articles naming the same people.
    fn figures_against_related(
        &self,
        id: i64,
        text: &str,
        here: &[FullName],
        title: impl Fn(i64) -> String,
    ) -> Vec<LibraryQuantityMismatch> {
        // Each related article once, with the first person that ties it to this one.
        let mut related: Vec<(i64, &FullName)> = Vec::new();
        let mut seen = BTreeSet::new();
        for name in here {
            let articles = self.articles_by_person.get(&person_key(name)).map_or(&[][..], Vec::as_slice);
            for &other in articles.iter().filter(|&&other| other != id).take(MAX_RELATED_ARTICLES) {
                if seen.insert(other) {
                    related.push((other, name));
                }
            }
        }
        if related.is_empty() {
            return Vec::new();
        }
        let mine = comparable_figures(text);
        let mut found = Vec::new();
        for (other, person) in related {
            for theirs in self.figures.get(&other).into_iter().flatten() {
                for q in mine.iter().filter(|q| q.counts == theirs.counts && q.unit == theirs.unit) {
                    if differ_a_little(q.value, theirs.value) && found.len() < MAX_MISMATCHES {
                        found.push(LibraryQuantityMismatch {
                            here: q.clone(),
                            there: theirs.text.clone(),
                            article_id: other,
                            article_title: title(other),
                            shared_name: format!("{} {}", person.given, person.surname),
                        });
                    }
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use crate::{Format, Library};

    /// A library in a temporary folder, and a way to import a text into it.
    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("l.sqlite"), "test").unwrap();
        (dir, library)
    }

    fn import(library: &Library, name: &str, text: &str) -> i64 {
        library.import_bytes(name, text.as_bytes().to_vec(), Format::Text).unwrap().article().id
    }

    /// The index a `Library` keeps between calls sees articles imported after it was built.
    #[test]
    fn the_kept_index_sees_new_imports() {
        let (_dir, library) = library();
        let import = |name: &str, text: &str| import(&library, name, text);
        let first = import("a.txt", "Harbour talks\n\nMinister Elena Vasquez said the talks had failed.");
        assert!(library.article_checks(first).unwrap().is_empty());
        let second = import("b.txt", "Harbour talks resume\n\nMinister Elena Vazquez said the talks would resume.");
        let checks = library.article_checks(first).unwrap();
        assert_eq!(checks.library_name_variants.len(), 1, "{checks:?}");
        assert_eq!(checks.library_name_variants[0].article_id, second);
        assert_eq!(checks.library_name_variants[0].there, "Elena Vazquez");
        assert_eq!(checks.library_name_variants[0].article_title, "Harbour talks resume");
        // A report made after one more import sees it too (it shares the kept index).
        let third = import("c.txt", "Talks\n\nMinister Elena Vasques said nothing.");
        let request = crate::ReportRequest {
            scope: crate::ReportScope::Articles(vec![first]),
            format: crate::ReportFormat::Json,
            status: None,
            generated_at: chrono::Utc::now(),
            generated_by: "test".into(),
            publisher: None,
        };
        let mut json = Vec::new();
        library.write_report(&request, &mut json).unwrap();
        let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let checks = report["articles"][0]["checks"].to_string();
        assert!(
            checks.contains("“Elena Vazquez” in article 2")
                && checks.contains(&format!("“Elena Vasques” in article {third}")),
            "{checks}"
        );
    }

    /// A figure here and a close one in another article about the same person is a
    /// finding; the same figure in an article about someone else is not.
    #[test]
    fn figures_are_compared_with_articles_about_the_same_people() {
        let (_dir, library) = library();
        let import = |name: &str, text: &str| import(&library, name, text);
        let first = import("a.txt", "Strike\n\nUnion secretary Tomasz Kaczmarek said 2,400 passengers were stranded.");
        let second =
            import("b.txt", "Strike ends\n\nUnion secretary Tomasz Kaczmarek said 2,300 passengers had been stranded.");
        import("c.txt", "Floods\n\nMayor Ines Duarte said 2,350 passengers were stranded at the airport.");
        let checks = library.article_checks(first).unwrap();
        let found = &checks.library_quantity_mismatches;
        assert_eq!(found.len(), 1, "{checks:?}");
        assert_eq!((found[0].here.text.as_str(), found[0].there.as_str()), ("2,400 passengers", "2,300 passengers"));
        assert_eq!((found[0].article_id, found[0].shared_name.as_str()), (second, "Tomasz Kaczmarek"));
        assert!(checks.messages()[0].contains("which also names Tomasz Kaczmarek"), "{:?}", checks.messages());
    }
}
