//! Page fixtures: HTML pages whose every sub-resource is known in advance, so
//! a page-load count can be checked against the truth.
//!
//! The median fixture follows the shape of the Web Almanac 2025's median
//! desktop page (about 77 requests: scripts, images, stylesheets, fonts and
//! API calls); the heavy one sits near its 90th percentile (about 180).

use serde::{Deserialize, Serialize};

/// What kind of request a sub-resource is, in Resource Timing's terms where
/// they exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Document,
    Stylesheet,
    Script,
    Image,
    Font,
    Fetch,
    Iframe,
}

impl Kind {
    pub const ALL: [Kind; 7] = [Kind::Document, Kind::Stylesheet, Kind::Script, Kind::Image, Kind::Font, Kind::Fetch, Kind::Iframe];

    pub fn slug(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Stylesheet => "stylesheet",
            Kind::Script => "script",
            Kind::Image => "image",
            Kind::Font => "font",
            Kind::Fetch => "fetch",
            Kind::Iframe => "iframe",
        }
    }

    /// The `initiatorType` Chromium reports for it.
    pub fn initiator_type(self) -> &'static str {
        match self {
            Kind::Document => "navigation",
            Kind::Stylesheet => "link",
            Kind::Script => "script",
            Kind::Image => "img",
            Kind::Font => "css",
            Kind::Fetch => "fetch",
            Kind::Iframe => "iframe",
        }
    }
}

/// How many requests of each kind a fixture makes (the document included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixture {
    pub name: &'static str,
    pub stylesheets: usize,
    pub scripts: usize,
    pub images: usize,
    pub fonts: usize,
    pub fetches: usize,
    pub iframes: usize,
}

pub const FIXTURES: &[Fixture] = &[
    Fixture { name: "tiny", stylesheets: 1, scripts: 0, images: 1, fonts: 0, fetches: 0, iframes: 0 },
    Fixture { name: "median", stylesheets: 8, scripts: 23, images: 17, fonts: 4, fetches: 23, iframes: 1 },
    Fixture { name: "heavy", stylesheets: 15, scripts: 60, images: 60, fonts: 8, fetches: 33, iframes: 3 },
];

/// One request a page load causes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub url: String,
    pub kind: Kind,
    pub initiator_type: String,
}

/// The manifest `page/{name}/manifest.json` serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub page: String,
    pub total: usize,
    pub by_kind: Vec<(Kind, usize)>,
    pub resources: Vec<Resource>,
}

impl Fixture {
    pub fn named(name: &str) -> Option<&'static Fixture> {
        FIXTURES.iter().find(|f| f.name == name)
    }

    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Document => 1,
            Kind::Stylesheet => self.stylesheets,
            Kind::Script => self.scripts,
            Kind::Image => self.images,
            Kind::Font => self.fonts,
            Kind::Fetch => self.fetches,
            Kind::Iframe => self.iframes,
        }
    }

    pub fn base(&self) -> String {
        format!("/lab/page/{}", self.name)
    }

    /// The path of the `i`th resource of a kind (the document is the base).
    pub fn path(&self, kind: Kind, i: usize) -> String {
        let ext = match kind {
            Kind::Document => return self.base(),
            Kind::Stylesheet => "css",
            Kind::Script => "js",
            Kind::Image => "png",
            Kind::Font => "ttf",
            Kind::Fetch => "json",
            Kind::Iframe => "html",
        };
        format!("{}/{}/{i}.{ext}", self.base(), kind.slug())
    }

    /// Every request, in the order the page causes them.
    pub fn manifest(&self) -> Manifest {
        let resources: Vec<Resource> = Kind::ALL
            .iter()
            .flat_map(|&kind| (0..self.count(kind)).map(move |i| (kind, i)))
            .map(|(kind, i)| Resource { url: self.path(kind, i), kind, initiator_type: kind.initiator_type().to_owned() })
            .collect();
        Manifest {
            page: self.name.to_owned(),
            total: resources.len(),
            by_kind: Kind::ALL.iter().map(|&k| (k, self.count(k))).collect(),
            resources,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_sizes_match_their_names() {
        let total = |name| Fixture::named(name).unwrap().manifest().total;
        assert_eq!(total("tiny"), 3);
        assert_eq!(total("median"), 77, "the Web Almanac 2025 desktop median");
        assert_eq!(total("heavy"), 180);
        assert!(Fixture::named("nope").is_none());
    }

    #[test]
    fn manifests_list_unique_urls_with_initiators() {
        for f in FIXTURES {
            let m = f.manifest();
            let mut urls: Vec<_> = m.resources.iter().map(|r| r.url.as_str()).collect();
            urls.sort();
            urls.dedup();
            assert_eq!(urls.len(), m.total, "{}", f.name);
            assert_eq!(m.resources[0].url, format!("/lab/page/{}", f.name));
            assert_eq!(m.resources[0].initiator_type, "navigation");
            assert_eq!(m.by_kind.iter().map(|(_, n)| n).sum::<usize>(), m.total);
        }
        assert_eq!(Fixture::named("median").unwrap().path(Kind::Font, 2), "/lab/page/median/font/2.ttf");
    }
}
