//! Rules over claims that are computed, never stored: the corroboration warnings.

use std::collections::BTreeSet;

use crate::model::{Evidence, Stance, Status};

/// The warnings a claim carries given its status and live evidence.
pub fn warnings(status: Status, evidence: &[Evidence]) -> Vec<String> {
    let distinct = |stance: Stance| -> BTreeSet<i64> {
        evidence.iter().filter(|e| e.stance == stance).map(|e| e.source.id).collect()
    };
    let credible = |stance: Stance| {
        evidence.iter().any(|e| e.stance == stance && e.source.reliability.is_some_and(|r| r.is_credible()))
    };
    let mut warnings = Vec::new();
    match status {
        Status::Confirmed => {
            let supporting = distinct(Stance::Supports).len();
            if supporting < 2 {
                warnings.push(format!(
                    "confirmed with {supporting} supporting source{}: the corroboration rule asks for at least two independent sources",
                    if supporting == 1 { "" } else { "s" }
                ));
            }
            if credible(Stance::Supports) && credible(Stance::Refutes) {
                warnings.push("conflicting evidence: sources graded A–C both support and refute this claim".to_owned());
            }
        }
        Status::False if distinct(Stance::Refutes).is_empty() => {
            warnings.push("marked false, but no refuting source is attached".to_owned());
        }
        _ => {}
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Reliability, SourceKind, SourceRef};

    fn evidence(source_id: i64, stance: Stance, reliability: Option<Reliability>) -> Evidence {
        Evidence {
            id: source_id * 10,
            claim_id: 1,
            source: SourceRef { id: source_id, title: "s".into(), url: None, kind: SourceKind::Document, reliability },
            stance,
            credibility: None,
            excerpt: None,
            added_at: String::new(),
            file: None,
            snapshot: None,
        }
    }

    #[test]
    fn corroboration_rules() {
        use Reliability::*;
        use Stance::*;
        // Two links to one source are still one source.
        let one_source = [evidence(1, Supports, Some(A)), evidence(1, Supports, Some(A))];
        assert_eq!(warnings(Status::Confirmed, &one_source).len(), 1);
        let two_sources = [evidence(1, Supports, Some(A)), evidence(2, Supports, Some(D))];
        assert!(warnings(Status::Confirmed, &two_sources).is_empty());
        let conflicting = [evidence(1, Supports, Some(B)), evidence(2, Supports, None), evidence(3, Refutes, Some(C))];
        let found = warnings(Status::Confirmed, &conflicting);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("conflicting evidence"));
        let weak_refutation =
            [evidence(1, Supports, Some(B)), evidence(2, Supports, None), evidence(3, Refutes, Some(E))];
        assert!(warnings(Status::Confirmed, &weak_refutation).is_empty());
        assert_eq!(warnings(Status::False, &[evidence(1, Supports, Some(A))]).len(), 1);
        assert!(warnings(Status::False, &[evidence(1, Refutes, None)]).is_empty());
        assert!(warnings(Status::Disputed, &[]).is_empty());
        assert!(warnings(Status::Unreviewed, &[]).is_empty());
    }
}
