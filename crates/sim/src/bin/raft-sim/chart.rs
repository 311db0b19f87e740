//! `raft-sim election --svg FILE`: the experiment drawn as the paper draws Figure 16,
//! the cumulative share of trials that had a leader again against the time without
//! one (log scale), a line per timeout range, with the paper's reported points marked.

use raft_sim::{MILLIS, Time, election};

const W: f64 = 800.0;
const H: f64 = 400.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 560.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 350.0;
/// Line colours, told apart also by the legend's order.
const COLOURS: [&str; 10] = [
    "#0b5cad", "#b3261e", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f", "#5d4037", "#c2185b",
    "#455a64", "#9e9d24",
];

use election::PAPER_REPORTED as PAPER;

/// One timeout range (ms) and its trials' times to a new leader (`None`: over the cap).
pub type Row = ((u64, u64), Vec<Option<Time>>);

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart, as an SVG document.
pub fn figure16(rows: &[Row], title: &str) -> String {
    let ms = |t: Time| t as f64 / MILLIS as f64;
    let fastest = rows
        .iter()
        .flat_map(|(_, r)| r.iter().flatten())
        .map(|&t| ms(t))
        .fold(f64::INFINITY, f64::min);
    // From the 1-2-5 step at or below the fastest trial to 10 s (the cap).
    let steps = || (0..5).flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)));
    let start = steps().rfind(|&v| v <= fastest).unwrap_or(100.0);
    let low = start.log10();
    let high = 4.0_f64;
    let x =
        |v: f64| LEFT + (v.max(1.0).log10().clamp(low, high) - low) / (high - low) * (RIGHT - LEFT);
    let y = |f: f64| BOTTOM - f * (BOTTOM - TOP);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n\
         <rect width=\"{W}\" height=\"{H}\" fill=\"#fff\"/>\n\
         <text x=\"{LEFT}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
        escape(title)
    );
    // Axes and grid: a labelled line at each 1-2-5 step, a faint one at the others.
    for v in (0..5).flat_map(|e| (1..10).map(move |m| f64::from(m) * 10f64.powi(e))) {
        if v < start || v > 10_000.0 {
            continue;
        }
        let gx = x(v);
        let first = v.to_string().starts_with(['1', '2', '5']);
        let stroke = if first { "#ddd" } else { "#f1f1f1" };
        out += &format!(
            "<line x1=\"{gx:.1}\" y1=\"{TOP}\" x2=\"{gx:.1}\" y2=\"{BOTTOM}\" stroke=\"{stroke}\"/>\n"
        );
        if first {
            let label = if v >= 1000.0 {
                format!("{} s", v / 1000.0)
            } else {
                format!("{v}")
            };
            out += &format!(
                "<text x=\"{gx:.1}\" y=\"{}\" text-anchor=\"middle\">{label}</text>\n",
                BOTTOM + 18.0
            );
        }
    }
    for pct in [0, 25, 50, 75, 100] {
        let gy = y(f64::from(pct) / 100.0);
        out += &format!(
            "<line x1=\"{LEFT}\" y1=\"{gy:.1}\" x2=\"{RIGHT}\" y2=\"{gy:.1}\" stroke=\"#ddd\"/>\n\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{pct}%</text>\n",
            LEFT - 6.0,
            gy + 4.0
        );
    }
    out += &format!(
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">time without a leader, ms (log scale)</text>\n\
         <text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">trials with a new leader</text>\n",
        (LEFT + RIGHT) / 2.0,
        H - 14.0,
        (TOP + BOTTOM) / 2.0
    );
    // One step line per range, and its legend entry.
    for (k, ((lo, hi), results)) in rows.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let points = election::cdf(results);
        let mut d = String::new();
        if let Some(&(t0, _)) = points.first() {
            d += &format!("M{:.1},{:.1}", x(ms(t0)), y(0.0));
        }
        for &(t, f) in &points {
            d += &format!("H{:.1}V{:.1}", x(ms(t)), y(f));
        }
        let label = escape(&format!("{lo}–{hi} ms"));
        let unfinished = results.iter().filter(|r| r.is_none()).count();
        let note = if unfinished > 0 {
            format!(": {unfinished} over 10 s")
        } else {
            String::new()
        };
        let ly = TOP + 8.0 + 18.0 * k as f64;
        out += &format!(
            "<path class=\"cdf\" data-range=\"{lo}-{hi}\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.8\"/>\n\
             <line x1=\"{:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\">{label}{note}</text>\n",
            RIGHT + 14.0,
            RIGHT + 34.0,
            RIGHT + 40.0,
            ly + 4.0
        );
    }
    // The paper's own figures, where a range drawn here is one it reports on.
    let mut marked = 0;
    for ((range, at, share, what), k) in PAPER
        .iter()
        .filter_map(|p| rows.iter().position(|(r, _)| *r == p.0).map(|k| (p, k)))
    {
        let (px, py) = (x(*at), y(*share));
        out += &format!(
            "<path class=\"paper\" d=\"M{px:.1},{:.1}l5,5l-5,5l-5,-5z\" fill=\"#fff\" stroke=\"{}\" stroke-width=\"1.5\"><title>paper, {}–{} ms: {what} {at} ms</title></path>\n",
            py - 5.0,
            COLOURS[k % COLOURS.len()],
            range.0,
            range.1
        );
        marked += 1;
    }
    if marked > 0 {
        let ly = TOP + 8.0 + 18.0 * rows.len() as f64 + 8.0;
        out += &format!(
            "<path d=\"M{:.1},{:.1}l5,5l-5,5l-5,-5z\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"1.5\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\">reported in the paper</text>\n",
            RIGHT + 24.0,
            ly - 5.0,
            RIGHT + 40.0,
            ly + 4.0
        );
    }
    out += "</svg>\n";
    out
}
