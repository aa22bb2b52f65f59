//! Customers drawn from the BG/NBD story itself (purchase rate λ ~ Gamma(r, α), drop-out
//! probability p ~ Beta(a, b), Poisson purchases, a chance p to drop out after each one): an
//! independent check of the fit (it must find the parameters it was given) and the input
//! of the speed benchmark.

use super::Deterministic;
use super::Summary;
use crate::demo::SplitMix64;

/// Gamma(shape, 1) by Marsaglia and Tsang (with the boost for shape < 1).
pub(crate) fn gamma(rng: &mut SplitMix64, shape: f64) -> f64 {
    if shape < 1.0 {
        let u = rng.unit().max(1e-300);
        return gamma(rng, shape + 1.0) * u.dpowf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let z = rng.normal();
        let v = (1.0 + c * z).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = rng.unit().max(1e-300);
        if u.dln() < 0.5 * z * z + d - d * v + d * v.dln() {
            return d * v;
        }
    }
}

/// `n` customers observed for T drawn uniformly in [t_min, t_max] units after their first
/// purchase, under BG/NBD with parameters (r, alpha, a, b).
pub fn simulate_bgnbd(
    params: [f64; 4],
    n: usize,
    t_min: f64,
    t_max: f64,
    seed: u64,
) -> Vec<Summary> {
    let [r, alpha, a, b] = params;
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let lambda = gamma(&mut rng, r) / alpha;
            let ga = gamma(&mut rng, a);
            let p = ga / (ga + gamma(&mut rng, b));
            let t = t_min + (t_max - t_min) * rng.unit();
            let (mut now, mut x, mut last) = (0.0, 0.0, 0.0);
            loop {
                now += -(1.0 - rng.unit()).dln() / lambda;
                if now > t {
                    break;
                }
                x += 1.0;
                last = now;
                if rng.unit() < p {
                    break; // dropped out after this purchase
                }
            }
            Summary {
                frequency: x,
                recency: last,
                t,
                monetary: 0.0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On 20,000 simulated customers the fit lands near the parameters that made them.
    #[test]
    fn the_fit_recovers_the_parameters_of_simulated_customers() {
        let truth = [0.5, 6.0, 0.8, 2.5];
        let data = simulate_bgnbd(truth, 20_000, 20.0, 80.0, 11);
        let (m, diag) = super::super::bgnbd::fit(&data).expect("fit");
        assert!(diag.converged);
        for (got, want) in [m.r, m.alpha, m.a, m.b].iter().zip(truth) {
            assert!((got - want).abs() < 0.15 * want, "{m:?} vs {truth:?}");
        }
    }

    /// E[X(t)] of the model equals the mean repeat purchases of simulated customers.
    #[test]
    fn unconditional_expectation_matches_simulation() {
        let truth = [0.5, 6.0, 0.8, 2.5];
        let m = crate::clv::BgNbd {
            r: 0.5,
            alpha: 6.0,
            a: 0.8,
            b: 2.5,
            log_likelihood: 0.0,
        };
        for t in [10.0, 40.0] {
            let data = simulate_bgnbd(truth, 200_000, t, t, 5);
            let mean = data.iter().map(|s| s.frequency).sum::<f64>() / data.len() as f64;
            let model = super::super::bgnbd::expected_repeat_purchases_new(&m, t);
            assert!(
                (mean - model).abs() < 0.02 * model,
                "t {t}: {mean} vs {model}"
            );
        }
    }
}
