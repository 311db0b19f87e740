//! `raft-sim quiz`: the tour's questions with their answers, as the simulation
//! computes them at each question's point (a teacher's answer key).

use raft_sim::puzzle::text;
use raft_sim::quiz::{self, Answer, Ask, Questions};
use raft_sim::scenario::Named;
use raft_sim::tour::Tour;
use std::process::ExitCode;

pub fn run(lang: &str) -> ExitCode {
    let points = Tour::slides()
        .and_then(|tour| Questions::tour().map(|q| (tour, q)))
        .and_then(|(tour, q)| quiz::at_their_points(&tour, &q));
    let points = match points {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for (k, (q, sim, runner)) in points.iter().enumerate() {
        // What the tour remembered, named in the texts as {name}.
        let fill = |s: &str| {
            let mut s = s.to_string();
            for (name, named) in runner.names().iter() {
                let value = match named {
                    Named::Servers(ids) => {
                        let ids: Vec<String> = ids.iter().map(|id| format!("S{id}")).collect();
                        ids.join(", ")
                    }
                    Named::Term(t) => t.to_string(),
                };
                s = s.replace(&format!("{{{name}}}"), &value);
            }
            s
        };
        println!(
            "{}. [{}, before step {}] {}",
            k + 1,
            q.scene,
            q.at + 1,
            fill(text(&q.prompt, lang))
        );
        if let Ask::Choice(options) = &q.ask {
            for (j, o) in options.iter().enumerate() {
                println!(
                    "   {}) {}",
                    char::from(b'a' + j as u8),
                    fill(text(&o.text, lang))
                );
            }
        }
        match q.answer(sim, runner) {
            Ok(Answer::Count(n)) => println!("   answer: {n}"),
            Ok(Answer::Server(id)) => println!("   answer: S{id}"),
            Ok(Answer::Entries(e)) if e.is_empty() => println!("   answer: none"),
            Ok(Answer::Entries(e)) => {
                let e: Vec<String> = e.iter().map(u64::to_string).collect();
                println!("   answer: entries {}", e.join(", "));
            }
            Ok(Answer::Option(j)) => println!("   answer: {}", char::from(b'a' + j as u8)),
            Err(e) => {
                println!("   no answer: {e}");
                failed = true;
            }
        }
        println!("   {}", fill(text(&q.explain, lang)));
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
