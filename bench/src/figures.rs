//! The figures of a run, each beside its baseline, and how they are printed.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::Error;

/// One measured figure and what it is compared with.
#[derive(Debug, Serialize)]
pub struct Figure {
    /// The median: milliseconds, or entries per second.
    pub value: f64,
    /// `ms` or `entries/s`.
    pub unit: &'static str,
    /// The baseline figure's name, if any.
    pub baseline: Option<&'static str>,
    /// `value / baseline value`.
    pub ratio: Option<f64>,
}

impl Figure {
    /// A time in milliseconds.
    pub fn ms(value: f64) -> Self {
        Self {
            value,
            unit: "ms",
            baseline: None,
            ratio: None,
        }
    }

    /// A rate in entries per second.
    pub fn rate(value: f64) -> Self {
        Self {
            unit: "entries/s",
            ..Self::ms(value)
        }
    }

    /// Compared with the figure `baseline`, if it was measured.
    pub fn against(self, figures: &Figures, baseline: &'static str) -> Self {
        match figures.get(baseline) {
            Some(base) => Self {
                baseline: Some(baseline),
                ratio: Some(self.value / base.value),
                ..self
            },
            None => self,
        }
    }
}

/// The figures measured so far, in order.
#[derive(Default)]
pub struct Figures(Vec<(&'static str, Figure)>);

impl Figures {
    /// Adds `figure` as `name`.
    pub fn push(&mut self, name: &'static str, figure: Figure) {
        self.0.push((name, figure));
    }

    fn get(&self, name: &str) -> Option<&Figure> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, f)| f)
    }

    /// One pretty-printed JSON object whose fields name the figures, in order.
    pub fn to_json(&self) -> String {
        let object: serde_json::Map<String, serde_json::Value> = self
            .0
            .iter()
            .map(|(name, f)| {
                (
                    (*name).to_owned(),
                    serde_json::to_value(f).expect("figures serialise"),
                )
            })
            .collect();
        serde_json::to_string_pretty(&object).expect("figures serialise")
    }

    /// Aligned columns under a header, a line per figure; the name and
    /// baseline columns as wide as their longest entry.
    pub fn to_table(&self) -> String {
        let width = |names: &mut dyn Iterator<Item = &str>, least: usize| {
            names.map(str::len).max().unwrap_or(0).max(least)
        };
        let names = width(&mut self.0.iter().map(|(name, _)| *name), "FIGURE".len());
        let baselines = width(
            &mut self.0.iter().filter_map(|(_, f)| f.baseline),
            "BASELINE".len(),
        );
        let mut table = format!(
            "{:<names$} {:>14} {:<10} {:<baselines$} {:>8}\n",
            "FIGURE", "MEDIAN", "UNIT", "BASELINE", "RATIO"
        );
        for (name, f) in &self.0 {
            let ratio = f
                .ratio
                .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}x"));
            writeln!(
                table,
                "{name:<names$} {:>14.3} {:<10} {:<baselines$} {ratio:>8}",
                f.value,
                f.unit,
                f.baseline.unwrap_or("-")
            )
            .expect("writing to a String succeeds");
        }
        table
    }
}

/// The median wall time of `runs` calls of `f`, in milliseconds.
pub fn median_ms<E>(runs: usize, mut f: impl FnMut() -> Result<(), E>) -> Result<f64, Error>
where
    Error: From<E>,
{
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort_unstable();
    Ok(times[times.len() / 2].as_secs_f64() * 1000.0)
}
