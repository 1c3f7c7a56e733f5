//! Saving a file the app made (a HAR), without a server.

use wasm_bindgen::JsCast;

/// Offers `text` for download as `filename`.
pub fn save_text(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| super::js_message(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| super::js_message(&e))?;
    let document = super::window().document().ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|e| super::js_message(&e))?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
