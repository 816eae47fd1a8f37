//! Markdown articles: YAML front matter (the flat `key: value` subset articles use)
//! for metadata, and the body rendered to canonical reading text: one paragraph a
//! block, markup dropped, list items marked, raw HTML never carried over.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::date::parse_date;
use super::{join_paragraphs, ParsedArticle};
use crate::url::is_web_url;

pub fn parse(source: &str) -> ParsedArticle {
    let (front_matter, body) = split_front_matter(source);
    let mut article = ParsedArticle::default();
    for (key, value) in front_matter {
        apply_field(&mut article, &key, value);
    }
    let blocks = render_blocks(body);
    let mut paragraphs = Vec::with_capacity(blocks.len());
    for block in blocks {
        if article.title.is_empty() && block.is_title_heading {
            article.title = block.text;
        } else {
            paragraphs.push(block.text);
        }
    }
    article.text = join_paragraphs(paragraphs);
    if article.text.is_empty() {
        article.text = article.title.clone();
    }
    article
}

fn apply_field(article: &mut ParsedArticle, key: &str, value: String) {
    if value.is_empty() {
        return;
    }
    let slot = match key {
        "title" | "headline" => {
            article.title = value;
            return;
        }
        "date" | "published" | "datepublished" | "published_at" | "pubdate" => {
            if let Some(date) = parse_date(&value) {
                article.published = Some(date);
            }
            return;
        }
        "outlet" | "publisher" | "source" | "site" | "site_name" | "publication" => &mut article.outlet,
        "author" | "authors" | "byline" => &mut article.author,
        // Only a web address: a `javascript:` URL in front matter is not the article's.
        "url" | "link" | "canonical" | "canonical_url" if is_web_url(&value) => &mut article.url,
        "dateline" | "place" | "location" => &mut article.dateline,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Splits `---` front matter from the body. Front matter that never closes is not
/// front matter: the whole file is the body.
fn split_front_matter(source: &str) -> (Vec<(String, String)>, &str) {
    let Some(after_open) = source.strip_prefix("---\n") else {
        return (Vec::new(), source);
    };
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            let yaml = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return (parse_flat_yaml(yaml), body);
        }
        offset += line.len();
    }
    (Vec::new(), source)
}

/// `key: value` pairs with lower-cased keys. Quoted values are unquoted; a key with a
/// list below it (`- a`) gets the items joined with ", ". Anything else is ignored.
fn parse_flat_yaml(yaml: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in yaml.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ") {
            if let Some((_, value)) =
                fields.last_mut().filter(|_| line.starts_with(char::is_whitespace) || line.starts_with('-'))
            {
                let item = unquote(item);
                if !item.is_empty() {
                    if !value.is_empty() {
                        value.push_str(", ");
                    }
                    value.push_str(&item);
                }
            }
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        if let Some((key, value)) = trimmed.split_once(':') {
            let value = value.trim();
            let value = if value.starts_with('[') && value.ends_with(']') {
                value[1..value.len() - 1]
                    .split(',')
                    .map(unquote)
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                unquote(value)
            };
            fields.push((key.trim().to_ascii_lowercase(), value));
        }
    }
    fields
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            let inner = &value[1..value.len() - 1];
            return if quote == '"' { inner.replace("\\\"", "\"") } else { inner.replace("''", "'") };
        }
    }
    match value.find(" #") {
        Some(comment) => value[..comment].trim_end().to_owned(),
        None => value.to_owned(),
    }
}

struct Block {
    text: String,
    is_title_heading: bool,
}

fn render_blocks(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut is_h1 = false;
    // One entry per open list: the next number for ordered lists, None for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let flush = |current: &mut String, is_h1: &mut bool, blocks: &mut Vec<Block>| {
        let text = current.trim();
        if !text.is_empty() && text != "•" {
            blocks.push(Block { text: text.to_owned(), is_title_heading: *is_h1 });
        }
        current.clear();
        *is_h1 = false;
    };
    for event in Parser::new_ext(body, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &mut is_h1, &mut blocks);
                is_h1 = level == HeadingLevel::H1;
            }
            // A paragraph inside a list item continues the item's marker.
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_))
                if !current.trim().is_empty() && !current.trim_end().ends_with(['•', '.']) =>
            {
                flush(&mut current, &mut is_h1, &mut blocks);
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut current, &mut is_h1, &mut blocks);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut current, &mut is_h1, &mut blocks);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut is_h1, &mut blocks);
                match lists.last_mut() {
                    Some(Some(number)) => {
                        current.push_str(&format!("{number}. "));
                        *number += 1;
                    }
                    _ => current.push_str("• "),
                }
            }
            Event::End(
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::Item | TagEnd::BlockQuote(_),
            ) => flush(&mut current, &mut is_h1, &mut blocks),
            Event::Text(text) | Event::Code(text) => current.push_str(&text),
            Event::SoftBreak => current.push(' '),
            Event::HardBreak => current.push('\n'),
            // Raw HTML, rules, footnote markers and the like carry no reading text.
            _ => {}
        }
    }
    flush(&mut current, &mut is_h1, &mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_gives_metadata_and_markup_is_dropped() {
        let input = "---\ntitle: \"Port fees: what the minister said\"\ndate: 2025-06-01\npublisher: Harbour Gazette\nauthor:\n  - Ana Petrova\n  - Tom Reyes\nurl: https://example.org/fees\n---\n\n# Ignored heading? No: the title comes from front matter\n\nThe minister said fees rose by **12%** in *2024*.\n\n- first point\n- second [point](https://example.org)\n\n1. one\n2. two\n\n<script>alert(1)</script>\n\n> A quoted line\n";
        let article = parse(input);
        assert_eq!(article.title, "Port fees: what the minister said");
        assert_eq!(article.published.as_deref(), Some("2025-06-01"));
        assert_eq!(article.outlet.as_deref(), Some("Harbour Gazette"));
        assert_eq!(article.author.as_deref(), Some("Ana Petrova, Tom Reyes"));
        assert_eq!(article.url.as_deref(), Some("https://example.org/fees"));
        assert_eq!(
            article.text,
            "Ignored heading? No: the title comes from front matter\n\nThe minister said fees rose by 12% in 2024.\n\n• first point\n\n• second point\n\n1. one\n\n2. two\n\nA quoted line"
        );
    }

    #[test]
    fn without_front_matter_the_first_h1_is_the_title() {
        let article = parse("Intro line.\n\n# The Title\n\nBody “quoted”.\n");
        assert_eq!(article.title, "The Title");
        assert_eq!(article.text, "Intro line.\n\nBody “quoted”.");
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let article = parse("---\ntitle: never closed\n\nText.\n");
        assert_eq!(article.title, "");
        assert!(article.text.contains("Text."), "{:?}", article.text);
    }
}
