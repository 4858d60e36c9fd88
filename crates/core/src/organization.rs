//! Organisations and the hazards they respond to.

use serde::{Deserialize, Serialize};

use crate::id::OrganizationId;
use crate::text::Name;

/// What kind of organisation a stakeholder is (the penta-helix of Indonesian
/// disaster management: government, business, community, academia, media).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrganizationKind {
    /// A government agency: BPBD, Dinas Sosial, Dinas Kesehatan, a kelurahan
    /// office.
    GovernmentAgency,
    /// A private business (a bank, a shop, a CSR programme).
    PrivateBusiness,
    /// A non-governmental organisation, PMI included.
    Ngo,
    /// A community group: Karang Taruna, PKK, a women's group, a mosque
    /// committee, a volunteer group.
    CommunityGroup,
    /// A university or school.
    Academic,
    /// A cooperative (koperasi).
    Cooperative,
    /// Press and broadcasters.
    Media,
}

/// An organisation that takes part in a programme.
///
/// # Examples
///
/// ```
/// use tangguh_core::{IdGenerator, Name, Organization, OrganizationKind};
///
/// let ids = IdGenerator::deterministic(1);
/// let bpbd = Organization::new(
///     ids.next_id(),
///     Name::try_new("BPBD Kota Palangka Raya")?,
///     OrganizationKind::GovernmentAgency,
/// );
/// assert!(bpbd.kind.is_government());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Organization {
    /// The organisation's id.
    pub id: OrganizationId,
    /// Its name.
    pub name: Name,
    /// Its kind.
    pub kind: OrganizationKind,
}

impl Organization {
    /// An organisation.
    #[must_use]
    pub fn new(id: OrganizationId, name: Name, kind: OrganizationKind) -> Self {
        Self { id, name, kind }
    }
}

impl OrganizationKind {
    /// Whether this is a government agency.
    #[must_use]
    pub fn is_government(self) -> bool {
        self == Self::GovernmentAgency
    }
}

/// A hazard, after BNPB's hazard types for InaRISK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Hazard {
    /// Banjir: river or rain flood (the Rungan and Kahayan rivers).
    Flood,
    /// Banjir bandang: flash flood.
    FlashFlood,
    /// Kebakaran hutan dan lahan, with its haze (kabut asap).
    ForestAndLandFire,
    /// Kekeringan.
    Drought,
    /// Wabah: an epidemic or pandemic.
    Epidemic,
    /// Tanah longsor.
    Landslide,
    /// Cuaca ekstrem: storms, strong winds.
    ExtremeWeather,
    /// Gempa bumi.
    Earthquake,
    /// Abrasi / erosion of river banks.
    Erosion,
    /// Another hazard.
    Other,
}
