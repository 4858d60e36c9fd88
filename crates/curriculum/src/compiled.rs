//! The requirement graph compiled for evaluation: nodes in a vector, members
//! by position, so checking eligibility follows indices instead of looking
//! ids up in a map. Kept in step with the requirement map by `apply`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tangguh_core::CompetencyCode;

use crate::ids::{CourseId, RequirementId};
use crate::requirement::RequirementNode;

/// A compiled node; members are positions in [`Compiled::nodes`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Node {
    Course {
        course: CourseId,
        still_valid: bool,
    },
    Credential {
        competency: CompetencyCode,
        level: u8,
    },
    Age {
        years: u8,
    },
    All {
        of: Vec<usize>,
    },
    AtLeast {
        id: RequirementId,
        n: u32,
        of: Vec<usize>,
    },
    /// A position reserved for a member not yet compiled (never reached:
    /// members must exist before a node naming them is defined).
    Missing,
}

/// The compiled graph.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Compiled {
    index: BTreeMap<RequirementId, usize>,
    nodes: Vec<Node>,
}

impl Compiled {
    /// The position of `id`.
    pub(crate) fn position(&self, id: RequirementId) -> Option<usize> {
        self.index.get(&id).copied()
    }

    /// The node at `position`.
    pub(crate) fn node(&self, position: usize) -> Option<&Node> {
        self.nodes.get(position)
    }

    /// Every node, by position.
    pub(crate) fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    fn position_or_reserve(&mut self, id: RequirementId) -> usize {
        let next = self.nodes.len();
        let position = *self.index.entry(id).or_insert(next);
        if position == next {
            self.nodes.push(Node::Missing);
        }
        position
    }

    /// Compiles `node` under `id` (adding or replacing it).
    pub(crate) fn define(&mut self, id: RequirementId, node: &RequirementNode) {
        let position = self.position_or_reserve(id);
        let mut members = |of: &[RequirementId]| -> Vec<usize> {
            of.iter().map(|m| self.position_or_reserve(*m)).collect()
        };
        let compiled = match node {
            RequirementNode::CourseCompleted { course, still_valid } => {
                Node::Course { course: *course, still_valid: *still_valid }
            }
            RequirementNode::CredentialHeld { competency, level } => {
                Node::Credential { competency: competency.clone(), level: *level }
            }
            RequirementNode::MinimumAge { years } => Node::Age { years: *years },
            RequirementNode::AllOf { of } => Node::All { of: members(of) },
            RequirementNode::AnyOf { of } => Node::AtLeast { id, n: 1, of: members(of) },
            RequirementNode::AtLeast { n, of } => Node::AtLeast { id, n: *n, of: members(of) },
        };
        if let Some(slot) = self.nodes.get_mut(position) {
            *slot = compiled;
        }
    }
}
