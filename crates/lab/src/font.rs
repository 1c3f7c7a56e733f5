//! Fixture fonts: small but real TrueType fonts, so a browser's font
//! sanitizer (OTS in Firefox and Chromium, WebKit's own checks) accepts them
//! and the page load a learner watches is the one a real page makes.
//!
//! Each font draws the digits 0–9 as a seven-segment display and has a space
//! and the required `.notdef`; every other character falls back to the next
//! font in the CSS stack, so the fixture text stays readable and the digit in
//! "web font 3" shows which face drew it. Font `i` differs from the others in
//! its segments' thickness and in the shape of their ends (flat, pointed, or
//! rounder with more points), so the files differ in bytes and in size
//! (1.6–2.6 kB), as real fonts do.

/// The font file served as `font/{i}.ttf` (`font/ttf`).
pub fn fixture(i: usize) -> Vec<u8> {
    let glyphs = glyphs(i);
    let glyf_loca = glyf_and_loca(&glyphs);
    let tables: [(&[u8; 4], Vec<u8>); 10] = [
        (b"OS/2", os2(&glyphs)),
        (b"cmap", cmap()),
        (b"glyf", glyf_loca.0),
        (b"head", head(&glyphs)),
        (b"hhea", hhea(&glyphs)),
        (b"hmtx", hmtx(&glyphs)),
        (b"loca", glyf_loca.1),
        (b"maxp", maxp(&glyphs)),
        (b"name", name(i)),
        (b"post", post()),
    ];
    sfnt(&tables)
}

const UNITS_PER_EM: u16 = 1000;
const ASCENDER: i16 = 800;
const DESCENDER: i16 = -200;
const LINE_GAP: i16 = 200;
const CAP_HEIGHT: i16 = 700;
const DIGIT_WIDTH: u16 = 600;
/// The first character mapped after the space: glyph 2 is '0'.
const FIRST_DIGIT: u16 = 0x30;

/// One glyph: its advance width and its closed contours of on-curve points.
struct Glyph {
    advance: u16,
    contours: Vec<Vec<(i16, i16)>>,
}

impl Glyph {
    fn points(&self) -> impl Iterator<Item = (i16, i16)> + '_ {
        self.contours.iter().flatten().copied()
    }

    /// (xMin, yMin, xMax, yMax), or None for an empty glyph.
    fn bbox(&self) -> Option<(i16, i16, i16, i16)> {
        self.points().fold(None, |b, (x, y)| match b {
            None => Some((x, y, x, y)),
            Some((x0, y0, x1, y1)) => Some((x0.min(x), y0.min(y), x1.max(x), y1.max(y))),
        })
    }
}

/// Glyph 0 `.notdef` (a hollow box, as fonts conventionally have), glyph 1
/// space, glyphs 2–11 the digits.
fn glyphs(i: usize) -> Vec<Glyph> {
    let notdef = Glyph { advance: 500, contours: vec![rect(50, 0, 450, CAP_HEIGHT, true), rect(100, 50, 400, CAP_HEIGHT - 50, false)] };
    let space = Glyph { advance: 300, contours: vec![] };
    let mut all = vec![notdef, space];
    all.extend((0..10).map(|d| digit(d, i)));
    all
}

/// Which of the segments a–g (top, top right, bottom right, bottom, bottom
/// left, top left, middle) light up for each digit.
const SEGMENTS: [&str; 10] = ["abcdef", "bc", "abdeg", "abcdg", "bcfg", "acdfg", "acdefg", "abc", "abcdefg", "abcdfg"];

fn digit(d: usize, i: usize) -> Glyph {
    let half = 35.0 + 4.0 * i as f64; // half the stroke thickness
    let cap_points = 2 + i % 4; // points on each end of a segment
    let (left, right, bottom, top) = (80.0, 520.0, 0.0, f64::from(CAP_HEIGHT));
    let (x0, x1) = (left + half, right - half); // centre lines of the strokes
    let (y0, y1, ym) = (bottom + half, top - half, f64::from(CAP_HEIGHT) / 2.0);
    let gap = 12.0; // between neighbouring segments
    let horizontal = |y: f64| segment((x0 + gap, y), (x1 - gap, y), half, cap_points);
    let vertical = |x: f64, from: f64, to: f64| segment((x, from + gap), (x, to - gap), half, cap_points);
    let contours = SEGMENTS[d]
        .chars()
        .map(|s| match s {
            'a' => horizontal(y1),
            'b' => vertical(x1, ym, y1),
            'c' => vertical(x1, y0, ym),
            'd' => horizontal(y0),
            'e' => vertical(x0, y0, ym),
            'f' => vertical(x0, ym, y1),
            _ => horizontal(ym),
        })
        .collect();
    Glyph { advance: DIGIT_WIDTH, contours }
}

/// A stroke from `from` to `to`, `half` thick on each side, whose ends are
/// arcs of `cap_points` points (2 is a flat end, 3 a point). Clockwise, as
/// TrueType wants outer contours.
fn segment(from: (f64, f64), to: (f64, f64), half: f64, cap_points: usize) -> Vec<(i16, i16)> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = (dx / len, dy / len); // along the stroke
    let (nx, ny) = (-uy, ux); // to its left
                              // A cap reaches up to `half` beyond its end, and a flat end would
                              // overlap the crossing stroke: pull both ends in by `half`.
    let a = (from.0 + ux * half, from.1 + uy * half);
    let b = (to.0 - ux * half, to.1 - uy * half);
    let cap = |c: (f64, f64), forward: f64| {
        (0..cap_points).map(move |j| {
            // From the left side (+90°) round the end to the right side (−90°).
            let angle = std::f64::consts::FRAC_PI_2 - std::f64::consts::PI * j as f64 / (cap_points - 1) as f64;
            let (along, across) = (half * angle.cos() * forward, half * angle.sin() * forward);
            (c.0 + ux * along + nx * across, c.1 + uy * along + ny * across)
        })
    };
    // Round the far end, then back along one side and round the near end.
    let outline = cap(b, 1.0).chain(cap(a, -1.0));
    let mut points: Vec<(i16, i16)> = outline.map(|(x, y)| (x.round() as i16, y.round() as i16)).collect();
    points.dedup();
    orient(points, true)
}

fn rect(x0: i16, y0: i16, x1: i16, y1: i16, outer: bool) -> Vec<(i16, i16)> {
    orient(vec![(x0, y0), (x0, y1), (x1, y1), (x1, y0)], outer)
}

/// Outer contours clockwise, holes counter-clockwise (TrueType's non-zero
/// winding with y up).
fn orient(mut points: Vec<(i16, i16)>, clockwise: bool) -> Vec<(i16, i16)> {
    let area2: i64 = points
        .iter()
        .zip(points.iter().cycle().skip(1))
        .map(|(&(x0, y0), &(x1, y1))| i64::from(x0) * i64::from(y1) - i64::from(x1) * i64::from(y0))
        .sum();
    if (area2 < 0) != clockwise {
        points.reverse();
    }
    points
}

/// The `glyf` table and its `loca` index (long offsets).
fn glyf_and_loca(glyphs: &[Glyph]) -> (Vec<u8>, Vec<u8>) {
    let mut glyf = Vec::new();
    let mut loca = Vec::new();
    for g in glyphs {
        put32(&mut loca, glyf.len() as u32);
        let Some((x0, y0, x1, y1)) = g.bbox() else { continue }; // empty: zero length
        put16(&mut glyf, g.contours.len() as u16);
        for v in [x0, y0, x1, y1] {
            put16(&mut glyf, v as u16);
        }
        let mut end = 0u16;
        for c in &g.contours {
            end += c.len() as u16;
            put16(&mut glyf, end - 1);
        }
        put16(&mut glyf, 0); // no instructions
        let (mut flags, mut xs, mut ys) = (Vec::new(), Vec::new(), Vec::new());
        let mut last = (0i16, 0i16);
        for (x, y) in g.points() {
            let mut flag = 0x01; // on the curve
            flag |= delta(x - last.0, 0x02, 0x10, &mut xs);
            flag |= delta(y - last.1, 0x04, 0x20, &mut ys);
            flags.push(flag);
            last = (x, y);
        }
        glyf.extend(flags);
        glyf.extend(xs);
        glyf.extend(ys);
        while glyf.len() % 4 != 0 {
            glyf.push(0);
        }
    }
    put32(&mut loca, glyf.len() as u32);
    (glyf, loca)
}

/// Writes one coordinate delta as compactly as the format allows and returns
/// its flag bits (`short` for one byte, `same_or_positive` for its sign or
/// for "no change").
fn delta(d: i16, short: u8, same_or_positive: u8, out: &mut Vec<u8>) -> u8 {
    if d == 0 {
        same_or_positive
    } else if d.unsigned_abs() <= 255 {
        out.push(d.unsigned_abs() as u8);
        short | if d > 0 { same_or_positive } else { 0 }
    } else {
        out.extend(d.to_be_bytes());
        0
    }
}

fn extents(glyphs: &[Glyph]) -> (i16, i16, i16, i16) {
    glyphs
        .iter()
        .filter_map(Glyph::bbox)
        .fold((i16::MAX, i16::MAX, i16::MIN, i16::MIN), |(a, b, c, d), (x0, y0, x1, y1)| (a.min(x0), b.min(y0), c.max(x1), d.max(y1)))
}

fn head(glyphs: &[Glyph]) -> Vec<u8> {
    let (x0, y0, x1, y1) = extents(glyphs);
    let mut t = Vec::new();
    put32(&mut t, 0x0001_0000); // version 1.0
    put32(&mut t, 0x0001_0000); // fontRevision 1.0
    put32(&mut t, 0); // checkSumAdjustment, set once the file is whole
    put32(&mut t, 0x5F0F_3CF5); // magicNumber
    put16(&mut t, 0b1011); // baseline at y=0, left sidebearing at x=0, integer scaling
    put16(&mut t, UNITS_PER_EM);
    // Created and modified: a fixed date (2026-01-01, seconds since 1904),
    // so the bytes and their ETag do not change from run to run.
    let when: u64 = 3_850_070_400;
    t.extend(when.to_be_bytes());
    t.extend(when.to_be_bytes());
    for v in [x0, y0, x1, y1] {
        put16(&mut t, v as u16);
    }
    put16(&mut t, 0); // macStyle: regular
    put16(&mut t, 8); // lowestRecPPEM
    put16(&mut t, 2); // fontDirectionHint (deprecated; 2 as the spec says)
    put16(&mut t, 1); // indexToLocFormat: long offsets
    put16(&mut t, 0); // glyphDataFormat
    t
}

fn hhea(glyphs: &[Glyph]) -> Vec<u8> {
    let drawn = || glyphs.iter().filter_map(|g| g.bbox().map(|b| (g, b)));
    let min_lsb = drawn().map(|(_, b)| b.0).min().unwrap_or(0);
    let min_rsb = drawn().map(|(g, b)| g.advance as i16 - b.2).min().unwrap_or(0);
    let max_extent = drawn().map(|(_, b)| b.2).max().unwrap_or(0);
    let mut t = Vec::new();
    put32(&mut t, 0x0001_0000);
    for v in [ASCENDER, DESCENDER, LINE_GAP] {
        put16(&mut t, v as u16);
    }
    put16(&mut t, glyphs.iter().map(|g| g.advance).max().unwrap_or(0));
    for v in [min_lsb, min_rsb, max_extent] {
        put16(&mut t, v as u16);
    }
    put16(&mut t, 1); // caretSlopeRise: upright
    put16(&mut t, 0); // caretSlopeRun
    put16(&mut t, 0); // caretOffset
    t.extend([0u8; 8]); // reserved
    put16(&mut t, 0); // metricDataFormat
    put16(&mut t, glyphs.len() as u16); // numberOfHMetrics: every glyph
    t
}

fn hmtx(glyphs: &[Glyph]) -> Vec<u8> {
    let mut t = Vec::new();
    for g in glyphs {
        put16(&mut t, g.advance);
        put16(&mut t, g.bbox().map_or(0, |b| b.0) as u16);
    }
    t
}

fn maxp(glyphs: &[Glyph]) -> Vec<u8> {
    let mut t = Vec::new();
    put32(&mut t, 0x0001_0000); // version 1.0, for TrueType outlines
    put16(&mut t, glyphs.len() as u16);
    put16(&mut t, glyphs.iter().map(|g| g.points().count()).max().unwrap_or(0) as u16);
    put16(&mut t, glyphs.iter().map(|g| g.contours.len()).max().unwrap_or(0) as u16);
    put16(&mut t, 0); // maxCompositePoints
    put16(&mut t, 0); // maxCompositeContours
    put16(&mut t, 2); // maxZones: the twilight zone exists, unused
    t.extend([0u8; 2 * 8]); // no hinting: twilight points, storage, functions, instructions, stack, sizes, components
    t
}

fn os2(glyphs: &[Glyph]) -> Vec<u8> {
    let widths: Vec<u32> = glyphs.iter().map(|g| u32::from(g.advance)).filter(|&w| w > 0).collect();
    let avg = widths.iter().sum::<u32>() / widths.len().max(1) as u32;
    let mut t = Vec::new();
    put16(&mut t, 4); // version
    put16(&mut t, avg as u16); // xAvgCharWidth
    put16(&mut t, 400); // usWeightClass: regular
    put16(&mut t, 5); // usWidthClass: medium
    put16(&mut t, 0); // fsType: installable, no restrictions
    for v in [650, 600, 0, 75, 650, 600, 0, 350] {
        put16(&mut t, v as u16); // sub- and superscript sizes and offsets
    }
    put16(&mut t, 50); // yStrikeoutSize
    put16(&mut t, 300); // yStrikeoutPosition
    put16(&mut t, 0); // sFamilyClass
    t.extend([0u8; 10]); // panose: any
    put32(&mut t, 1); // ulUnicodeRange1: Basic Latin
    t.extend([0u8; 12]); // ulUnicodeRange2–4
    t.extend(*b"NONE"); // achVendID
    put16(&mut t, 0x0040 | 0x0080); // fsSelection: REGULAR, USE_TYPO_METRICS
    put16(&mut t, 0x20); // usFirstCharIndex: space
    put16(&mut t, FIRST_DIGIT + 9); // usLastCharIndex: '9'
    for v in [ASCENDER, DESCENDER, LINE_GAP] {
        put16(&mut t, v as u16);
    }
    put16(&mut t, (ASCENDER + LINE_GAP / 2) as u16); // usWinAscent
    put16(&mut t, (LINE_GAP / 2 - DESCENDER) as u16); // usWinDescent
    put32(&mut t, 1); // ulCodePageRange1: Latin 1
    put32(&mut t, 0);
    put16(&mut t, 500); // sxHeight
    put16(&mut t, CAP_HEIGHT as u16); // sCapHeight
    put16(&mut t, 0); // usDefaultChar
    put16(&mut t, 0x20); // usBreakChar
    put16(&mut t, 1); // usMaxContext
    t
}

/// One Windows Unicode BMP (3, 1) subtable, format 4: space to glyph 1, '0'–'9'
/// to glyphs 2–11, and the 0xFFFF segment the format requires.
fn cmap() -> Vec<u8> {
    let segments: [(u16, u16, u16); 3] = [(0x20, 0x20, 1), (FIRST_DIGIT, FIRST_DIGIT + 9, 2), (0xFFFF, 0xFFFF, 0)];
    let seg_count = segments.len() as u16;
    let search_range = 2 * (1u16 << (15 - seg_count.leading_zeros()));
    let mut sub = Vec::new();
    put16(&mut sub, 4); // format
    put16(&mut sub, 0); // length, set below
    put16(&mut sub, 0); // language
    put16(&mut sub, seg_count * 2);
    put16(&mut sub, search_range);
    put16(&mut sub, search_range.trailing_zeros() as u16 - 1); // entrySelector
    put16(&mut sub, seg_count * 2 - search_range); // rangeShift
    segments.iter().for_each(|s| put16(&mut sub, s.1)); // endCode
    put16(&mut sub, 0); // reservedPad
    segments.iter().for_each(|s| put16(&mut sub, s.0)); // startCode
                                                        // idDelta: glyph = code + delta (mod 65536); 0xFFFF maps to glyph 0.
    segments.iter().for_each(|s| put16(&mut sub, if s.0 == 0xFFFF { 1 } else { s.2.wrapping_sub(s.0) }));
    segments.iter().for_each(|_| put16(&mut sub, 0)); // idRangeOffset
    let len = sub.len() as u16;
    sub[2..4].copy_from_slice(&len.to_be_bytes());

    let mut t = Vec::new();
    put16(&mut t, 0); // version
    put16(&mut t, 1); // numTables
    put16(&mut t, 3); // platform: Windows
    put16(&mut t, 1); // encoding: Unicode BMP
    put32(&mut t, 12); // offset of the subtable
    t.extend(sub);
    t
}

/// Windows English names (the set OTS and browsers expect), UTF-16BE.
fn name(i: usize) -> Vec<u8> {
    let family = format!("Roundtrip Fixture {i}");
    let strings: [(u16, String); 6] = [
        (1, family.clone()),
        (2, "Regular".into()),
        (3, format!("Roundtrip: fixture font {i}, version 1.000")),
        (4, family),
        (5, "Version 1.000".into()),
        (6, format!("RoundtripFixture{i}-Regular")),
    ];
    let encoded: Vec<(u16, Vec<u8>)> = strings.iter().map(|(id, s)| (*id, s.encode_utf16().flat_map(u16::to_be_bytes).collect())).collect();
    let mut t = Vec::new();
    put16(&mut t, 0); // format
    put16(&mut t, encoded.len() as u16);
    put16(&mut t, (6 + 12 * encoded.len()) as u16); // storage offset
    let mut offset = 0u16;
    for (id, bytes) in &encoded {
        for v in [3, 1, 0x0409, *id, bytes.len() as u16, offset] {
            put16(&mut t, v); // platform, encoding, language (en-US), name id, length, offset
        }
        offset += bytes.len() as u16;
    }
    encoded.iter().for_each(|(_, bytes)| t.extend(bytes));
    t
}

/// Version 3: no glyph names (browsers need none).
fn post() -> Vec<u8> {
    let mut t = Vec::new();
    put32(&mut t, 0x0003_0000);
    put32(&mut t, 0); // italicAngle
    put16(&mut t, (-100i16) as u16); // underlinePosition
    put16(&mut t, 50); // underlineThickness
    put32(&mut t, 0); // isFixedPitch: the space is narrower
    t.extend([0u8; 16]); // memory usage: unknown
    t
}

/// The sfnt wrapper: table directory sorted by tag, tables 4-byte aligned,
/// each with its checksum, and `head.checkSumAdjustment` making the whole
/// file sum to 0xB1B0AFBA.
fn sfnt(tables: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    debug_assert!(tables.windows(2).all(|w| w[0].0 < w[1].0), "the directory must be sorted by tag");
    let n = tables.len() as u16;
    let pow2 = 1u16 << (15 - n.leading_zeros()); // largest power of two ≤ n
    let mut out = Vec::new();
    put32(&mut out, 0x0001_0000); // TrueType outlines
    put16(&mut out, n);
    put16(&mut out, pow2 * 16); // searchRange
    put16(&mut out, pow2.trailing_zeros() as u16); // entrySelector
    put16(&mut out, n * 16 - pow2 * 16); // rangeShift
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend(*tag);
        put32(&mut out, checksum(data));
        put32(&mut out, offset as u32);
        put32(&mut out, data.len() as u32);
        if *tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in tables {
        out.extend(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    let head_at = head_at.expect("a head table");
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjustment.to_be_bytes());
    out
}

/// The sum of the data as big-endian 32-bit words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend(v.to_be_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend(v.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::fixture;

    fn u16_at(b: &[u8], at: usize) -> u16 {
        u16::from_be_bytes([b[at], b[at + 1]])
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
    }

    /// Sums big-endian words the way the OpenType spec's CalcTableChecksum
    /// does, written again here so a mistake in the generator is not repeated.
    fn sum(b: &[u8]) -> u32 {
        let mut padded = b.to_vec();
        padded.resize(b.len().div_ceil(4) * 4, 0);
        (0..padded.len()).step_by(4).fold(0u32, |s, at| s.wrapping_add(u32_at(&padded, at)))
    }

    /// The table directory: tag → (checksum, offset, length), checked for
    /// order, alignment and bounds on the way.
    fn directory(font: &[u8]) -> Vec<([u8; 4], u32, usize, usize)> {
        assert_eq!(u32_at(font, 0), 0x0001_0000, "TrueType sfnt version");
        let n = usize::from(u16_at(font, 4));
        let pow2 = 1usize << n.ilog2();
        assert_eq!(usize::from(u16_at(font, 6)), pow2 * 16, "searchRange");
        assert_eq!(usize::from(u16_at(font, 8)), n.ilog2() as usize, "entrySelector");
        assert_eq!(usize::from(u16_at(font, 10)), n * 16 - pow2 * 16, "rangeShift");
        let tables: Vec<_> = (0..n)
            .map(|k| {
                let at = 12 + 16 * k;
                let tag: [u8; 4] = font[at..at + 4].try_into().unwrap();
                (tag, u32_at(font, at + 4), u32_at(font, at + 8) as usize, u32_at(font, at + 12) as usize)
            })
            .collect();
        assert!(tables.windows(2).all(|w| w[0].0 < w[1].0), "directory sorted by tag");
        for (tag, _, offset, len) in &tables {
            let tag = String::from_utf8_lossy(tag);
            assert_eq!(offset % 4, 0, "{tag} starts on a 4-byte boundary");
            assert!(offset + len <= font.len(), "{tag} lies inside the file");
        }
        tables
    }

    #[test]
    fn fixture_fonts_are_well_formed_truetype() {
        let mut sizes = Vec::new();
        for i in [0, 1, 2, 3, 5, 7, 12] {
            let font = fixture(i);
            let tables = directory(&font);
            let tags: Vec<&[u8]> = tables.iter().map(|t| &t.0[..]).collect();
            for required in [b"OS/2", b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"post"] {
                assert!(tags.contains(&&required[..]), "font {i} lacks {}", String::from_utf8_lossy(required));
            }
            let table = |tag: &[u8; 4]| {
                let t = tables.iter().find(|t| &t.0 == tag).unwrap();
                &font[t.2..t.2 + t.3]
            };
            for (tag, stored, offset, len) in &tables {
                let mut data = font[*offset..offset + len].to_vec();
                if tag == b"head" {
                    data[8..12].fill(0); // summed without checkSumAdjustment
                }
                assert_eq!(sum(&data), *stored, "font {i}: {} checksum", String::from_utf8_lossy(tag));
            }
            assert_eq!(sum(&font), 0xB1B0_AFBA, "font {i}: the whole file sums to the magic number");

            let head = table(b"head");
            assert_eq!(u32_at(head, 12), 0x5F0F_3CF5, "head magic");
            assert_eq!(u16_at(head, 18), 1000, "unitsPerEm");
            let glyphs = usize::from(u16_at(table(b"maxp"), 4));
            assert_eq!(usize::from(u16_at(table(b"hhea"), 34)), glyphs, "a full metric per glyph");
            assert_eq!(table(b"hmtx").len(), 4 * glyphs);
            let loca = table(b"loca");
            assert_eq!(u16_at(head, 50), 1, "long loca offsets");
            assert_eq!(loca.len(), 4 * (glyphs + 1));
            let offsets: Vec<usize> = (0..=glyphs).map(|g| u32_at(loca, 4 * g) as usize).collect();
            assert!(offsets.windows(2).all(|w| w[0] <= w[1]), "loca ascends");
            assert_eq!(offsets[glyphs], table(b"glyf").len(), "loca ends where glyf does");
            assert_eq!(offsets[1], offsets[2], "the space is empty");
            // The digits each have 2 to 7 segments (contours).
            for d in 0..10 {
                let contours = u16_at(table(b"glyf"), offsets[2 + d]);
                assert!((2..=7).contains(&contours), "font {i}: digit {d} has {contours} contours");
            }
            sizes.push(font.len());
        }
        assert!(sizes.iter().all(|&n| (1000..=3000).contains(&n)), "{sizes:?}");
        assert_ne!(fixture(0), fixture(4), "same segment ends, different thickness");
    }
}
