//! Where things go on the ring (SVG user units; the view box is 0 0 400 400).

/// `v` rounded to `decimals` digits after the point (at most 3), written with
/// integer arithmetic: the float formatting machinery would add kilobytes to the
/// wasm for numbers that only need a tenth of a pixel.
pub fn fixed(v: f64, decimals: u32) -> String {
    let decimals = decimals.min(3);
    let scale = 10i64.pow(decimals);
    let n = (v * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let (int, frac) = (
        n.unsigned_abs() / scale as u64,
        n.unsigned_abs() % scale as u64,
    );
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = decimals as usize)
    }
}

/// `v` kept within `lo..=hi`: `f64::clamp` without its panic message, which would
/// bring the float formatting machinery into the wasm.
pub fn bound(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// One decimal: enough for SVG coordinates.
pub fn num(v: f64) -> String {
    fixed(v, 1)
}

/// Width of the view box.
pub const SIZE: f64 = 400.0;
/// Height of the view box: a little taller than wide, for the bubbles under the ring.
pub const HEIGHT: f64 = 424.0;
/// Centre of the ring.
pub const CENTER: (f64, f64) = (SIZE / 2.0, 204.0);

/// Radius of the ring the servers sit on.
pub fn ring_radius(n: usize) -> f64 {
    if n <= 3 { 120.0 } else { 134.0 }
}

/// Radius of a server's circle.
pub fn server_radius(n: usize) -> f64 {
    match n {
        0..=3 => 36.0,
        4..=5 => 32.0,
        _ => 27.0,
    }
}

/// Cosine and sine. In the browser they come from JavaScript's `Math`, which keeps
/// libm's trigonometry (and its tables) out of the wasm.
fn cos_sin(a: f64) -> (f64, f64) {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Math::cos(a), js_sys::Math::sin(a))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        (a.cos(), a.sin())
    }
}

/// Base-10 logarithm (the log scale of the Figure 16 chart), from JavaScript's `Math`
/// in the browser, as the trigonometry is.
pub fn log10(v: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::log10(v)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        v.log10()
    }
}

/// Position of server `id` (1-based) among `n`: S1 at the top, then clockwise.
pub fn server_pos(id: u32, n: usize) -> (f64, f64) {
    let k = id.saturating_sub(1) as f64;
    let angle = -std::f64::consts::FRAC_PI_2 + k * std::f64::consts::TAU / n.max(1) as f64;
    let r = ring_radius(n);
    let (cos, sin) = cos_sin(angle);
    (CENTER.0 + r * cos, CENTER.1 + r * sin)
}

/// The point a fraction `t` of the way from `a` to `b`, stopping `margin` short of
/// each centre so that messages leave and reach the circles' edges.
pub fn along(a: (f64, f64), b: (f64, f64), t: f64, margin: f64) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let usable = (len - 2.0 * margin).max(0.0);
    let d = margin + usable * bound(t, 0.0, 1.0);
    (a.0 + dx / len * d, a.1 + dy / len * d)
}

/// The dash that draws `fraction` of an election timer's circle (drawn with
/// `pathLength="100"`), as a style: a change of style repaints the circle but, unlike
/// a new path, does not lay the ring out again at every frame. `None` when nothing is
/// left of it.
pub fn timer_dash(fraction: f64) -> Option<String> {
    let f = bound(fraction, 0.0, 1.0);
    (f > 0.0).then(|| format!("stroke-dasharray:{} 100", fixed(f * 100.0, 2)))
}

/// Splits a bubble's text into lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    // Only ordinary spaces break a line: a no-break space keeps "moi !" together.
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A speech bubble laid out: its lines, top-left corner and size.
pub struct BubbleLayout {
    /// The text, line by line.
    pub lines: Vec<String>,
    /// Top-left corner.
    pub at: (f64, f64),
    /// Width and height.
    pub size: (f64, f64),
}

/// Lays out server `id`'s bubble on a ring of `n`: as wide as 22 characters, or
/// narrower (and taller) where that is what it takes to cover no server and no name.
pub fn bubble(text: &str, id: u32, n: usize) -> BubbleLayout {
    let mut last = None;
    for width in [22, 18, 15, 12] {
        let lines = wrap(text, width);
        let w = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * 6.4 + 14.0;
        let h = lines.len() as f64 * 14.0 + 8.0;
        let (at, free) = bubble_origin(id, n, w, h);
        let layout = BubbleLayout {
            lines,
            at,
            size: (w, h),
        };
        if free {
            return layout;
        }
        last = Some(layout);
    }
    last.unwrap_or(BubbleLayout {
        lines: Vec::new(),
        at: (0.0, 0.0),
        size: (0.0, 0.0),
    })
}

/// Where server `id`'s name is written, relative to its centre: just outside its
/// circle and timer, away from the ring's centre (the baseline of a 17 px text).
pub fn label_offset(id: u32, n: usize) -> (f64, f64) {
    let (x, y) = server_pos(id, n);
    let r = server_radius(n);
    let (dx, dy) = (x - CENTER.0, y - CENTER.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    (dx / len * (r + 17.0), dy / len * (r + 17.0) + 5.0)
}

/// A rectangle: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// What a bubble must not cover: every server's circle with its timer, and its name.
fn obstacles(n: usize) -> Vec<Rect> {
    let r = server_radius(n) + 8.0;
    (1..=n as u32)
        .flat_map(|id| {
            let (x, y) = server_pos(id, n);
            let (lx, ly) = label_offset(id, n);
            let (cx, cy) = (x + lx, y + ly - 6.0);
            [
                (x - r, y - r, x + r, y + r),
                (cx - 13.0, cy - 9.0, cx + 13.0, cy + 9.0),
            ]
        })
        .collect()
}

/// Where a `w`×`h` speech bubble for server `id` goes (its top-left corner): beyond
/// the name of a bottom server, beside the top one, above the others, or else
/// wherever nearby it covers no server and no name (then `true`); always inside the
/// view box.
fn bubble_origin(id: u32, n: usize, w: f64, h: f64) -> ((f64, f64), bool) {
    let (x, y) = server_pos(id, n);
    let r = server_radius(n);
    let (lx, ly) = label_offset(id, n);
    let ny = (y - CENTER.1) / ring_radius(n);
    let below = (x - w / 2.0, y + ly + 6.0);
    let right = (x + r + 10.0, y - h / 2.0 - 8.0);
    let left = (x - r - 10.0 - w, y - h / 2.0 - 8.0);
    let above = (x - w / 2.0, y - r - 12.0 - h);
    // Beside the top server, as high as the view box allows.
    let (right_high, left_high) = ((right.0, 2.0), (left.0, 2.0));
    let beside = if lx < 0.0 {
        [left, right]
    } else {
        [right, left]
    };
    let order = if ny < -0.9 {
        [right, left, right_high, left_high, below, above]
    } else if ny > 0.5 {
        [below, beside[1], beside[0], above, right_high, left_high]
    } else {
        [above, beside[0], beside[1], below, right_high, left_high]
    };
    let fits = |(bx, by): (f64, f64)| {
        let rect = (bx, by, bx + w, by + h);
        bx >= 2.0
            && by >= 2.0
            && bx + w <= SIZE - 2.0
            && by + h <= HEIGHT - 2.0
            && obstacles(n).iter().all(|&o| !overlaps(rect, o))
    };
    let found = order.iter().copied().find(|&p| fits(p));
    let (bx, by) = found.unwrap_or(order[0]);
    (
        (
            bound(bx, 2.0, SIZE - w - 2.0),
            bound(by, 2.0, HEIGHT - h - 2.0),
        ),
        found.is_some(),
    )
}

/// A closed path around a group of points (their convex hull), for drawing islands.
pub fn hull(points: &[(f64, f64)]) -> String {
    let mut pts: Vec<(f64, f64)> = points.to_vec();
    raft_sim::sort_few_by_key(&mut pts, |&p| p);
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut lower: Vec<(f64, f64)> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<(f64, f64)> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    if lower.is_empty() {
        lower = pts;
    }
    let mut d = String::new();
    for (i, (x, y)) in lower.iter().enumerate() {
        let cmd = if i == 0 { "M" } else { "L" };
        d.push_str(&format!("{cmd}{},{} ", num(*x), num(*y)));
    }
    d.push('Z');
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bubbles_cover_no_server_and_no_name() {
        let mut texts = Vec::new();
        for code in crate::i18n::codes() {
            let t = crate::i18n::Texts::new(code);
            for key in ["bubble_vote", "bubble_heartbeat", "bubble_check"] {
                texts.push(t.get(key));
            }
            texts.push(t.fill("bubble_commit", &[("index", "12"), ("command", "Add -100")]));
        }
        for text in &texts {
            for n in [3, 5, 7] {
                for id in 1..=n as u32 {
                    let b = bubble(text, id, n);
                    let ((bx, by), (w, h)) = (b.at, b.size);
                    let rect = (bx, by, bx + w, by + h);
                    assert!(bx >= 0.0 && by >= 0.0 && bx + w <= SIZE && by + h <= HEIGHT);
                    for o in obstacles(n) {
                        assert!(
                            !overlaps(rect, o),
                            "n={n} S{id} {text}: {rect:?} over {o:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn servers_sit_on_the_ring_s1_on_top() {
        for n in [3, 5, 7] {
            let (x, y) = server_pos(1, n);
            assert!((x - CENTER.0).abs() < 1e-9 && y < CENTER.1);
            for id in 1..=n as u32 {
                let (x, y) = server_pos(id, n);
                let r = ((x - CENTER.0).powi(2) + (y - CENTER.1).powi(2)).sqrt();
                assert!((r - ring_radius(n)).abs() < 1e-9);
                assert!(x - server_radius(n) > 0.0 && x + server_radius(n) < SIZE);
            }
        }
        // S2 is clockwise from S1: to the right.
        assert!(server_pos(2, 5).0 > server_pos(1, 5).0);
    }

    #[test]
    fn messages_move_from_edge_to_edge() {
        let (a, b) = ((0.0, 0.0), (100.0, 0.0));
        assert_eq!(along(a, b, 0.0, 10.0), (10.0, 0.0));
        assert_eq!(along(a, b, 1.0, 10.0), (90.0, 0.0));
        assert_eq!(along(a, b, 0.5, 10.0), (50.0, 0.0));
        assert_eq!(along(a, b, 7.0, 10.0), (90.0, 0.0), "clamped");
    }

    #[test]
    fn a_timers_dash_covers_the_fraction_left() {
        assert_eq!(timer_dash(0.0), None);
        assert_eq!(timer_dash(-0.5), None, "an overdue timer");
        assert_eq!(
            timer_dash(0.25).as_deref(),
            Some("stroke-dasharray:25.00 100")
        );
        assert_eq!(
            timer_dash(3.0).as_deref(),
            Some("stroke-dasharray:100.00 100"),
            "clamped"
        );
    }

    #[test]
    fn a_hull_goes_around_its_points() {
        let d = hull(&[
            (0.0, 0.0),
            (10.0, 0.0),
            (5.0, 5.0),
            (10.0, 10.0),
            (0.0, 10.0),
        ]);
        assert_eq!(
            d.matches('L').count(),
            3,
            "the inner point is not on the hull: {d}"
        );
    }
}
