//! The PostgreSQL journal against a real server.
