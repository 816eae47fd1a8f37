//! The word lists the claim assistant shares, in one place: verbs of speech, titles and
//! roles that stand before or for a person, capitalised words that are not names, and the
//! particles inside names. Lookups run for every word of every article, so the big lists
//! are hashed sets read without allocating.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Verbs of speech: "X said", "…, Y added". Both the name finder (a capitalised word
/// beside one is a person) and the attributor (who said it) read them.
#[rustfmt::skip]
const SPEECH_VERBS: &[&str] = &[
    "said", "says", "told", "added", "claimed", "claims", "argued", "stated", "replied", "repeated", "insisted",
    "warned", "explained", "announced", "wrote", "noted", "confirmed", "denied", "admitted", "estimated", "asked",
    "reported", "disputed", "rejected", "called", "declined", "described", "accused", "urged", "predicted",
    "promised", "acknowledged", "suggested", "maintained", "conceded", "cautioned", "stressed", "emphasized",
    "emphasised", "revealed", "reiterated", "commented", "alleged", "pledged", "vowed", "tweeted",
    "testified", "countered", "recalled",
];

/// Words before a name that say a person follows (lower-cased, no dot).
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "professor", "sir", "dame", "president", "minister", "senator", "sen", "rep",
    "gen", "general", "col", "colonel", "judge", "mayor", "governor", "gov", "chancellor", "secretary", "director",
    "spokesperson", "spokesman", "spokeswoman", "chief", "pope", "king", "queen", "prince", "princess", "premier",
    "commissioner", "ambassador", "detective", "officer", "sergeant", "sgt", "captain", "capt", "coach",
    "inspector", "auditor", "ceo", "chairman", "chairwoman", "chair", "leader", "lawyer", "attorney", "prosecutor",
    "economist", "analyst", "manager", "founder", "editor", "councillor", "councilor", "deputy", "mp", "lt",
    "lieutenant", "adm", "admiral", "marshal",
];

/// Capitalized words that are not part of a person's name: sentence openers, weekdays,
/// months, and words that make a capitalized run an organization or a place.
#[rustfmt::skip]
const NOT_NAME: &[&str] = &[
    "the", "a", "an", "when", "according", "in", "on", "at", "it", "this", "that", "but", "and", "if", "as",
    "after", "before", "his", "her", "their", "its", "we", "i", "he", "she", "they", "asked", "while", "although",
    "there", "what", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "ministry", "forces", "council", "party", "union", "army", "bank", "court", "university", "agency", "authority",
    "department", "office", "republic", "government", "police", "committee", "commission", "house", "senate",
    "parliament", "news", "times", "post", "street", "road", "avenue", "square", "hospital", "school", "college",
    "group", "company", "institute", "centre", "center", "foundation", "association", "federation", "organization",
    "organisation", "service", "services", "later", "earlier", "meanwhile", "however", "today", "yesterday",
    "still", "then", "now", "also", "so", "for", "from", "with", "by", "to", "of", "officials", "critics", "some",
    "many", "both", "all", "several", "one", "two", "under", "despite", "since", "during", "until", "last", "next",
    "new", "former", "mr", "mrs", "ms", "dr",
];

/// Lower-case words inside names ("Osama bin Laden", "Ursula von der Leyen").
pub(crate) const PARTICLES: &[&str] =
    &["bin", "ibn", "ben", "al", "el", "de", "da", "di", "du", "van", "von", "der", "den", "le", "la", "y"];

/// Roles that, after "the", mean the person last quoted ("the minister said").
#[rustfmt::skip]
pub(crate) const ROLE_NOUNS: &[&str] = &[
    "minister", "director", "auditor", "president", "spokesperson", "spokesman", "spokeswoman", "official", "mayor",
    "governor", "chairman", "chairwoman", "chief", "secretary", "ambassador", "general", "prosecutor", "senator",
];

/// Capitalised words the attributor never takes for a speaker's name (case-sensitive, a
/// narrower list than [`NOT_NAME`], which also holds organisation and place words: the
/// attributor names organisations as speakers, "the Transport Ministry said").
#[rustfmt::skip]
pub(crate) const NOT_SPEAKER_NAMES: &[&str] = &[
    "The", "A", "An", "When", "According", "In", "On", "At", "It", "This", "That", "But", "And", "If", "As",
    "After", "Before", "His", "Her", "Their", "Its", "We", "I", "Mr", "Mrs", "Ms", "Dr", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
];

/// Whether `word` is a capitalised word that is not part of a person's name (an opener, a
/// weekday or month, an organisation or place word such as "Ministry" or "Department").
pub(crate) fn is_not_name(word: &str) -> bool {
    in_set(not_name_set(), word)
}

/// Whether `word` is a lower-case particle inside names ("de", "von", "bin").
pub(crate) fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// Whether `word` is a title or honorific that can stand before a name ("Minister").
pub(crate) fn is_title(word: &str) -> bool {
    in_set(title_set(), word.trim_end_matches('.'))
}

/// The word lists as sets: these lookups run for every word of every article.
fn title_set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| TITLES.iter().copied().collect())
}

fn not_name_set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| NOT_NAME.iter().copied().collect())
}

/// Whether `word` is in `set` (lower-case ASCII words), ignoring ASCII case, without
/// allocating.
fn in_set(set: &HashSet<&str>, word: &str) -> bool {
    const LONGEST: usize = 16;
    if word.len() > LONGEST || !word.is_ascii() {
        return false;
    }
    let mut buffer = [0u8; LONGEST];
    let lower = &mut buffer[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|lower| set.contains(lower))
}

/// Whether `word` is a verb of speech, exactly as written ("said", not "Said.").
pub(crate) fn is_speech_verb(word: &str) -> bool {
    SPEECH_VERBS.contains(&word)
}
