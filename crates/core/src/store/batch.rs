//! A batch of many events in one transaction (a page pulled from the team hub) with the
//! two single rows every event rewrites, the history's head and the lists' kept lengths,
//! held in memory and written once when the batch is kept. Inside a batch,
//! [`crate::store::history::append`] and [`crate::store::shared::count_change`] read and
//! change the held values; [`crate::store::history::head`] and
//! [`crate::store::shared::list_count`] see them too. The batch's caller writes them when
//! it keeps the batch.
//!
//! The held state is the writing thread's: a transaction is used on the thread that
//! opened it, and the store functions that need the state get only the connection. A
//! batch dropped unfinished forgets its state: its caller rolls its writes back.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::model::ChainHead;

/// What a batch holds.
#[derive(Default)]
pub(crate) struct Held {
    /// The newest event's id and the chain's head after it, once read.
    head: Option<(i64, ChainHead)>,
    head_changed: bool,
    /// Changes to the kept lengths of lists, by list.
    counts: HashMap<String, i64>,
}

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// An open batch; [`Batch::finish`] hands over what it holds.
pub(crate) struct Batch {
    /// False for a batch opened inside another: the outer one holds the state.
    outermost: bool,
}

impl Batch {
    pub(crate) fn begin() -> Batch {
        HELD.with(|held| {
            let mut held = held.borrow_mut();
            let outermost = held.is_none();
            if outermost {
                *held = Some(Held::default());
            }
            Batch { outermost }
        })
    }

    /// Ends the batch: what its caller writes, in the batch's transaction, to keep it
    /// (`store::history::write_head`, `store::shared::write_count_change`).
    pub(crate) fn finish(self) -> Held {
        if !self.outermost {
            return Held::default();
        }
        HELD.with(|held| held.borrow_mut().take()).unwrap_or_default()
    }
}

impl Held {
    /// The chain's head after the batch's events, when it appended any.
    pub(crate) fn changed_head(&self) -> Option<&ChainHead> {
        self.head.as_ref().filter(|_| self.head_changed).map(|(_, head)| head)
    }

    /// The changes to lists' kept lengths, by list (none of 0).
    pub(crate) fn count_changes(&self) -> impl Iterator<Item = (&str, i64)> {
        self.counts.iter().filter(|(_, delta)| **delta != 0).map(|(list, delta)| (list.as_str(), *delta))
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if self.outermost {
            HELD.with(|held| held.borrow_mut().take());
        }
    }
}

/// The held newest id and head, if a batch is open and has read them.
pub(crate) fn held_head() -> Option<(i64, ChainHead)> {
    HELD.with(|held| held.borrow().as_ref().and_then(|h| h.head.clone()))
}

/// Holds the newest id and the head after it, written when the batch is kept; the head comes
/// back when no batch is open, for the caller to write.
pub(crate) fn hold_head(id: i64, head: ChainHead) -> Option<ChainHead> {
    HELD.with(|held| match held.borrow_mut().as_mut() {
        Some(held) => {
            held.head = Some((id, head));
            held.head_changed = true;
            None
        }
        None => Some(head),
    })
}

/// Holds the newest id and head as read from the file (nothing to write yet).
pub(crate) fn hold_read_head(id: i64, head: &ChainHead) {
    HELD.with(|held| {
        if let Some(held) = held.borrow_mut().as_mut() {
            held.head = Some((id, head.clone()));
        }
    })
}

/// The held head when an append in the open batch changed it.
pub(crate) fn changed_head() -> Option<ChainHead> {
    HELD.with(|held| {
        held.borrow().as_ref().filter(|h| h.head_changed).and_then(|h| h.head.as_ref().map(|(_, head)| head.clone()))
    })
}

/// Adds to a list's held change. False when no batch is open.
pub(crate) fn hold_count_change(list: &str, delta: i64) -> bool {
    HELD.with(|held| match held.borrow_mut().as_mut() {
        Some(held) => {
            match held.counts.get_mut(list) {
                Some(change) => *change += delta,
                None => {
                    held.counts.insert(list.to_owned(), delta);
                }
            }
            true
        }
        None => false,
    })
}

/// The held change to a list's length (0 outside a batch).
pub(crate) fn held_count_change(list: &str) -> i64 {
    HELD.with(|held| held.borrow().as_ref().and_then(|h| h.counts.get(list).copied()).unwrap_or(0))
}
