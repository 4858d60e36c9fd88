//! CSV export and import (see the crate docs for the columns).
