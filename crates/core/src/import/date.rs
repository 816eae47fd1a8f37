//! Publication dates as people and feeds write them, normalized to `YYYY-MM-DD`.

use chrono::{DateTime, NaiveDate};

const FORMATS: &[&str] =
    &["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %B, %Y"];

/// Parses a date written alone (`2024-10-22`, `22 October 2024`, `Oct. 22, 2024`,
/// `Tuesday, 22nd October 2024`, an RFC 3339 timestamp). `None` when it is not one.
pub fn parse_date(input: &str) -> Option<String> {
    let trimmed = input.trim().trim_end_matches('.');
    if trimmed.is_empty() || trimmed.len() > 60 {
        return None;
    }
    if let Ok(stamp) = DateTime::parse_from_rfc3339(trimmed) {
        return Some(stamp.date_naive().format("%Y-%m-%d").to_string());
    }
    // ISO timestamps without a zone, or with a space: the date part decides.
    if trimmed.len() > 10 && trimmed.is_char_boundary(10) && matches!(trimmed.as_bytes()[10], b'T' | b' ') {
        if let Ok(date) = NaiveDate::parse_from_str(&trimmed[..10], "%Y-%m-%d") {
            return Some(date.format("%Y-%m-%d").to_string());
        }
    }
    let cleaned = clean(trimmed);
    FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(&cleaned, format).ok())
        .map(|date| date.format("%Y-%m-%d").to_string())
}

/// Drops a leading weekday, ordinal suffixes (`22nd`) and abbreviation dots (`Oct.`).
fn clean(text: &str) -> String {
    let without_weekday = match text.split_once(',') {
        Some((head, rest)) if is_weekday(head) => rest.trim(),
        _ => text,
    };
    without_weekday
        .split_whitespace()
        .map(|word| {
            let word = word.trim_end_matches('.');
            let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let suffix = &word[digits.len()..];
            let is_ordinal = !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
                && ["st", "nd", "rd", "th"].contains(&suffix.to_ascii_lowercase().as_str());
            if is_ordinal {
                digits.to_owned()
            } else {
                word.replace(".,", ",")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_weekday(word: &str) -> bool {
    let word = word.trim().trim_end_matches('.').to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().any(|day| word.starts_with(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_shapes() {
        let cases = [
            ("2024-10-22", Some("2024-10-22")),
            ("2024/10/22", Some("2024-10-22")),
            ("22.10.2024", Some("2024-10-22")),
            ("22 October 2024", Some("2024-10-22")),
            ("October 22, 2024", Some("2024-10-22")),
            ("Oct. 22, 2024", Some("2024-10-22")),
            ("Tuesday, 22nd October 2024", Some("2024-10-22")),
            ("2024-10-22T17:45:00+03:00", Some("2024-10-22")),
            ("2024-10-22T23:45:00", Some("2024-10-22")),
            ("2024-02-30", None),
            ("yesterday", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_date(input).as_deref(), expected, "{input:?}");
        }
    }
}
