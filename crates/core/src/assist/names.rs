//! Name variants: the same person's name spelled two ways ("Lecornu" and "Lecorneuil"),
//! in one article or across the library. People are found from what the text says about
//! a capitalized name (a title before it, a speech verb beside it, "according to"), not
//! from a gazetteer; two spellings are variants when their accent-folded surnames are one
//! edit apart or share a long stem, unless different given names show two people.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::sentences::Span;
use super::words::{is_not_name, is_particle, is_speech_verb, is_title, PARTICLES};

/// Endings that make a word a derived form (Russia/Russian, Korea/Koreans), not a variant.
const DERIVED_ENDINGS: &[&str] = &[
    "s", "n", "an", "ian", "ians", "ans", "ns", "ese", "ish", "i", "is",
    // Case endings of Slavic languages: "Babiša" is Babiš in the genitive, not a misspelling.
    "a", "u", "ovi", "owi", "em", "om", "ego", "emu", "ie",
];

/// Adverbs that may stand between a name and its verb of speech ("Borg later said").
const SPEECH_ADVERBS: &[&str] = &["later", "also", "then", "previously", "earlier", "again", "separately", "further"];

/// One way a name is written, and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spelling {
    /// The surname as written ("Lecorneuil").
    pub surname: String,
    /// The fullest form met ("Sebastian Lecornu"), or the surname.
    pub name: String,
    /// Every mention, as code-point spans of the article's canonical text.
    pub spans: Vec<Span>,
}

/// Two spellings that probably name one person, within one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameVariant {
    pub first: Spelling,
    pub second: Spelling,
}

/// A person as an article names them, for comparing articles across the library.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FullName {
    pub given: String,
    pub surname: String,
}

/// What one article says about the people in it.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Spellings of surnames known to be people's, in order of first mention.
    pub spellings: Vec<Spelling>,
    /// Given names met with each surname spelling (the key is the surname as written).
    pub given: BTreeMap<String, Vec<String>>,
    /// Surname spellings the text marks as a person's at least once (a title before, a
    /// verb of speech beside, "according to"), not only by resembling another.
    pub marked: BTreeSet<String>,
}

impl People {
    /// The full names (given name and surname) the article uses.
    pub fn full_names(&self) -> Vec<FullName> {
        let mut names: Vec<FullName> = self
            .given
            .iter()
            .flat_map(|(surname, givens)| {
                givens.iter().map(|g| FullName { given: g.clone(), surname: surname.clone() })
            })
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// A word of the text with its code-point span and what surrounds it.
struct Word<'t> {
    /// The word without surrounding punctuation or a possessive `'s`.
    core: &'t str,
    span: Span,
    /// The raw word ends a clause (comma, full stop, colon, closing quote…).
    clause_end: bool,
    /// The word opens a sentence (first in the text or after `.`, `!`, `?`, or a line break).
    sentence_start: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut next_starts_sentence = true;
    let mut cp = 0usize; // code points before `byte`
    let mut word_start: Option<(usize, usize)> = None; // (byte, code point)
    let mut saw_newline = false;
    let bytes_len = text.len();
    let mut iter = text.char_indices();
    loop {
        let next = iter.next();
        let is_space = next.is_none_or(|(_, c)| c.is_whitespace());
        if is_space {
            if let Some((start_byte, start_cp)) = word_start.take() {
                let end_byte = next.map_or(bytes_len, |(b, _)| b);
                let raw = &text[start_byte..end_byte];
                let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
                let mut core = raw.trim_matches(|c: char| !c.is_alphanumeric());
                for possessive in ["'s", "’s"] {
                    core = core.strip_suffix(possessive).unwrap_or(core);
                }
                let lead_cp = raw[..lead].chars().count();
                let core_cp = core.chars().count();
                let after_core = &raw[lead + core.len()..];
                let start = start_cp + lead_cp;
                if !core.is_empty() {
                    words.push(Word {
                        core,
                        span: Span { start, end: start + core_cp },
                        clause_end: after_core.contains([',', '.', ':', ';', '!', '?', '”', '"', ')', '—']),
                        sentence_start: next_starts_sentence || saw_newline,
                    });
                    next_starts_sentence = after_core.contains(['.', '!', '?']) && !is_abbreviation(core);
                    saw_newline = false;
                } else if raw.contains(['.', '!', '?']) {
                    next_starts_sentence = true;
                }
            }
            match next {
                None => break,
                Some((_, '\n')) => saw_newline = true,
                _ => {}
            }
        } else if word_start.is_none() {
            word_start = next.map(|(b, _)| (b, cp));
        }
        cp += 1;
    }
    words
}

fn is_abbreviation(word: &str) -> bool {
    is_title(word) || word.chars().count() == 1
}

/// Lower-case with the common Latin diacritics removed: "Sébastien" → "sebastien".
pub fn fold(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' | 'ĉ' => 'c',
            'ď' | 'đ' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ğ' | 'ĝ' | 'ģ' => 'g',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'į' => 'i',
            'ł' | 'ľ' | 'ĺ' | 'ļ' => 'l',
            'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ř' | 'ŕ' => 'r',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ť' | 'ţ' | 'ț' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            '’' => '\'',
            other => other,
        })
        .collect()
}

/// Longer than any real name part; bounds the work on a hostile "word" of megabytes.
const MAX_NAME_BYTES: usize = 64;

fn is_name_word(word: &str) -> bool {
    word.len() <= MAX_NAME_BYTES
        && word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().count() > 1
        && word.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
        && word.chars().skip(1).any(char::is_lowercase)
        && !is_not_name(word)
}

/// Edit distance with adjacent transpositions (optimal string alignment), over chars.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut rows = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[n][m]
}

/// Whether two folded surnames are probably one name spelled two ways: one edit apart
/// (a letter changed, added, dropped or swapped) in names of five letters or more, or a
/// shared stem of five letters or more covering most of the shorter name ("lecornu" /
/// "lecorneuil"). Derived forms ("russia" / "russian") are not variants.
pub fn similar(a: &str, b: &str) -> bool {
    match_of(a, b).is_some()
}

/// Which rule makes two folded surnames spellings of one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// One edit apart, both of five letters or more.
    Edit,
    /// A shared stem of five letters or more covering most of the shorter.
    Stem,
}

fn match_of(a: &str, b: &str) -> Option<Match> {
    // Russia/Russian, Korea/Koreans, Mozilla/Mozillians: the shorter, maybe without its
    // final vowel, plus a derivational ending.
    if a == b || derived(a, b) {
        return None;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let shorter = a.len().min(b.len());
    if shorter < 4 {
        return None;
    }
    if shorter >= 5 && a.len().abs_diff(b.len()) <= 1 && edit_distance(&a, &b) == 1 {
        return Some(Match::Edit);
    }
    // A stem that is the whole shorter name is a different name (Martin, Martinez).
    let stem = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    (stem >= 5 && stem < shorter && stem * 10 >= shorter * 8).then_some(Match::Stem)
}

/// Whether two folded surnames *of one article* are one name spelled two ways: what
/// [`similar`] accepts, plus two edits in a long name ("Mikhailovich" / "Mikhaylovitch",
/// both names of eight letters or more), plus one edit in a four-letter name when both
/// spellings come with the same given name ("Hana Bolt" / "Hana Bolte").
///
/// A shared stem alone ("Lecornu" / "Lecorneuil") counts only when the text marks both
/// spellings as people's, or gives both the same given name: words that share a stem
/// with a name are common ("France" / "François", "Consultancy", "Wallington").
fn variant_spelling(a: &str, b: &str, same_given_name: bool, both_marked: bool) -> bool {
    match match_of(a, b) {
        Some(Match::Edit) => return true,
        Some(Match::Stem) if same_given_name || both_marked => return true,
        _ => {}
    }
    if a == b || derived(a, b) {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let shorter = a.len().min(b.len());
    let distance = edit_distance(&a, &b);
    (shorter >= 8 && a.len().abs_diff(b.len()) <= 2 && distance <= 2)
        || (shorter == 4 && same_given_name && distance == 1)
}

/// Whether the longer of two folded names is the shorter with a derivational or case
/// ending (Russia / Russian, Babiš / Babiša).
fn derived(a: &str, b: &str) -> bool {
    let (short, long) = if a.chars().count() <= b.chars().count() { (a, b) } else { (b, a) };
    let without_vowel = short.strip_suffix(['a', 'e', 'o']).unwrap_or(short);
    [short, without_vowel]
        .iter()
        .any(|stem| long.strip_prefix(stem).is_some_and(|ending| DERIVED_ENDINGS.contains(&ending)))
}

/// Whether two given names could be one person's (equal, a variant, or an initial).
fn same_given(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    a == b
        || similar(&a, &b)
        || (a.chars().count() == 1 && b.starts_with(&a))
        || (b.chars().count() == 1 && a.starts_with(&b))
}

/// Capitalised runs ("Marta Vella-Grech", "Pieter de Vries"), broken at clause ends,
/// sentence starts and titles; each run is `start..end` into `words`.
fn name_runs(words: &[Word<'_>]) -> Vec<(usize, usize)> {
    let title_at = |i: usize| is_title(words[i].core);
    let mut runs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_name_word(words[i].core) || title_at(i) {
            i += 1;
            continue;
        }
        let start = i;
        let continues = |i: usize| {
            (is_name_word(words[i].core) && !title_at(i))
                || (i > start && is_particle(words[i].core) && words.get(i + 1).is_some_and(|w| is_name_word(w.core)))
        };
        while i < words.len() && continues(i) {
            i += 1;
            // A name does not run past a clause end or into the next sentence or line.
            if words[i - 1].clause_end || words.get(i).is_some_and(|w| w.sentence_start) {
                break;
            }
        }
        runs.push((start, i));
    }
    runs
}

/// Drops the spellings the text also uses as a lower-case word: "History" is a word
/// where the text also says "history", not a surname.
fn drop_common_words(words: &[Word<'_>], people: &mut People) {
    let mut by_lower_case: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, spelling) in people.spellings.iter().enumerate() {
        by_lower_case.entry(spelling.surname.to_lowercase()).or_default().push(k);
    }
    let mut common = vec![false; people.spellings.len()];
    for word in words.iter().filter(|w| w.core.starts_with(|c: char| c.is_lowercase())) {
        for &k in by_lower_case.get(word.core).into_iter().flatten() {
            common[k] = true;
        }
    }
    for (spelling, _) in people.spellings.iter().zip(&common).filter(|(_, &common)| common) {
        people.given.remove(&spelling.surname);
    }
    let mut k = 0;
    people.spellings.retain(|_| {
        k += 1;
        !common[k - 1]
    });
}

/// The people named in `text`, with every mention of their surnames.
pub fn people(text: &str) -> People {
    let words = words(text);
    let runs = name_runs(&words);
    let evidenced = evidenced_runs(&words, &runs);
    let mut mentions = Mentions::default();
    for (&(start, end), _) in runs.iter().zip(&evidenced).filter(|(_, &evidenced)| evidenced) {
        mentions.add_named(&words, start, end, true);
    }
    add_other_mentions(&words, &runs, &evidenced, &mut mentions);
    let mut found = People { spellings: mentions.spellings, given: mentions.given, marked: mentions.marked };
    drop_common_words(&words, &mut found);
    found
}

/// Which capitalised runs the text marks as people: a title before the run, a speech
/// verb right after it (or right before it: "…,” said Karl Borg."), or "according to".
fn evidenced_runs(words: &[Word<'_>], runs: &[(usize, usize)]) -> Vec<bool> {
    let is_verb = |i: usize| words.get(i).is_some_and(|w| is_speech_verb(w.core));
    // "Mikhaylovitch later said": one adverb of time may sit between name and verb.
    let is_verb_after = |i: usize| {
        is_verb(i)
            || (words.get(i).is_some_and(|w| SPEECH_ADVERBS.contains(&w.core) && !w.clause_end) && is_verb(i + 1))
    };
    runs.iter()
        .map(|&(start, end)| {
            let after = if words[end - 1].clause_end { None } else { Some(end) };
            let titled = start > 0 && is_title(words[start - 1].core);
            let speaking = after.is_some_and(is_verb_after)
                || (start > 0 && is_verb(start - 1) && !words[start - 1].clause_end && words[end - 1].clause_end)
                || (start > 1
                    && words[start - 2].core.eq_ignore_ascii_case("according")
                    && words[start - 1].core == "to");
            // A single word opening a sentence is only a name when a verb of speech follows.
            let lone_opener = end - start == 1 && words[start].sentence_start && !after.is_some_and(is_verb_after);
            (titled || speaking) && !lone_opener && end - start <= 4
        })
        .collect()
}

/// The spellings found so far, each surname once, with the given names met before each.
#[derive(Default)]
struct Mentions {
    spellings: Vec<Spelling>,
    given: BTreeMap<String, Vec<String>>,
    marked: BTreeSet<String>,
    by_surname: HashMap<String, usize>,
}

impl Mentions {
    /// A mention of `surname`; the fullest form of the name is kept.
    fn add(&mut self, surname: &str, name: String, span: Span) {
        match self.by_surname.get(surname) {
            Some(&k) => {
                let spelling = &mut self.spellings[k];
                if name.split(' ').count() > spelling.name.split(' ').count() {
                    spelling.name = name;
                }
                spelling.spans.push(span);
            }
            None => {
                self.by_surname.insert(surname.to_owned(), self.spellings.len());
                self.spellings.push(Spelling { surname: surname.to_owned(), name, spans: vec![span] });
            }
        }
    }

    /// A person's name, `words[start..end]`, with its given name; `marked` when the text
    /// marks the run as a person (not only by its resemblance to another name).
    fn add_named(&mut self, words: &[Word<'_>], start: usize, end: usize, marked: bool) {
        // "Armed Forces Sebastian Lecornu": names are rarely longer than three words.
        let start = if end - start > 3 { end - 2 } else { start };
        let surname = words[end - 1].core;
        let span = Span { start: words[start].span.start, end: words[end - 1].span.end };
        let name: Vec<&str> = words[start..end].iter().map(|w| w.core).collect();
        // The given name is the first word; of three ("Exlibris Franz Hafstaengl", "Mary
        // Ann Smith"), either of the first two may be: both are kept.
        let given_words = if end - start == 3 && !PARTICLES.contains(&words[start + 1].core) { 2 } else { 1 };
        if end - start >= 2 {
            let list = self.given.entry(surname.to_owned()).or_default();
            for word in &words[start..start + given_words] {
                if !list.iter().any(|g| g == word.core) {
                    list.push(word.core.to_owned());
                }
            }
        }
        if marked {
            self.marked.insert(surname.to_owned());
        }
        self.add(surname, name.join(" "), span);
    }
}

/// Every other mention of a known surname, and capitalized words that look like a known
/// surname misspelt (not at a sentence start, where any word is capitalized). A lookalike
/// must be a surname: not followed by another name or a particle ("Osama bin Laden"),
/// and at least six letters long.
fn add_other_mentions(words: &[Word<'_>], runs: &[(usize, usize)], evidenced: &[bool], mentions: &mut Mentions) {
    let followed_by_name = |end: usize| {
        !words[end - 1].clause_end
            && words
                .get(end)
                .is_some_and(|w| !w.sentence_start && (is_name_word(w.core) || PARTICLES.contains(&w.core)))
    };
    let known: Vec<(String, String)> =
        mentions.spellings.iter().map(|s| (s.surname.clone(), fold(&s.surname))).collect();
    let known_set: HashSet<&str> = known.iter().map(|(s, _)| s.as_str()).collect();
    // Built on the first lookalike candidate: most articles have none.
    let known_blocks = std::cell::OnceCell::new();
    let looks_like_known = |word: &str| {
        let blocks = known_blocks.get_or_init(|| {
            let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
            for (k, (_, folded)) in known.iter().enumerate() {
                for key in surname_keys(folded) {
                    blocks.entry(key).or_default().push(k);
                }
            }
            blocks
        });
        let folded = fold(word);
        surname_keys(&folded)
            .into_iter()
            .any(|key| blocks.get(&key).into_iter().flatten().any(|&k| similar(&known[k].1, &folded)))
    };
    let taken: HashSet<usize> = mentions.spellings.iter().flat_map(|s| s.spans.iter().map(|span| span.end)).collect();
    for (r, &(start, end)) in runs.iter().enumerate() {
        let last = &words[end - 1];
        if evidenced[r] || taken.contains(&last.span.end) || end - start > 3 {
            continue;
        }
        let surname = last.core;
        let is_known = known_set.contains(surname);
        let lookalike = !is_known
            && (end - start != 1 || !last.sentence_start)
            && !followed_by_name(end)
            && surname.chars().count() >= 6
            && looks_like_known(surname);
        if is_known || lookalike {
            // With its given name, if it has one: "David Johnston" beside "Caroline
            // Johnson" is two people, not one name spelled two ways.
            mentions.add_named(words, start, end, false);
        }
    }
}

/// Surnames in `people` spelled two ways, unless given names show two different people.
pub fn variants_within(people: &People) -> Vec<NameVariant> {
    let folded: Vec<String> = people.spellings.iter().map(|s| fold(&s.surname)).collect();
    let mut pairs: Vec<(usize, usize)> = if folded.len() <= 64 {
        (0..folded.len()).flat_map(|i| (i + 1..folded.len()).map(move |j| (i, j))).collect()
    } else {
        // Only spellings that share a blocking key can be variants (see `surname_keys`).
        let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, f) in folded.iter().enumerate() {
            for key in surname_keys(f) {
                blocks.entry(key).or_default().push(i);
            }
        }
        blocks
            .values()
            .flat_map(|members| {
                members
                    .iter()
                    .enumerate()
                    .flat_map(move |(k, &i)| members[k + 1..].iter().map(move |&j| (i.min(j), i.max(j))))
            })
            .filter(|(i, j)| i != j)
            .collect()
    };
    pairs.sort_unstable();
    pairs.dedup();
    let mut found = Vec::new();
    for (i, j) in pairs {
        {
            let (a, b) = (&people.spellings[i], &people.spellings[j]);
            let none = Vec::new();
            let given_a = people.given.get(&a.surname).unwrap_or(&none);
            let given_b = people.given.get(&b.surname).unwrap_or(&none);
            let same_given_name = given_a.iter().any(|x| given_b.iter().any(|y| fold(x) == fold(y)));
            let accents_only = folded[i] == folded[j] && a.surname != b.surname;
            let both_marked = people.marked.contains(&a.surname) && people.marked.contains(&b.surname);
            if !(accents_only || variant_spelling(&folded[i], &folded[j], same_given_name, both_marked)) {
                continue;
            }
            let different_people = !given_a.is_empty()
                && !given_b.is_empty()
                && !given_a.iter().any(|x| given_b.iter().any(|y| same_given(x, y)));
            if !different_people {
                found.push(NameVariant { first: a.clone(), second: b.clone() });
            }
        }
    }
    found
}

/// The name variants of one article, found in its text.
pub fn name_variants(text: &str) -> Vec<NameVariant> {
    variants_within(&people(text))
}

/// Full names across many articles, indexed so that an article's names can be compared
/// with everyone else's without comparing every pair.
#[derive(Debug, Default)]
pub struct NameIndex {
    /// Folded given name + a key of the folded surname → (article, full name) entries.
    buckets: HashMap<(String, String), Vec<(i64, usize)>>,
    /// Folded surname → entries, for given names spelled differently.
    by_surname: HashMap<String, Vec<(i64, usize)>>,
    names: Vec<FullName>,
}

/// A full name in another article that is probably the same person spelled differently.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LibraryVariant {
    /// The name as this article writes it.
    pub here: String,
    /// The name as the other article writes it.
    pub there: String,
    pub article_id: i64,
}

/// Blocking keys of a folded surname: itself, its five-letter stem and every one-letter
/// deletion. Two names one edit apart share a key (a deletion, or one is the other's
/// deletion); two that share a long stem share the stem: so comparing only names that
/// share a key finds every pair [`similar`] accepts.
fn surname_keys(folded: &str) -> Vec<String> {
    let chars: Vec<char> = folded.chars().collect();
    let mut keys = Vec::with_capacity(chars.len() + 2);
    // The word itself, so that a deletion from a longer name can meet it.
    keys.push(folded.to_owned());
    if chars.len() >= 5 {
        keys.push(format!("^{}", chars[..5].iter().collect::<String>()));
    }
    for skip in 0..chars.len() {
        keys.push(chars.iter().enumerate().filter(|&(i, _)| i != skip).map(|(_, c)| *c).collect());
    }
    keys
}

impl NameIndex {
    pub fn new() -> NameIndex {
        NameIndex::default()
    }

    /// Adds the full names of one article.
    pub fn add(&mut self, article_id: i64, names: &[FullName]) {
        for name in names {
            let index = self.names.len();
            self.names.push(name.clone());
            let given = fold(&name.given);
            let surname = fold(&name.surname);
            for key in surname_keys(&surname) {
                self.buckets.entry((given.clone(), key)).or_default().push((article_id, index));
            }
            self.by_surname.entry(surname).or_default().push((article_id, index));
        }
    }

    /// Names in other articles that are probably one of `names` spelled differently: the
    /// same given name and a surname variant, or the same surname and a given-name
    /// variant ("Sebastian"/"Sébastien").
    pub fn variants_of(&self, article_id: i64, names: &[FullName]) -> Vec<LibraryVariant> {
        let mut found = Vec::new();
        for name in names {
            let given = fold(&name.given);
            let surname = fold(&name.surname);
            let mut seen = HashSet::new();
            let mut report = |other_article: i64, other: &FullName| {
                found.push(LibraryVariant {
                    here: format!("{} {}", name.given, name.surname),
                    there: format!("{} {}", other.given, other.surname),
                    article_id: other_article,
                });
            };
            for key in surname_keys(&surname) {
                for &(other_article, index) in self.buckets.get(&(given.clone(), key)).into_iter().flatten() {
                    let other = &self.names[index];
                    if other_article == article_id || !seen.insert(index) || other == name {
                        continue;
                    }
                    let other_surname = fold(&other.surname);
                    if other_surname == surname || similar(&surname, &other_surname) {
                        report(other_article, other);
                    }
                }
            }
            // The same surname with the given name spelled differently ("Sebastien").
            for &(other_article, index) in self.by_surname.get(&surname).into_iter().flatten() {
                let other = &self.names[index];
                if other_article == article_id || !seen.insert(index) || other == name {
                    continue;
                }
                if similar(&given, &fold(&other.given)) {
                    report(other_article, other);
                }
            }
        }
        found.sort();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> String {
        text.chars().skip(span.start).take(span.end - span.start).collect()
    }

    #[test]
    fn similarity_rules() {
        for (a, b) in [
            ("lecornu", "lecorneuil"),
            ("vella-grech", "vela-grech"),
            ("zelenskyy", "zelensky"),
            ("marchetti", "marchetto"),
            ("kowalski", "kowalsky"),
            ("johnson", "jonhson"),
            ("abramovich", "abramovitz"),
        ] {
            assert!(similar(a, b), "{a} / {b}");
        }
        for (a, b) in [
            ("borg", "berg"),
            ("russia", "russian"),
            ("mozilla", "mozillians"),
            ("america", "americans"),
            ("korea", "koreans"),
            ("smith", "jones"),
            ("lee", "lei"),
            ("martin", "martinez"),
            ("same", "same"),
        ] {
            assert!(!similar(a, b), "{a} / {b}");
        }
        assert_eq!(fold("Sébastien Ørsted"), "sebastien orsted");
    }

    /// Comparing only names that share a blocking key finds exactly the pairs that
    /// comparing every pair finds.
    #[test]
    fn blocking_misses_no_similar_pair() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        let letters: Vec<char> = "aeioulnrstkmv".chars().collect();
        let mut words: Vec<String> = Vec::new();
        while words.len() < 400 {
            let word: String = if !words.is_empty() && next(2) == 0 {
                // A one-edit or stem variant of an earlier word.
                let mut chars: Vec<char> = words[next(words.len())].chars().collect();
                let at = next(chars.len());
                match next(4) {
                    0 => chars[at] = letters[next(letters.len())],
                    1 => chars.insert(at, letters[next(letters.len())]),
                    2 if chars.len() > 5 => {
                        chars.remove(at);
                    }
                    _ => chars.extend(["e", "il"][next(2)].chars()),
                }
                chars.into_iter().collect()
            } else {
                (0..4 + next(6)).map(|_| letters[next(letters.len())]).collect()
            };
            words.push(word);
        }
        words.sort();
        words.dedup();
        let people = People {
            spellings: words.iter().map(|w| Spelling { surname: w.clone(), name: w.clone(), spans: vec![] }).collect(),
            given: BTreeMap::new(),
            marked: words.iter().cloned().collect(),
        };
        let blocked: HashSet<(String, String)> =
            variants_within(&people).into_iter().map(|v| (v.first.surname, v.second.surname)).collect();
        let mut exhaustive = HashSet::new();
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                if similar(a, b) {
                    exhaustive.insert((a.clone(), b.clone()));
                }
            }
        }
        assert!(exhaustive.len() > 50, "the test makes enough variants: {}", exhaustive.len());
        // Every pair `similar` accepts shares a blocking key; two edits in a long name may
        // not (more than 64 spellings in one article is where that can be missed).
        assert!(exhaustive.is_subset(&blocked), "missed: {:?}", exhaustive.difference(&blocked).collect::<Vec<_>>());
        assert!(blocked.iter().all(|(a, b)| variant_spelling(a, b, false, true)));
    }

    #[test]
    fn a_surname_spelled_two_ways_in_one_article() {
        let text = "Harbour director Marta Vella-Grech said on Friday that 1,200 containers were counted twice.\n\
                    When asked about the budget, Vela-Grech replied:\n\
                    “The number was wrong.”\n\
                    Vella-Grech’s office later confirmed the figure.";
        let variants = name_variants(text);
        assert_eq!(variants.len(), 1, "{variants:?}");
        let v = &variants[0];
        assert_eq!(v.first.surname, "Vella-Grech");
        assert_eq!(v.first.name, "Marta Vella-Grech");
        assert_eq!(v.first.spans.len(), 2);
        assert_eq!(v.second.surname, "Vela-Grech");
        assert_eq!(slice(text, v.second.spans[0]), "Vela-Grech");
        assert_eq!(slice(text, v.first.spans[1]), "Vella-Grech");
    }

    #[test]
    fn a_misspelling_without_a_speech_verb_is_still_caught() {
        let text = "Minister Karl Abramovich said the port was full. Officials close to Abramovitz disagreed.";
        let variants = name_variants(text);
        assert_eq!(variants.len(), 1, "{variants:?}");
        assert_eq!(variants[0].second.surname, "Abramovitz");
    }

    #[test]
    fn different_people_are_not_variants() {
        let text = "Maria Johnson said the council had approved the plan. Peter Johnston said it had not.\n\
                    Karl Borg told reporters the figure was wrong, and Anna Berg said it was right.\n\
                    Russian officials said nothing; Russia’s embassy declined to comment.\n\
                    President Emmanuel Macron said France would help. Macron added that Europe must act.";
        let variants = name_variants(text);
        assert!(variants.is_empty(), "{variants:?}");
        let people = people(text);
        let surnames: Vec<&str> = people.spellings.iter().map(|s| s.surname.as_str()).collect();
        assert_eq!(surnames, ["Johnson", "Johnston", "Borg", "Berg", "Macron"]);
        assert_eq!(people.spellings[4].spans.len(), 2, "both Macron mentions");
    }

    #[test]
    fn accents_alone_make_a_variant() {
        let text = "Mayor José Álvarez said the tram would run. Later Alvarez said it would not.";
        let variants = name_variants(text);
        assert_eq!(variants.len(), 1, "{variants:?}");
    }

    #[test]
    fn across_the_library() {
        let mut index = NameIndex::new();
        index.add(1, &people("Minister Sebastian Lecornu said the plan was ready.").full_names());
        index.add(2, &people("Gen. Anna Lindqvist said the troops had left.").full_names());
        index.add(3, &people("Minister Sebastian Lecornou said the plan was late.").full_names());
        index.add(4, &people("Minister Pierre Lecornu said nothing.").full_names());
        index.add(5, &people("Minister Sebastien Lecornu said it again.").full_names());
        let here = people("Minister Sebastian Lecornu said the plan was ready.").full_names();
        let found = index.variants_of(1, &here);
        assert_eq!(
            found,
            [
                LibraryVariant { here: "Sebastian Lecornu".into(), there: "Sebastian Lecornou".into(), article_id: 3 },
                LibraryVariant { here: "Sebastian Lecornu".into(), there: "Sebastien Lecornu".into(), article_id: 5 },
            ]
        );
        let same_name_elsewhere = index.variants_of(3, &people("Minister Sebastian Lecornou said so.").full_names());
        assert_eq!(same_name_elsewhere.len(), 1, "{same_name_elsewhere:?}");
        assert_eq!(same_name_elsewhere[0].article_id, 1);
    }
}
