//! Times one full need estimate at national scale: about 360 local authorities (as many as the
//! UK has) × every prevalence assumption in the content. Run in release:
//!
//! ```sh
//! cargo run --release -p cradle-readers --example need_timing
//! ```
//!
//! The areas are synthetic, built from Hartlepool's mid-2023 under-fives scaled by area, so
//! that the example needs no data files.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use cradle_domain::need::{AreaPopulationView, Assumption, estimate};

const AREAS: usize = 360;
const RUNS: usize = 50;

fn main() -> ExitCode {
    let content = match cradle_content::embedded() {
        Ok(content) => content,
        Err(problems) => {
            eprintln!("{}", cradle_content::report(&problems));
            return ExitCode::FAILURE;
        }
    };
    let assumptions: Result<Vec<Assumption>, _> =
        content.prevalence.iter().map(|p| p.assumption()).collect();
    let assumptions = match assumptions {
        Ok(assumptions) => assumptions,
        Err(error) => {
            eprintln!("a prevalence figure is not a valid rate: {error}");
            return ExitCode::FAILURE;
        }
    };
    let areas: Vec<AreaPopulationView> = (0..AREAS)
        .filter_map(|index| {
            let nation = ['E', 'W', 'S', 'N'][index % 4];
            let area = format!("{nation}06{index:06}").parse().ok()?;
            let scale = 1 + (index % 12) as u64;
            let ages = [915u64, 960, 981, 1066, 1081]
                .into_iter()
                .enumerate()
                .map(|(age, count)| (age as u8, count * scale))
                .chain((5..=90).map(|age| (age, 1100 * scale)))
                .collect();
            Some(AreaPopulationView {
                area,
                name: format!("Area {index}"),
                ages,
                caution: None,
                births: None,
            })
        })
        .collect();

    black_box(estimate(&areas, &assumptions, &[]));
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(estimate(black_box(&areas), black_box(&assumptions), &[]));
            start.elapsed()
        })
        .collect();
    times.sort();
    let lines = areas.len() * assumptions.len();
    println!(
        "{} areas × {} assumptions = {lines} lines, plus partnership and nation roll-ups",
        areas.len(),
        assumptions.len()
    );
    println!(
        "one full estimate over {RUNS} runs: median {:.2} ms, fastest {:.2} ms, slowest {:.2} ms",
        ms(times[RUNS / 2]),
        ms(times[0]),
        ms(times[RUNS - 1])
    );
    ExitCode::SUCCESS
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
