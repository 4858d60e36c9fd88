//! Derived indexes read first by eligibility checks, so a check touches a
//! few cache lines instead of the learner record and its certificates:
//!
//! - [`CourseTable`]: the courses in id order (a course's *rank* is its
//!   position) with the compiled position of each one's prerequisite;
//! - [`Digest`]: per learner, one 64-byte line holding the birth date, up to
//!   [`INLINE`] certificates (course rank and validity) and whether any
//!   credential is held at all.
//!
//! Both are functions of the records (courses, compiled graph, learners):
//! `apply` keeps them in step, deserialisation rebuilds them, and they are
//! never serialised. Whatever a digest cannot answer (more certificates than
//! fit, competencies and credentials from other issuers) is answered from the
//! learner record.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::compiled::{Compiled, Node};
use crate::course::Course;
use crate::curriculum::{Learner, Validity};
use crate::ids::{CourseId, RequirementId};

/// A course as the table holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CourseSlot {
    id: CourseId,
    prerequisite: Option<RequirementId>,
    /// The compiled position of `prerequisite`.
    position: Option<usize>,
}

/// Every course in id order, with its prerequisite's compiled position, and
/// the rank of the course each compiled node names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CourseTable {
    slots: Vec<CourseSlot>,
    /// By compiled position: the rank of a course node's course, else
    /// [`NO_RANK`].
    node_ranks: Vec<u32>,
}

/// No course (a node that is not a course node, or an unknown course).
const NO_RANK: u32 = u32::MAX;

impl CourseTable {
    /// The table of `courses` (prerequisite positions from `compiled`).
    pub(crate) fn build(courses: &BTreeMap<CourseId, Course>, compiled: &Compiled) -> Self {
        let slots = courses
            .values()
            .map(|c| CourseSlot {
                id: c.id,
                prerequisite: c.prerequisite,
                position: c.prerequisite.and_then(|r| compiled.position(r)),
            })
            .collect();
        let mut table = Self { slots, node_ranks: Vec::new() };
        table.rank_nodes(compiled);
        table
    }

    /// Recomputes the rank of every compiled node's course.
    fn rank_nodes(&mut self, compiled: &Compiled) {
        let ranks: Vec<u32> = compiled.nodes().iter().map(|n| self.node_rank_of(n)).collect();
        self.node_ranks = ranks;
    }

    fn node_rank_of(&self, node: &Node) -> u32 {
        match node {
            Node::Course { course, .. } => self.rank(*course).unwrap_or(NO_RANK),
            _ => NO_RANK,
        }
    }

    /// The rank of the course named by the course node at `position`.
    pub(crate) fn node_rank(&self, position: usize) -> Option<u32> {
        self.node_ranks.get(position).copied().filter(|r| *r != NO_RANK)
    }

    fn find(&self, id: CourseId) -> Result<usize, usize> {
        self.slots.binary_search_by(|s| s.id.cmp(&id))
    }

    /// The rank of course `id`, if it exists.
    pub(crate) fn rank(&self, id: CourseId) -> Option<u32> {
        self.find(id).ok().and_then(|i| u32::try_from(i).ok())
    }

    /// For an existing course: the compiled position of its prerequisite
    /// (`None` when it has none).
    pub(crate) fn prerequisite(&self, id: CourseId) -> Option<Option<usize>> {
        let i = self.find(id).ok()?;
        self.slots.get(i).map(|s| s.position)
    }

    /// Adds course `id` with no prerequisite (or clears an existing one's).
    /// Returns whether the ranks of courses already there changed (then
    /// every digest must be rebuilt).
    pub(crate) fn insert(&mut self, id: CourseId, compiled: &Compiled) -> bool {
        let slot = CourseSlot { id, prerequisite: None, position: None };
        match self.find(id) {
            Ok(i) => {
                if let Some(s) = self.slots.get_mut(i) {
                    *s = slot;
                }
                false
            }
            Err(i) => {
                let shifted = i < self.slots.len();
                self.slots.insert(i, slot);
                // A stale rank would read another course's certificates: rank
                // every node again when ranks move. (A node naming a course
                // not yet created has no rank; evaluation then searches.)
                if shifted {
                    self.rank_nodes(compiled);
                }
                shifted
            }
        }
    }

    /// Sets course `id`'s prerequisite.
    pub(crate) fn set_prerequisite(
        &mut self,
        id: CourseId,
        prerequisite: Option<RequirementId>,
        compiled: &Compiled,
    ) {
        if let Ok(i) = self.find(id)
            && let Some(s) = self.slots.get_mut(i)
        {
            s.prerequisite = prerequisite;
            s.position = prerequisite.and_then(|r| compiled.position(r));
        }
    }

    /// After `requirement` is defined: its node's course rank, and the
    /// positions of the courses naming it (a compiled position, once given,
    /// never changes).
    pub(crate) fn requirement_defined(&mut self, requirement: RequirementId, compiled: &Compiled) {
        let nodes = compiled.nodes();
        self.node_ranks.resize(nodes.len(), NO_RANK);
        if let Some(position) = compiled.position(requirement)
            && let Some(node) = nodes.get(position)
        {
            let rank = self.node_rank_of(node);
            if let Some(r) = self.node_ranks.get_mut(position) {
                *r = rank;
            }
        }
        for s in self.slots.iter_mut().filter(|s| s.prerequisite == Some(requirement)) {
            s.position = compiled.position(requirement);
        }
    }
}

/// Certificates a digest holds inline; a learner with more is answered from
/// the learner record.
pub(crate) const INLINE: usize = 3;

/// `Digest::len` when the certificates are not inline.
const NOT_INLINE: u8 = u8::MAX;

/// A certificate in a digest: its course's rank and its validity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    course: u32,
    validity: Validity,
}

impl Entry {
    const EMPTY: Self = Self {
        course: u32::MAX,
        validity: Validity { issued_on: NaiveDate::MIN, valid_until: None, revoked_on: None },
    };
}

/// One learner in one cache line: what most eligibility checks read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(align(64))]
pub(crate) struct Digest {
    birth_date: Option<NaiveDate>,
    /// Entries in use, or [`NOT_INLINE`].
    len: u8,
    /// Whether some certificate held grants a competency or a credential
    /// from another issuer is recorded: only then can a credential
    /// requirement be met.
    credentials: bool,
    entries: [Entry; INLINE],
}

impl Digest {
    /// The digest of a learner with nothing recorded.
    pub(crate) const EMPTY: Self =
        Self { birth_date: None, len: 0, credentials: false, entries: [Entry::EMPTY; INLINE] };

    /// The digest of `learner`, courses ranked by `courses`.
    pub(crate) fn of(learner: &Learner, courses: &CourseTable) -> Self {
        let mut digest = Self {
            birth_date: learner.birth_date,
            len: NOT_INLINE,
            credentials: !learner.external.is_empty()
                || learner.held.iter().any(|h| !h.competencies.is_empty()),
            entries: [Entry::EMPTY; INLINE],
        };
        if learner.held.len() <= INLINE {
            let mut ranked = true;
            for (entry, held) in digest.entries.iter_mut().zip(&learner.held) {
                match courses.rank(held.course) {
                    Some(course) => *entry = Entry { course, validity: held.validity() },
                    None => ranked = false,
                }
            }
            if ranked {
                digest.len = u8::try_from(learner.held.len()).unwrap_or(NOT_INLINE);
            }
        }
        digest
    }

    /// The recorded birth date.
    pub(crate) fn birth_date(&self) -> Option<NaiveDate> {
        self.birth_date
    }

    /// Whether a credential requirement could be met at all.
    pub(crate) fn may_hold_credentials(&self) -> bool {
        self.credentials
    }

    /// The validity of each certificate of the course ranked `course`, or
    /// `None` when the certificates are not inline.
    pub(crate) fn certificates_of(&self, course: u32) -> Option<impl Iterator<Item = Validity>> {
        let entries = self.entries.get(..usize::from(self.len))?;
        Some(entries.iter().filter(move |e| e.course == course).map(|e| e.validity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_is_one_cache_line() {
        assert_eq!(size_of::<Entry>(), 16);
        assert_eq!(size_of::<Digest>(), 64);
    }

    #[test]
    fn not_inline_certificates_are_not_answered() {
        let digest = Digest { len: NOT_INLINE, ..Digest::EMPTY };
        assert!(digest.certificates_of(0).is_none());
        let empty = Digest::EMPTY;
        assert_eq!(empty.certificates_of(u32::MAX).map(Iterator::count), Some(0));
    }
}
