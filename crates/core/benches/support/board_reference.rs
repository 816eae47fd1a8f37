//! The team board's lists read the slow way, every claim whole and then filtered: the
//! board bench's baseline and the board test's reference (`store::board`).

use crate::{Library, Status};

/// The claims a list shows, newest flagged first: assigned to `member`, or (None)
/// decided and not reviewed.
pub fn read_whole(library: &Library, member: Option<&str>) -> Vec<i64> {
    let mut claims = library.claims(None, None).unwrap();
    claims.retain(|c| match member {
        Some(member) => c.assigned_to.as_deref() == Some(member),
        None => c.status != Status::Unreviewed && c.review.is_none(),
    });
    let mut ids: Vec<i64> = claims.iter().map(|c| c.id).collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids
}
