//! The assistant's article checks over a whole library: every article's people read
//! once into a name index, so each article's names can be compared with all the others.
//! The glue between the pure `assist` functions and the store.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::assist::names::{people, NameIndex};
use crate::assist::{self, ArticleChecks, LibraryNameVariant};
use crate::store::articles;
use crate::Result;

/// The people of every article in the library, and the articles' titles.
#[derive(Default)]
pub(crate) struct LibraryPeople {
    index: NameIndex,
    titles: HashMap<i64, String>,
    /// The highest article id read; articles are immutable, so newer ones are all that
    /// can be missing.
    last_id: i64,
}

impl LibraryPeople {
    /// Reads every article's text once.
    pub(crate) fn load(conn: &Connection) -> Result<LibraryPeople> {
        LibraryPeople::default().refreshed(conn)
    }

    /// Brings a loaded index up to date by reading only the articles imported since
    /// (by this process or another); starts over if any article it holds is gone.
    pub(crate) fn refreshed(mut self, conn: &Connection) -> Result<LibraryPeople> {
        if articles::count_up_to(conn, self.last_id)? != self.titles.len() as u64 {
            self = LibraryPeople::default();
        }
        let LibraryPeople { index, titles, last_id } = &mut self;
        articles::for_each_text_after(conn, *last_id, |id, title, text| {
            index.add(id, &people(text).full_names());
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
        checks.library_name_variants = self
            .index
            .variants_of(id, &here)
            .into_iter()
            .map(|v| LibraryNameVariant {
                article_title: self.titles.get(&v.article_id).cloned().unwrap_or_default(),
                here: v.here,
                there: v.there,
                article_id: v.article_id,
            })
            .collect();
        checks
    }
}

#[cfg(test)]
mod tests {
    use crate::{Format, Library};

    /// The index a `Library` keeps between calls sees articles imported after it was built.
    #[test]
    fn the_kept_index_sees_new_imports() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("l.sqlite"), "test").unwrap();
        let import = |name: &str, text: &str| {
            library.import_bytes(name, text.as_bytes().to_vec(), Format::Text).unwrap().article().id
        };
        let first = import("a.txt", "Harbour talks\n\nMinister Elena Vasquez said the talks had failed.");
        assert!(library.article_checks(first).unwrap().is_empty());
        let second = import("b.txt", "Harbour talks resume\n\nMinister Elena Vazquez said the talks would resume.");
        let checks = library.article_checks(first).unwrap();
        assert_eq!(checks.library_name_variants.len(), 1, "{checks:?}");
        assert_eq!(checks.library_name_variants[0].article_id, second);
        assert_eq!(checks.library_name_variants[0].there, "Elena Vazquez");
        assert_eq!(checks.library_name_variants[0].article_title, "Harbour talks resume");
    }
}
