pub mod home;
pub mod not_found;
pub mod timeline;
