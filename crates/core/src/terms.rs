//! How a closed vocabulary is declared: `word_enum!` makes an enum of stored words, each
//! with the label and description people see, and [`Term`] is one such word as the UI
//! receives it. Every vocabulary of the ledger (statuses, stances, source kinds, grades,
//! history event kinds) is declared with it, once.

use serde::Serialize;

/// Declares a closed set of words stored as TEXT in SQLite and shown to users, each with
/// the label and one-line description people see (the app gets them from
/// `crate::vocabulary`; no copy of them lives in the UI).
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal {
        $($variant:ident => $word:literal, $label:literal, $description:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $word)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// What people call it: "Confirmed", "Web page".
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// One line on what it means.
            pub fn description(self) -> &'static str {
                match self { $($name::$variant => $description),+ }
            }

            /// Every word with its label and description, in declaration order.
            pub fn terms() -> Vec<$crate::terms::Term> {
                $name::ALL.iter().map(|v| $crate::terms::Term { id: v.as_str().to_owned(), label: v.label(), description: v.description(), symbol: None }).collect()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let words: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        $crate::Error::invalid($field, format!("{s:?} is not one of {}", words.join(", ")))
                    })
            }
        }
    };
}
pub(crate) use word_enum;

/// A word of one of the ledger's vocabularies, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The stored word (`confirmed`, `web_page`, `A`, `2`).
    pub id: String,
    pub label: &'static str,
    pub description: &'static str,
    /// A symbol shown beside the label, so colour is never the only cue (statuses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<&'static str>,
}
