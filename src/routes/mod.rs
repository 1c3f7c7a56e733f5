pub mod cookies;
pub mod home;
pub mod not_found;
pub mod page_load;
pub mod status_codes;
pub mod timeline;
