//! Plain-text articles. Understands the wire shape (` date YYYY-MM-DD Title`, then a
//! dateline `Place • Outlet`, then one paragraph a line) and the common shape of a
//! title line, optional `By …` / date / URL lines, then paragraphs.

use super::date::parse_date;
use super::{join_paragraphs, ParsedArticle};
use crate::url::is_web_url;

/// A first line longer than this is body text, not a headline.
const MAX_TITLE_CHARS: usize = 200;
/// A metadata line (dateline, byline, date) is short.
const MAX_META_CHARS: usize = 120;
/// Separators between a dateline's place and outlet.
const DATELINE_SEPARATORS: &[&str] = &[" • ", " · ", " | "];

pub fn parse(text: &str) -> ParsedArticle {
    let mut article = ParsedArticle::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut rest = skip_blank(&lines);

    if let Some((first, after)) = rest.split_first() {
        let first = first.trim();
        if let Some((published, title)) = wire_headline(first) {
            article.published = Some(published);
            article.title = title.to_owned();
            rest = after;
        } else if first.chars().count() <= MAX_TITLE_CHARS && !skip_blank(after).is_empty() {
            article.title = first.to_owned();
            rest = after;
        }
    }

    rest = skip_blank(rest);
    while let Some((line, after)) = rest.split_first() {
        if !read_metadata_line(line.trim(), &mut article) {
            break;
        }
        rest = skip_blank(after);
    }

    article.text = join_paragraphs(paragraphs(rest));
    if article.text.is_empty() {
        article.text = article.title.clone();
    }
    article
}

fn skip_blank<'a, 'b>(lines: &'a [&'b str]) -> &'a [&'b str] {
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    &lines[start..]
}

/// ` date 2024-10-22 Headline…` → (published, headline).
fn wire_headline(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_prefix("date ").or_else(|| line.strip_prefix("Date "))?.trim_start();
    let (date, title) = rest.split_once(char::is_whitespace)?;
    let published = parse_date(date)?;
    let title = title.trim();
    (!title.is_empty()).then_some((published, title))
}

/// Fills one metadata field from `line` if the line is one; false for body text.
fn read_metadata_line(line: &str, article: &mut ParsedArticle) -> bool {
    if line.chars().count() > MAX_META_CHARS {
        return false;
    }
    if article.dateline.is_none() && article.outlet.is_none() {
        if let Some(sep) = DATELINE_SEPARATORS.iter().find(|sep| line.contains(**sep)) {
            let parts: Vec<&str> = line.split(sep).map(str::trim).filter(|p| !p.is_empty()).collect();
            if let [place, outlet, extra @ ..] = parts.as_slice() {
                article.dateline = Some((*place).to_owned());
                article.outlet = Some((*outlet).to_owned());
                if let (None, Some(date)) = (&article.published, extra.iter().find_map(|p| parse_date(p))) {
                    article.published = Some(date);
                }
                return true;
            }
        }
    }
    if article.author.is_none() {
        if let Some(name) = line.strip_prefix("By ").or_else(|| line.strip_prefix("by ")) {
            let name = name.trim();
            if !name.is_empty() && !name.ends_with('.') {
                article.author = Some(name.to_owned());
                return true;
            }
        }
    }
    if let Some((key, value)) = line.split_once(':') {
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "published" | "date" | "updated" if article.published.is_none() => {
                if let Some(date) = parse_date(value) {
                    article.published = Some(date);
                    return true;
                }
            }
            "source" | "url" | "link" if article.url.is_none() && is_web_url(value) => {
                article.url = Some(value.to_owned());
                return true;
            }
            "author" | "byline" if article.author.is_none() && !value.is_empty() => {
                article.author = Some(value.to_owned());
                return true;
            }
            _ => {}
        }
    }
    if article.url.is_none() && is_web_url(line) && !line.contains(char::is_whitespace) {
        article.url = Some(line.to_owned());
        return true;
    }
    if article.published.is_none() {
        if let Some(date) = parse_date(line) {
            article.published = Some(date);
            return true;
        }
    }
    false
}

/// Blank-line separated blocks (hard-wrapped lines joined with a space) when the body
/// has blank lines; otherwise one paragraph a line, as wire copy is written.
fn paragraphs(lines: &[&str]) -> Vec<String> {
    let has_blank_lines = lines.iter().any(|l| l.trim().is_empty());
    if !has_blank_lines {
        return lines.iter().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect();
    }
    lines
        .split(|l| l.trim().is_empty())
        .map(|block| block.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_gives_date_title_dateline_outlet_and_one_paragraph_a_line() {
        let input = " date 2025-03-14 Harbour authority says “record” tonnage was overstated\nValletta • Island Wire\nFirst paragraph with a “quote”.\nSecond paragraph — with a dash.\n";
        let article = parse(input);
        assert_eq!(article.title, "Harbour authority says “record” tonnage was overstated");
        assert_eq!(article.published.as_deref(), Some("2025-03-14"));
        assert_eq!(article.dateline.as_deref(), Some("Valletta"));
        assert_eq!(article.outlet.as_deref(), Some("Island Wire"));
        assert_eq!(article.text, "First paragraph with a “quote”.\n\nSecond paragraph — with a dash.");
    }

    #[test]
    fn title_byline_date_url_then_wrapped_paragraphs() {
        let input = "Council delays the tram vote\n\nBy Ines Duarte\nPublished: 3 February 2025\nhttps://example.org/tram\n\nThe council postponed\nthe vote again.\n\nA second\nparagraph.\n";
        let article = parse(input);
        assert_eq!(article.title, "Council delays the tram vote");
        assert_eq!(article.author.as_deref(), Some("Ines Duarte"));
        assert_eq!(article.published.as_deref(), Some("2025-02-03"));
        assert_eq!(article.url.as_deref(), Some("https://example.org/tram"));
        assert_eq!(article.text, "The council postponed the vote again.\n\nA second paragraph.");
    }

    #[test]
    fn a_single_long_paragraph_has_no_title_line() {
        let body = "word ".repeat(60);
        let article = parse(&body);
        assert_eq!(article.title, "");
        assert_eq!(article.text, body.trim());
    }

    #[test]
    fn a_sentence_starting_with_by_is_body_text() {
        let article = parse("Title\nBy the end of the year, prices rose.\nMore.");
        assert_eq!(article.author, None);
        assert_eq!(article.text, "By the end of the year, prices rose.\n\nMore.");
    }
}
