pub mod cookies;
pub mod home;
pub mod lesson;
pub mod lessons;
pub mod not_found;
pub mod page_load;
pub mod status_codes;
pub mod timeline;
