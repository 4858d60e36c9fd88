//! Loan schedules reproducing Apache Fineract's cumulative and progressive
//! generators. Being built.
