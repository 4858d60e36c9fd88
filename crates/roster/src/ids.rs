//! The roster's entity ids, minted by clients with core's
//! [`IdGenerator`](tangguh_core::IdGenerator).

tangguh_core::define_id! {
    /// Identifies a volunteer engagement: one person volunteering with one
    /// organisation or community group.
    pub struct VolunteerId;
}

tangguh_core::define_id! {
    /// Identifies a team (a relief team, a dapur umum crew, a boat crew).
    pub struct TeamId;
}

tangguh_core::define_id! {
    /// Identifies a post of an incident: a posko, a shelter, a dapur umum.
    pub struct PostId;
}

tangguh_core::define_id! {
    /// Identifies a shift: a need for people at a post for a time.
    pub struct ShiftId;
}

tangguh_core::define_id! {
    /// Identifies an assignment of a volunteer to a shift.
    pub struct AssignmentId;
}
