//! The catalogue service: DCAT-AP records as the world sees them. For now, the demo content; feeds
//! and record pages build on it.

pub mod demo;
