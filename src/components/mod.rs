pub mod cold_warm;
pub mod exchange_view;
pub mod failure_view;
pub mod journey;
pub mod phase_bar;
pub mod request_bar;
pub mod waterfall;
