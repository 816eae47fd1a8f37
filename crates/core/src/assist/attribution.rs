//! Who said it: the claimant of direct and reported speech, read sentence by sentence
//! with the people named so far, so that "she said" or "Borg added" resolve to the most
//! recent matching full name. Patterns, not a parser: "…, X said." · "X said/told … that" ·
//! "According to X, …" · a quotation after "X replied:".

use super::words::{is_not_name, is_particle, is_speech_verb, is_title, NOT_SPEAKER_NAMES, ROLE_NOUNS};

/// Whether the speech verb at `i` is passive ("was described as", "were called in"):
/// then its subject did not speak.
fn is_passive(words: &[&str], i: usize) -> bool {
    i > 0 && matches!(words[i - 1], "was" | "were" | "been" | "be" | "is" | "are" | "being")
}

/// First words of an opening clause before the subject ("Asked whether …, Quinn said").
#[rustfmt::skip]
const OPENERS: &[&str] = &[
    "When", "If", "As", "After", "Before", "While", "Although", "Asked", "Once", "In", "On", "At", "Speaking",
    "Earlier", "Later", "Last", "Today", "Yesterday", "Separately", "Meanwhile",
];

/// How many recent people a pronoun or a bare surname can resolve to.
const REMEMBERED_PEOPLE: usize = 64;
/// How many recent capitalised names a bare surname can resolve to.
const REMEMBERED_NAMES: usize = 256;

/// Words between a speaker and the verb that are not part of the speaker.
#[rustfmt::skip]
const AUXILIARIES: &[&str] = &[
    "also", "later", "then", "again", "previously", "earlier", "had", "has", "have", "was", "is", "were", "are",
    "would", "will", "further", "repeatedly", "publicly", "once", "recently", "has", "had", "never", "already",
];
/// Words that may follow a closing speech verb ("said in a statement", "said on Friday").
#[rustfmt::skip]
const TRAILERS: &[&str] = &[
    "in", "on", "at", "late", "early", "earlier", "last", "this", "during", "after", "before", "by", "from", "via",
    "yesterday", "today", "tonight", "overnight", "recently", "reporters", "journalists", "lawmakers", "parliament",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "He", "She", "They"];
/// Reads an article's sentences in order and names who said each.
#[derive(Debug, Default)]
pub struct Attributor {
    /// Full names of the speakers met so far, most recent last.
    people: Vec<String>,
    /// The speaker announced by a sentence ending in `:` ("Vella-Grech replied:").
    announced: Option<String>,
    /// The speaker of a quotation that opened and has not closed yet.
    quoting: Option<String>,
    /// The last speaker that is not a person ("the transport ministry"), for "it said".
    organization: Option<String>,
    /// Every two- or three-word capitalised name the text used, most recent last: a bare
    /// surname may resolve to one of them, a pronoun never does.
    named: Vec<String>,
}

/// Opening minus closing quotation marks: positive when a quotation is left open.
fn open_quotes(sentence: &str) -> i32 {
    let curly = sentence.matches('“').count() as i32 - sentence.matches('”').count() as i32;
    // A straight quote opens after a space, a bracket or at the start; otherwise it closes.
    let mut straight = 0;
    let mut previous = ' ';
    for c in sentence.chars() {
        if c == '"' {
            straight += if previous.is_whitespace() || matches!(previous, '(' | '[' | '—' | '–') { 1 } else { -1 };
        }
        previous = c;
    }
    curly + straight
}

fn is_name_word(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '-'));
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().skip(1).all(|c| c.is_lowercase() || c == '-' || c.is_uppercase())
        && word.chars().count() > 1
        && !NOT_SPEAKER_NAMES.contains(&word)
}

/// Runs of two or more capitalized words (a name such as "Marta Vella-Grech").
fn full_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for raw in text.split_whitespace().chain(std::iter::once("")) {
        let word = raw.trim_matches(|c: char| !(c.is_alphanumeric() || c == '-'));
        let ends_clause = raw.ends_with([',', '.', ':', ';', '”', '"']);
        // "Pieter de Vries": a particle inside a name.
        let particle = !run.is_empty() && !ends_clause && is_particle(raw);
        let in_name = is_name_word(raw) || particle;
        if in_name {
            run.push(word);
        }
        if !in_name || ends_clause {
            while run.last().is_some_and(|w| is_particle(w)) {
                run.pop();
            }
            // "Councillor Ana Petrova": the title is not part of the name.
            while run.len() > 2 && is_title(run[0]) {
                run.remove(0);
            }
            if run.len() >= 2 {
                // "Armed Forces Sebastian Lecornu": a title run into a name; names are
                // rarely longer than three words, so keep the last two.
                let keep = if run.len() > 3 { &run[run.len() - 2..] } else { &run[..] };
                names.push(keep.join(" "));
            }
            run.clear();
        }
    }
    names
}

impl Attributor {
    pub fn new() -> Attributor {
        Attributor::default()
    }

    /// A person's most recent full name that ends with `surname`, or `surname` itself.
    fn resolve(&self, who: &str) -> String {
        let who = who.trim().trim_matches(|c: char| matches!(c, ',' | '”' | '"' | '’')).trim();
        if PRONOUNS.contains(&who) {
            return self.people.last().cloned().unwrap_or_else(|| who.to_owned());
        }
        if who == "it" || who == "It" {
            if let Some(organization) = &self.organization {
                return organization.clone();
            }
        }
        if let Some(title) = who.strip_prefix("the ").or_else(|| who.strip_prefix("The ")) {
            if ROLE_NOUNS.contains(&title.trim()) {
                if let Some(last) = self.people.last() {
                    return last.clone();
                }
            }
        }
        // "Analyst Marco Bellini of Ferro Capital": the person, not the employer.
        // ("French Minister of the Armed Forces Sebastian Lecornu": a title, not a person, before "of".)
        // ("…according to the New Zealand Department of Conservation": an organisation.)
        let names_a_person =
            |head: &str| full_names(head).iter().any(|n| !n.split(' ').any(|w| is_title(w) || is_not_name(w)));
        let who = [" of ", " at ", " from "]
            .iter()
            .fold(who, |w, cut| w.split(cut).next().filter(|head| names_a_person(head)).unwrap_or(w));
        // A title and a name ("Port director Marta Vella-Grech", "The auditor, Karl Borg"):
        // the name.
        if let Some(name) = full_names(who).last() {
            // "the New Zealand Department of Conservation": an organisation, named whole.
            if name.split(' ').any(is_not_name) {
                return who.to_owned();
            }
            return name.clone();
        }
        // "Dr Saleh", "President Macron": a title and a surname met before.
        let last = who.rsplit(' ').next().unwrap_or(who);
        if who.contains(' ') && is_name_word(last) && who.split(' ').rev().skip(1).all(is_title) {
            return self.resolve(last);
        }
        if is_name_word(who) {
            // A speaker met before, else any full name the text used ("Whale whisperer Hori
            // Parata was …" then "says Parata").
            let ends_with = |p: &&String| p.rsplit(' ').next() == Some(who);
            if let Some(full) =
                self.people.iter().rev().find(ends_with).or_else(|| self.named.iter().rev().find(ends_with))
            {
                return full.clone();
            }
        }
        who.to_owned()
    }

    /// The claimants of an article's sentences, in order. A quotation whose speaker is
    /// named only where it closes ("… to mobilise," Lecornu said.) gets that speaker from
    /// the sentence where it opened.
    pub fn claimants<'s>(&mut self, sentences: impl IntoIterator<Item = &'s str>) -> Vec<Option<String>> {
        let mut found: Vec<Option<String>> = Vec::new();
        let mut unattributed_since = None;
        for (i, sentence) in sentences.into_iter().enumerate() {
            let claimant = self.claimant(sentence);
            let balance = open_quotes(sentence);
            match (unattributed_since, balance, &claimant) {
                (None, b, None) if b > 0 => unattributed_since = Some(i),
                (Some(since), b, Some(who)) if b < 0 => {
                    for earlier in &mut found[since..] {
                        *earlier = Some(who.clone());
                    }
                    unattributed_since = None;
                }
                (Some(_), b, _) if b != 0 => unattributed_since = None,
                _ => {}
            }
            found.push(claimant);
        }
        found
    }

    /// The claimant of `sentence`, if the sentence says who is speaking; then remembers
    /// the names it mentions.
    pub fn claimant(&mut self, sentence: &str) -> Option<String> {
        // Inside a quotation that spans sentences, the speaker is the one who opened it,
        // unless the sentence opens a new quotation or names who closes it ("…," X said.).
        let starts_quote = sentence.trim_start().starts_with(['“', '"']);
        let continuing = if starts_quote { None } else { self.quoting.clone() };
        let balance = open_quotes(sentence);
        // A closing sentence names its speaker after the closing quote mark, if anywhere.
        let after_close = sentence.rsplit_once(['”', '"']).map_or("", |(_, after)| after);
        let names_closer = after_close.split_whitespace().any(|w| is_speech_verb(w.trim_end_matches(['.', ','])));
        let explicit = if continuing.is_none() || (balance < 0 && names_closer) { self.find(sentence) } else { None };
        let found = if balance < 0 && explicit.is_some() { explicit } else { continuing.clone().or(explicit) };
        self.quoting = match (continuing, balance) {
            (Some(who), 0) => Some(who),
            (Some(_), b) if b < 0 => None,
            (_, b) if b > 0 => found.clone(),
            _ => None,
        };
        // Remember the people the sentence names (a title or a speech verb says they are
        // people), then the speaker, most recent last: "she" and "Borg" find them later.
        let mentioned = super::names::people(sentence);
        for spelling in &mentioned.spellings {
            let known =
                self.people.iter().rev().find(|p| p.rsplit(' ').next() == Some(spelling.surname.as_str())).cloned();
            let name = if spelling.name.contains(' ') { Some(spelling.name.clone()) } else { known };
            if let Some(name) = name {
                self.remember(name);
            }
        }
        for name in full_names(sentence) {
            self.named.retain(|n| *n != name);
            self.named.push(name);
            if self.named.len() > REMEMBERED_NAMES {
                self.named.remove(0);
            }
        }
        // "Patel disagreed.": a remembered person named by surname is the most recent again.
        for word in sentence.split_whitespace() {
            let word = word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '-'));
            if is_name_word(word) {
                if let Some(person) = self.people.iter().rev().find(|p| p.rsplit(' ').next() == Some(word)).cloned() {
                    self.remember(person);
                }
            }
        }
        if let Some(who) = &found {
            if !full_names(who).is_empty() && who.chars().next().is_some_and(char::is_uppercase) {
                self.remember(who.clone());
            } else if !PRONOUNS.contains(&who.as_str()) && who.split_whitespace().count() >= 2 {
                self.organization = Some(who.clone());
            }
        }
        self.announced = None;
        let trimmed = sentence.trim_end();
        if trimmed.ends_with(':') {
            // "…, Vella-Grech replied:" announces who speaks in the next sentence.
            let words: Vec<&str> = trimmed.trim_end_matches(':').split_whitespace().collect();
            if let Some(i) = words.iter().rposition(|w| is_speech_verb(w)) {
                if i > 0 {
                    let before = words[..i].join(" ");
                    let who = before.rsplit(", ").next().unwrap_or(&before);
                    self.announced = Some(self.resolve(who));
                }
            }
        }
        found
    }

    fn remember(&mut self, name: String) {
        self.people.retain(|p| *p != name);
        self.people.push(name);
        // Pronouns and surnames refer back a few paragraphs, not a book: a bounded list
        // keeps a huge article linear.
        if self.people.len() > REMEMBERED_PEOPLE {
            self.people.remove(0);
        }
    }

    /// Who said `sentence`, trying the patterns from the most to the least specific.
    fn find(&self, sentence: &str) -> Option<String> {
        let s = sentence.trim();
        // "…, X replied:" speaks in the next sentence, not in this one.
        if s.ends_with(':') {
            return None;
        }
        // A quotation right after "X replied:".
        if s.starts_with(['“', '"']) && !s.contains(" said") {
            if let Some(who) = &self.announced {
                return Some(who.clone());
            }
        }
        // "According to X, …" / "…, according to fire chief X."
        if let Some(rest) = s.strip_prefix("According to ").or_else(|| s.split_once(", according to ").map(|(_, r)| r))
        {
            let who = rest.split([',', ';']).next()?.trim_end_matches(['.', '!', '?']);
            return Some(self.resolve(who));
        }
        let words: Vec<&str> = s.split_whitespace().collect();
        self.before_closing_verb(&words)
            .or_else(|| self.after_closing_quote(s))
            .or_else(|| self.pronoun_before_verb(&words))
            .or_else(|| self.sentence_subject(&words))
    }

    /// "…,” X said." / "…, X said in a statement." — the speaker between the last comma
    /// and the verb, which ends the sentence or is followed by a short "when/where".
    fn before_closing_verb(&self, words: &[&str]) -> Option<String> {
        let v = words.iter().rposition(|w| is_speech_verb(w.trim_end_matches(['.', '!', '?']))).filter(|&v| {
            let trailer = &words[v + 1..];
            trailer.is_empty() || (trailer.len() <= 5 && TRAILERS.contains(&trailer[0]) && !words[v].ends_with(','))
        })?;
        if v < 2 || !words[..v].iter().any(|w| w.ends_with([',', '”', '"'])) || is_passive(words, v) {
            return None;
        }
        let before = words[..v].join(" ");
        let who = before.rsplit([',', '”']).next().unwrap_or(&before).trim();
        (!who.is_empty() && who.split_whitespace().count() <= 6).then(|| self.resolve(who))
    }

    /// "…,” X said on Friday." / "…,” said Tomas Vik, who heads the association." — the
    /// speaker around a verb after the last closing quote.
    fn after_closing_quote(&self, s: &str) -> Option<String> {
        let after_quote = s.rsplit_once("” ").or_else(|| s.rsplit_once("\" ")).map(|(_, a)| a)?;
        let w: Vec<&str> = after_quote.split_whitespace().collect();
        let i = w.iter().position(|x| is_speech_verb(x.trim_end_matches(['.', ','])))?;
        if (1..=4).contains(&i) {
            return Some(self.resolve(&w[..i].join(" ")));
        }
        if i != 0 || w.len() <= 1 {
            return None;
        }
        // The speaker after the verb.
        let rest = w[1..].join(" ");
        let mut parts = rest.split([',', ';']).map(|p| p.trim().trim_end_matches(['.', '!', '?']));
        let mut who = parts.next().unwrap_or("");
        // "said one resident, Miguel Soto." — the name in apposition.
        if full_names(who).is_empty() {
            if let Some(named) = parts.next().filter(|p| !full_names(p).is_empty() && p.split(' ').count() <= 4) {
                who = named;
            }
        }
        (!who.is_empty() && who.split_whitespace().count() <= 8).then(|| self.resolve(who))
    }

    /// ", he said that …" anywhere: the most recent person.
    fn pronoun_before_verb(&self, words: &[&str]) -> Option<String> {
        let i = words.iter().position(|w| is_speech_verb(w.trim_end_matches(',')))?;
        (i > 0 && PRONOUNS.contains(&words[i - 1])).then(|| self.resolve(words[i - 1]))
    }

    /// "X said/told … that" with X at the start, up to ten words.
    fn sentence_subject(&self, words: &[&str]) -> Option<String> {
        let i = words.iter().position(|w| is_speech_verb(w.trim_end_matches(',')))?;
        let subordinate = OPENERS.contains(&words[0]);
        // "Asked whether …, Quinn said …": the subject follows the opening clause.
        let start =
            if subordinate { words[..i].iter().rposition(|w| w.ends_with(',')).map_or(i, |c| c + 1) } else { 0 };
        // A speaker is a noun phrase: no figure in it ("Shares in the airline rose 9% after it").
        let figure = words[start..i].iter().any(|w| w.contains(|c: char| c.is_ascii_digit() || c == '%'));
        // "a stranding that was described as", "were called in": passive, not speech.
        let passive = is_passive(words, i);
        if start >= i || i - start > 10 || words[start].starts_with(['“', '"']) || figure || passive {
            return None;
        }
        // "He also commented", "The ministry has promised": not part of the speaker.
        let mut end = i;
        while end > start + 1 && AUXILIARIES.contains(&words[end - 1]) {
            end -= 1;
        }
        let subject = words[start..end].join(" ");
        // "A senior prosecutor, speaking on condition of anonymity, said": the head,
        // unless a part in apposition names the person ("The auditor, Karl Borg, said").
        let parts: Vec<&str> = subject.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        let who = parts.iter().find(|p| !full_names(p).is_empty()).or(parts.first()).copied().unwrap_or(&subject);
        Some(self.resolve(who))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claimants_in_a_wire_story() {
        // Our own text, in the shape of a wire story.
        let sentences = [
            (
                "The harbour authority said on Friday that the record figure had been overstated.",
                Some("The harbour authority"),
            ),
            (
                "Port director Marta Vella-Grech told reporters that 1,200 containers were counted twice.",
                Some("Marta Vella-Grech"),
            ),
            ("“The number was wrong,” she said.", Some("Marta Vella-Grech")),
            ("When asked about the budget, Vella-Grech replied:", None),
            ("“The number was wrong.", Some("Marta Vella-Grech")),
            ("I cannot speak for the ministry, which has not confirmed it.”", Some("Marta Vella-Grech")),
            ("According to the ministry, the budget used independent estimates.", Some("the ministry")),
            ("The auditor, Karl Borg, said the error dated from 2023.", Some("Karl Borg")),
            ("Borg added that tonnage was still the second-highest on record.", Some("Karl Borg")),
            ("Tonnage rose by 4% in 2024.", None),
            ("Councillor Ana Petrova said the vote would wait.", Some("Ana Petrova")),
            ("Regarding the audit, she said that so far \"only the ministry has confirmed it.", Some("Ana Petrova")),
            ("We are checking.", Some("Ana Petrova")),
            ("It is serious.\"", Some("Ana Petrova")),
            ("“The number was wrong,” Vela-Grech repeated at the end of the briefing.", Some("Vela-Grech")),
        ];
        assert_claimants(&sentences);
    }

    /// Reads `sentences` in order with one `Attributor` and checks each claimant.
    fn assert_claimants(sentences: &[(&str, Option<&str>)]) {
        let mut attributor = Attributor::new();
        for &(sentence, want) in sentences {
            assert_eq!(attributor.claimant(sentence).as_deref(), want, "{sentence}");
        }
    }

    /// Patterns met on real pages, in our own words.
    #[test]
    fn organisations_passives_and_names_met_without_a_verb() {
        let sentences = [
            ("Tide expert Hana Moro grew up beside the estuary.", None),
            ("“The water has never been this warm,” says Moro.", Some("Hana Moro")),
            (
                "Algae blooms are more frequent, according to the Regional Department of Health.",
                Some("the Regional Department of Health"),
            ),
            ("Last spring a bloom that was described as “historic” closed the beach.", None),
            ("Moro and her brother, Tane Moro, were called in to help.", None),
        ];
        assert_claimants(&sentences);
    }

    #[test]
    fn a_quotation_named_where_it_closes() {
        let sentences = [
            "The port was busy.",
            "“This is not surprising.",
            "Nobody expected less,” Karl Borg said.",
            "“Someday it will change.",
            "The difficulty is the money,” the auditor said.",
            "Traffic rose.",
        ];
        let got = Attributor::new().claimants(sentences);
        let want = [None, Some("Karl Borg"), Some("Karl Borg"), Some("Karl Borg"), Some("Karl Borg"), None];
        assert_eq!(got.iter().map(Option::as_deref).collect::<Vec<_>>(), want);
    }
}
