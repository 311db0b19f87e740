//! `raft-sim puzzle`: list the "reach this state" puzzles, show one, judge a run
//! against one, play a stored solution, and make a puzzle of a run.

use clap::Subcommand;
use raft_sim::puzzle::{self, Puzzle, text};
use raft_sim::{MILLIS, Trace};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum PuzzleCmd {
    /// The built-in puzzles, easiest first.
    List {
        /// The language of the titles (en or fr).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// A puzzle's goal, hint, limits and target.
    Show {
        /// A built-in puzzle's id, or a puzzle file.
        puzzle: String,
        /// The language of the texts (en or fr).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Judges runs (trace files, as the page exports them: a whole class's at once)
    /// against a puzzle; exits with 0 if every one solves it, 1 if not.
    Check {
        /// A built-in puzzle's id, or a puzzle file.
        puzzle: String,
        /// The runs.
        #[arg(required = true)]
        runs: Vec<PathBuf>,
    },
    /// Plays a built-in puzzle's stored solution and writes the run it makes.
    Solve {
        /// The puzzle's id.
        puzzle: String,
        /// Where to write the run (default: ID-solution.json).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The page link that opens the puzzle's start (students play from there and
    /// export their run; `raft-sim puzzle check` judges it).
    Link {
        /// A built-in puzzle's id, or a puzzle file.
        puzzle: String,
        /// The playground's address.
        #[arg(long, default_value = "http://127.0.0.1:8080/")]
        page: String,
        /// The page's language (en or fr).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Makes a puzzle of a run: its start is the run's cluster before any action, its
    /// target every server's log at the run's end. Its texts are left for you to write.
    Make {
        /// The run (a trace file).
        run: PathBuf,
        /// The new puzzle's id (lowercase letters, digits and dashes).
        #[arg(long)]
        id: String,
        /// Where to write it (default: ID.json).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A built-in puzzle by id, or else a puzzle file.
fn load(name: &str) -> Result<Puzzle, String> {
    if let Some(p) = puzzle::find(name)? {
        return Ok(p);
    }
    let path = Path::new(name);
    if !path.exists() {
        let ids: Vec<String> = puzzle::builtin()?.into_iter().map(|p| p.id).collect();
        return Err(format!(
            "no puzzle {name:?}, neither built in ({}) nor a file",
            ids.join(", ")
        ));
    }
    Puzzle::from_json(&read(path)?).map_err(|e| format!("{name}: {e}"))
}

fn load_run(path: &Path) -> Result<Trace, String> {
    Trace::from_json(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(cmd: PuzzleCmd) -> ExitCode {
    let result = match cmd {
        PuzzleCmd::List { lang } => list(&lang),
        PuzzleCmd::Show { puzzle, lang } => load(&puzzle).map(|p| show(&p, &lang)),
        PuzzleCmd::Check { puzzle, runs } => return check(&puzzle, &runs),
        PuzzleCmd::Solve { puzzle, out } => solve(&puzzle, out),
        PuzzleCmd::Make { run, id, out } => make(&run, &id, out),
        PuzzleCmd::Link { puzzle, page, lang } => load(&puzzle).map(|p| {
            println!("{}", link(&p, &page, &lang));
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn list(lang: &str) -> Result<(), String> {
    for p in puzzle::builtin()? {
        println!("{:<18} level {}  {}", p.id, p.level, text(&p.title, lang));
    }
    Ok(())
}

fn show(p: &Puzzle, lang: &str) {
    println!("{} (level {}): {}", p.id, p.level, text(&p.title, lang));
    println!("{}", text(&p.goal, lang));
    if let Some(h) = &p.hint {
        println!("hint: {}", text(h, lang));
    }
    let start = &p.start;
    println!(
        "start: {} servers, seed {}, {} actions, at {} ms",
        start.config.nodes,
        start.seed,
        start.actions.len(),
        start.end / MILLIS
    );
    if let Some(max) = p.limits.max_actions {
        let actions = if max == 1 { "action" } else { "actions" };
        println!("at most {max} {actions}");
    }
    if !p.limits.locked.is_empty() {
        let names: Vec<&str> = p.limits.locked.iter().map(|c| c.name()).collect();
        println!("locked: {}", names.join(", "));
    }
    println!("target, all at once:");
    for c in &p.target {
        println!("  {}", serde_json::to_string(c).unwrap_or_default());
    }
}

fn check(name: &str, runs: &[PathBuf]) -> ExitCode {
    let p = match load(name) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // One run: its verdict; several: a line each, named by file.
    let mut all = true;
    let mut unreadable = false;
    for path in runs {
        let prefix = if runs.len() > 1 {
            format!("{}: ", path.display())
        } else {
            String::new()
        };
        let run = match load_run(path) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                unreadable = true;
                continue;
            }
        };
        match p.judge(&run) {
            Ok(s) => println!(
                "{prefix}solved: the target holds at t={} ms, after {} actions",
                s.at / MILLIS,
                s.actions
            ),
            Err(e) => {
                all = false;
                println!("{prefix}not solved: {e}");
            }
        }
    }
    if unreadable {
        ExitCode::from(2)
    } else if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn solve(id: &str, out: Option<PathBuf>) -> Result<(), String> {
    let p = puzzle::find(id)?.ok_or_else(|| format!("no built-in puzzle {id:?}"))?;
    let solution = puzzle::solution(id)?.ok_or_else(|| format!("{id} has no solution"))?;
    let run = solution.play(&p).map_err(|e| e.to_string())?;
    let solved = p.judge(&run).map_err(|e| e.to_string())?;
    let out = out.unwrap_or_else(|| PathBuf::from(format!("{id}-solution.json")));
    write(&out, &run.to_json())?;
    println!(
        "{id}: solved at t={} ms with {} actions; the run is in {}",
        solved.at / MILLIS,
        solved.actions,
        out.display()
    );
    Ok(())
}

fn make(run: &Path, id: &str, out: Option<PathBuf>) -> Result<(), String> {
    let trace = load_run(run)?;
    let p = Puzzle::from_run(id, &trace).map_err(|e| e.to_string())?;
    let out = out.unwrap_or_else(|| PathBuf::from(format!("{id}.json")));
    write(&out, &p.to_json())?;
    println!(
        "{}: a puzzle of {} target conditions; write its title, goal and hint in {}",
        p.id,
        p.target.len(),
        out.display()
    );
    Ok(())
}

/// The page link of a puzzle's start: `run=` carries the run as base64url of its
/// compact JSON, as the page's "Copy link" writes it.
fn link(p: &Puzzle, page: &str, lang: &str) -> String {
    use base64::Engine as _;
    let json = serde_json::to_string(&p.start).unwrap_or_default();
    let run = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    let base = page.split(['?', '#']).next().unwrap_or(page);
    format!("{base}?lang={lang}&run={run}")
}
