//! Incidents, their posts and their shifts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tangguh_core::{CompetencyCode, Hazard, IncidentId, Name, RegionCode};

use crate::ids::{PostId, ShiftId};

/// An incident the roster responds to (a flood of the Rungan river).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Incident {
    /// Its id (core's, shared with the registry and the ledger).
    pub id: IncidentId,
    /// Its name ("Banjir Rakumpit Desember 2026").
    pub name: Name,
    /// The hazard.
    pub hazard: Hazard,
    /// The kelurahan affected.
    pub affected: BTreeSet<RegionCode>,
    /// When it started.
    pub start: DateTime<Utc>,
    /// When it was closed, if it was.
    pub end: Option<DateTime<Utc>>,
    /// Its posts.
    pub posts: BTreeMap<PostId, Post>,
}

impl Incident {
    /// An open incident with no posts.
    #[must_use]
    pub fn new(
        id: IncidentId,
        name: Name,
        hazard: Hazard,
        affected: BTreeSet<RegionCode>,
        start: DateTime<Utc>,
    ) -> Self {
        Self { id, name, hazard, affected, start, end: None, posts: BTreeMap::new() }
    }

    /// Whether it is closed.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.end.is_some()
    }
}

/// What kind of post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PostKind {
    /// Posko: a command or coordination post.
    Posko,
    /// A shelter (pengungsian).
    Shelter,
    /// Dapur umum: a public kitchen.
    DapurUmum,
    /// A health post (pos kesehatan).
    HealthPost,
    /// A logistics depot.
    Logistics,
    /// A boat landing for evacuation.
    BoatLanding,
    /// Something else.
    Other,
}

/// A place where an incident needs people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Post {
    /// Its id.
    pub id: PostId,
    /// Its kind.
    pub kind: PostKind,
    /// Its name ("Posko Petuk Bukit").
    pub name: Name,
    /// The kelurahan it is in.
    pub kelurahan: RegionCode,
}

impl Post {
    /// A post.
    #[must_use]
    pub fn new(id: PostId, kind: PostKind, name: Name, kelurahan: RegionCode) -> Self {
        Self { id, kind, name, kelurahan }
    }
}

/// A need: `headcount` people in `role` at a post over `[start, end)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Shift {
    /// Its id.
    pub id: ShiftId,
    /// The incident.
    pub incident: IncidentId,
    /// The post.
    pub post: PostId,
    /// The role ("juru mudi perahu", "juru masak").
    pub role: Name,
    /// Skills needed, each at a minimum level.
    pub required_skills: BTreeMap<CompetencyCode, u8>,
    /// Credentials needed (competency at a minimum level), valid on the
    /// shift's first and last WIB day.
    pub required_credentials: BTreeMap<CompetencyCode, u8>,
    /// Start (inclusive).
    pub start: DateTime<Utc>,
    /// End (exclusive), after the start.
    pub end: DateTime<Utc>,
    /// How many people are needed (at least 1).
    pub headcount: u16,
    /// Whether it was cancelled.
    pub cancelled: bool,
}

impl Shift {
    /// A shift with no requirements.
    #[must_use]
    pub fn new(
        id: ShiftId,
        incident: IncidentId,
        post: PostId,
        role: Name,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        headcount: u16,
    ) -> Self {
        Self {
            id,
            incident,
            post,
            role,
            required_skills: BTreeMap::new(),
            required_credentials: BTreeMap::new(),
            start,
            end,
            headcount,
            cancelled: false,
        }
    }

    /// The same shift needing `skill` at `min_level` or above.
    #[must_use]
    pub fn with_skill(mut self, skill: CompetencyCode, min_level: u8) -> Self {
        self.required_skills.insert(skill, min_level);
        self
    }

    /// The same shift needing a credential for `competency` at `min_level`.
    #[must_use]
    pub fn with_credential(mut self, competency: CompetencyCode, min_level: u8) -> Self {
        self.required_credentials.insert(competency, min_level);
        self
    }

    /// Its length in minutes.
    #[must_use]
    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }
}
