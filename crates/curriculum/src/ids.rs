//! Client-minted identifiers of the curriculum's entities.

use tangguh_core::define_id;

define_id! {
    /// Identifies a course (all of its versions).
    pub struct CourseId;
}

define_id! {
    /// Identifies a node of the requirement graph.
    pub struct RequirementId;
}

define_id! {
    /// Identifies a track: the courses a role needs.
    pub struct TrackId;
}

define_id! {
    /// Identifies a cohort: one run of one course version.
    pub struct CohortId;
}

define_id! {
    /// Identifies one session (a dated meeting) of a cohort.
    pub struct SessionId;
}

define_id! {
    /// Identifies an issued certificate.
    pub struct CertificateId;
}

define_id! {
    /// Identifies a walk-in participant recorded at a session before they are
    /// linked to a person.
    pub struct WalkInId;
}
