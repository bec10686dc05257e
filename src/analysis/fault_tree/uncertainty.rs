//! Monte Carlo propagation of basic-event uncertainty to the top event: seeded, reproducible
//! whatever the number of threads (each block of samples has its own seed), on all cores.

use crate::model::Distribution;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Beta, Distribution as _, LogNormal, Uniform};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    pub samples: usize,
    pub seed: u64,
    pub mean: f64,
    pub std_dev: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

const BLOCK: usize = 256;

/// A sampler for one distribution; `None` when its parameters are unusable.
enum Sampler {
    LogNormal(LogNormal<f64>),
    Beta(Beta<f64>),
    Uniform(Uniform<f64>),
}

impl Sampler {
    fn new(d: &Distribution) -> Option<Self> {
        Some(match *d {
            Distribution::Lognormal {
                median,
                error_factor,
            } => {
                // The error factor is the ratio of the 95th percentile to the median.
                let sigma = error_factor.ln() / 1.644_853_626_951_472_2;
                Sampler::LogNormal(LogNormal::new(median.ln(), sigma).ok()?)
            }
            Distribution::Beta { alpha, beta } => Sampler::Beta(Beta::new(alpha, beta).ok()?),
            Distribution::Uniform { low, high } => {
                Sampler::Uniform(Uniform::new_inclusive(low, high).ok()?)
            }
        })
    }

    fn sample(&self, rng: &mut StdRng) -> f64 {
        let x = match self {
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Beta(d) => d.sample(rng),
            Sampler::Uniform(d) => d.sample(rng),
        };
        x.clamp(0.0, 1.0)
    }
}

/// Samples `samples` top-event probabilities, each from the events' probabilities by an
/// evaluator that `evaluator` makes (one per thread); events without a distribution keep their
/// value. `None` once `stop` is raised (looked at between blocks of samples).
pub fn monte_carlo<E: FnMut(&[f64]) -> f64>(
    evaluator: impl Fn() -> E + Sync,
    events: &[f64],
    distributions: &[Option<Distribution>],
    samples: usize,
    seed: u64,
    stop: Option<&AtomicBool>,
) -> Option<Uncertainty> {
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    let samplers: Vec<Option<Sampler>> = distributions
        .iter()
        .map(|d| d.as_ref().and_then(Sampler::new))
        .collect();
    let blocks = samples.div_ceil(BLOCK);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(blocks.max(1));
    let mut values: Vec<f64> = Vec::with_capacity(samples);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (samplers, evaluator) = (&samplers, &evaluator);
                scope.spawn(move || {
                    let mut out = Vec::new();
                    let mut p = events.to_vec();
                    let mut eval = evaluator();
                    for b in (t..blocks).step_by(threads) {
                        if stopped() {
                            break;
                        }
                        let mut rng = StdRng::seed_from_u64(
                            seed ^ (b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                        );
                        let n = BLOCK.min(samples - b * BLOCK);
                        for _ in 0..n {
                            for (i, sm) in samplers.iter().enumerate() {
                                if let Some(sm) = sm {
                                    p[i] = sm.sample(&mut rng);
                                }
                            }
                            out.push((b, eval(&p)));
                        }
                    }
                    out
                })
            })
            .collect();
        let mut all: Vec<(usize, f64)> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect();
        // Block order, then sample order within a block: independent of thread scheduling.
        all.sort_by_key(|(b, _)| *b);
        values.extend(all.into_iter().map(|(_, v)| v));
    });
    (!stopped()).then(|| summarize(values, seed))
}

fn summarize(mut v: Vec<f64>, seed: u64) -> Uncertainty {
    let n = v.len().max(1) as f64;
    // Shifted by the first sample: identical samples give exactly zero spread.
    let shift = v.first().copied().unwrap_or(0.0);
    let d_mean = v.iter().map(|x| x - shift).sum::<f64>() / n;
    let mean = shift + d_mean;
    let var = v.iter().map(|x| (x - shift - d_mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    v.sort_by(f64::total_cmp);
    let q = |f: f64| {
        if v.is_empty() {
            return f64::NAN;
        }
        let i = ((v.len() - 1) as f64 * f).round() as usize;
        v[i]
    };
    Uncertainty {
        samples: v.len(),
        seed,
        mean,
        std_dev: var.sqrt(),
        p5: q(0.05),
        p50: q(0.5),
        p95: q(0.95),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The top event is the one event: its samples are the distribution's.
    fn sample(stop: Option<&AtomicBool>) -> Option<Uncertainty> {
        let uniform = Some(Distribution::Uniform {
            low: 0.2,
            high: 0.4,
        });
        monte_carlo(|| |p: &[f64]| p[0], &[0.3], &[uniform], 10_000, 7, stop)
    }

    #[test]
    fn sampling_stops_when_asked_and_gives_nothing() {
        let u = sample(Some(&AtomicBool::new(false))).expect("not stopped");
        assert_eq!(u.samples, 10_000);
        assert!((u.mean - 0.3).abs() < 0.005, "{}", u.mean);
        assert!(u.p5 >= 0.2 && u.p95 <= 0.4, "{u:?}");
        assert_eq!(sample(None), Some(u));
        assert_eq!(sample(Some(&AtomicBool::new(true))), None);
    }
}
