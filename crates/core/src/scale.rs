//! Large libraries for benchmarks: a long history written quickly (status changes of
//! synthetic claims, hash-chained exactly as the library writes every event).

use crate::events::{ClaimStatusChanged, Event, Subject};
use crate::library::Library;
use crate::model::Status;
use crate::store::history::{self, NewEvent};
use crate::Result;

/// Events written per transaction.
const BATCH: usize = 50_000;

/// Appends `count` status-change events about `claims` synthetic claims (ids need not
/// exist: `verify` reads the history only), in batches, durably at the end.
pub fn append_synthetic_events(library: &Library, count: usize, claims: usize) -> Result<()> {
    let statuses = [Status::Unreviewed, Status::Confirmed, Status::Disputed, Status::Unconfirmed, Status::False];
    library.bulk(|library| {
        let mut written = 0;
        while written < count {
            let batch = BATCH.min(count - written);
            library.store.write(|tx| {
                for n in written..written + batch {
                    let claim_id = (n % claims.max(1)) as i64 + 1;
                    let at = format!("2026-01-01T00:00:{:02}.{:06}Z", (n / 1_000_000) % 60, n % 1_000_000);
                    let event = Event::ClaimStatusChanged(ClaimStatusChanged {
                        from: statuses[n % 5],
                        to: statuses[(n + 1) % 5],
                        note: (n % 7 == 0).then(|| format!("checked against source {}", n % 977)),
                        undoes: None,
                    });
                    let subject = Subject::Claim { article_id: claim_id / 10 + 1, claim_id };
                    history::append(tx, NewEvent { at: &at, actor: "bench desk", subject, event })?;
                }
                Ok(())
            })?;
            written += batch;
        }
        Ok(())
    })
}
