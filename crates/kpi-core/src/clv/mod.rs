//! Predictive customer value: the BG/NBD model of repeat purchases (Fader, Hardie & Lee
//! 2005, "Counting Your Customers the Easy Way") and the Gamma-Gamma model of spend (Fader &
//! Hardie), fitted by maximum likelihood on log-parameters with Nelder-Mead.

pub mod analysis;
pub mod bgnbd;
pub mod optimize;
pub mod simulate;

use libm::lgamma;

/// ln, exp and powf from the `libm` crate: the same bits natively and in WebAssembly (the
/// platform's libm and Rust's wasm one may differ in the last place, and an optimiser
/// amplifies that), so the page and the CLI fit identical parameters.
pub(crate) trait Deterministic {
    fn dln(self) -> f64;
    fn dexp(self) -> f64;
    fn dpowf(self, e: f64) -> f64;
}

impl Deterministic for f64 {
    fn dln(self) -> f64 {
        libm::log(self)
    }
    fn dexp(self) -> f64 {
        libm::exp(self)
    }
    fn dpowf(self, e: f64) -> f64 {
        libm::pow(self, e)
    }
}
use serde::{Deserialize, Serialize};

/// One customer's purchase history in the calibration period, in the chosen time unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Repeat purchases: purchase days after the first (same-day orders merged).
    pub frequency: f64,
    /// Time from the first to the last purchase.
    pub recency: f64,
    /// Time from the first purchase to the end of calibration.
    pub t: f64,
    /// Mean value of the repeat purchases (0 without repeats).
    pub monetary: f64,
}

/// Summaries from (customer, day, amount) purchases: days merged per customer, only
/// purchases on or before `calibration_end`, times divided by `unit_days` (7 for weeks).
pub fn summarize(
    purchases: &[(u32, i32, f64)],
    calibration_end: i32,
    unit_days: f64,
) -> Vec<Summary> {
    analysis::summaries(purchases, calibration_end, unit_days)
}

/// Fitted BG/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
    pub log_likelihood: f64,
}

/// BG/NBD log-likelihood of one customer (equation 6 of the paper, in logs).
fn bgnbd_ll_one(r: f64, alpha: f64, a: f64, b: f64, s: &Summary) -> f64 {
    let (x, tx, t) = (s.frequency, s.recency, s.t);
    let a1 = lgamma(r + x) - lgamma(r) + r * alpha.dln();
    let a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
    let a3 = -(r + x) * (alpha + t).dln();
    let mut result = a1 + a2 + a3;
    if x > 0.0 {
        let a4 = (a / (b + x - 1.0)).dln() - (r + x) * (alpha + tx).dln();
        // log(exp(a3) + exp(a4)) without overflow
        let m = a3.max(a4);
        result = a1 + a2 + m + ((a3 - m).dexp() + (a4 - m).dexp()).dln();
    }
    result
}

/// Total BG/NBD log-likelihood.
pub fn bgnbd_log_likelihood(p: [f64; 4], data: &[Summary]) -> f64 {
    data.iter()
        .map(|s| bgnbd_ll_one(p[0], p[1], p[2], p[3], s))
        .sum()
}

/// Why a fit is not given as numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FitError {
    /// Too few customers with repeat purchases to estimate anything.
    TooFewRepeatBuyers { repeat_buyers: usize, needed: usize },
    /// The optimiser stopped without converging.
    NotConverged { iterations: usize },
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::TooFewRepeatBuyers { repeat_buyers, needed } => write!(
                f,
                "only {repeat_buyers} customers bought more than once; the model needs at least {needed}"
            ),
            FitError::NotConverged { iterations } => {
                write!(f, "the fit did not converge in {iterations} iterations")
            }
        }
    }
}

/// Fit BG/NBD by maximum likelihood (see `bgnbd::fit` for how, and its diagnostics).
pub fn fit_bgnbd(data: &[Summary]) -> Result<BgNbd, FitError> {
    bgnbd::fit(data).map(|(m, _)| m)
}

/// Fitted Gamma-Gamma parameters for average spend.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
    pub log_likelihood: f64,
}

/// Gamma-Gamma log-likelihood over repeat buyers (x > 0, mean repeat spend m).
pub fn gamma_gamma_log_likelihood(p: f64, q: f64, g: f64, data: &[Summary]) -> f64 {
    data.iter()
        .filter(|s| s.frequency > 0.0 && s.monetary > 0.0)
        .map(|s| {
            let (x, m) = (s.frequency, s.monetary);
            lgamma(p * x + q) - lgamma(p * x) - lgamma(q)
                + q * g.dln()
                + (p * x - 1.0) * m.dln()
                + (p * x) * x.dln()
                - (p * x + q) * (x * m + g).dln()
        })
        .sum()
}

/// ψ(x), the derivative of lnΓ, for x > 0: the recurrence up to 10, then the asymptotic
/// series (error below 1e-14 there).
pub fn digamma(mut x: f64) -> f64 {
    let mut result = 0.0;
    while x < 10.0 {
        result -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    result + x.dln()
        - 0.5 / x
        - inv2
            * (1.0 / 12.0
                - inv2 * (1.0 / 120.0 - inv2 * (1.0 / 252.0 - inv2 * (1.0 / 240.0 - inv2 / 132.0))))
}

/// Fit Gamma-Gamma on the repeat buyers (BFGS on log-parameters with the analytic
/// gradient, Nelder-Mead as fallback). The lnΓ terms
/// depend on a customer only through x, so they are computed once per distinct x, and each
/// customer's ln m and ln x once per fit: an evaluation costs one logarithm per customer.
pub fn fit_gamma_gamma(data: &[Summary]) -> Result<GammaGamma, FitError> {
    let buyers: Vec<(f64, f64)> = data
        .iter()
        .filter(|s| s.frequency > 0.0 && s.monetary > 0.0)
        .map(|s| (s.frequency, s.monetary))
        .collect();
    if buyers.len() < 10 {
        return Err(FitError::TooFewRepeatBuyers {
            repeat_buyers: buyers.len(),
            needed: 10,
        });
    }
    let mut xs: Vec<f64> = buyers.iter().map(|b| b.0).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let index: Vec<usize> = buyers
        .iter()
        .map(|b| xs.partition_point(|x| *x < b.0))
        .collect();
    let mut count = vec![0.0; xs.len()];
    for i in &index {
        count[*i] += 1.0;
    }
    let ln_m: Vec<f64> = buyers.iter().map(|b| b.1.dln()).collect();
    let ln_x: Vec<f64> = buyers.iter().map(|b| b.0.dln()).collect();
    let n = buyers.len() as f64;
    // Mean negative log-likelihood in log-parameters, with its gradient.
    let mut objective = |lp: &[f64], grad: &mut [f64]| {
        let (p, q, g) = (lp[0].dexp(), lp[1].dexp(), lp[2].dexp());
        let (mut ll, mut dp, mut dq, mut dg) = (n * (q * g.dln() - lgamma(q)), 0.0, 0.0, 0.0);
        dq += n * (g.dln() - digamma(q));
        dg += n * q / g;
        for (x, c) in xs.iter().zip(&count) {
            ll += c * (lgamma(p * x + q) - lgamma(p * x));
            let upper = digamma(p * x + q);
            dp += c * x * (upper - digamma(p * x));
            dq += c * upper;
        }
        for (k, (x, m)) in buyers.iter().enumerate() {
            let ln_xmg = (x * m + g).dln();
            ll += (p * x - 1.0) * ln_m[k] + p * x * ln_x[k] - (p * x + q) * ln_xmg;
            dp += x * (ln_m[k] + ln_x[k] - ln_xmg);
            dq -= ln_xmg;
            dg -= (p * x + q) / (x * m + g);
        }
        grad[0] = -dp * p / n;
        grad[1] = -dq * q / n;
        grad[2] = -dg * g / n;
        if ll.is_finite() && grad.iter().all(|v| v.is_finite()) {
            -ll / n
        } else {
            f64::INFINITY
        }
    };
    let mut fit = optimize::bfgs(&mut objective, &[0.0, 0.0, 0.0], 1e-7, 300);
    // Running off to e^20 means the likelihood has no maximum inside (spend with no
    // customer-to-customer variation to model): no point polishing that.
    if !fit.converged && fit.x.iter().any(|v| v.abs() > 20.0) {
        return Err(FitError::NotConverged {
            iterations: fit.iterations,
        });
    }
    if !fit.converged {
        let value = |lp: &[f64]| objective(lp, &mut [0.0; 3]);
        let nm = optimize::nelder_mead(&value, &fit.x, 1e-12, 2_000);
        let mut grad = [0.0; 3];
        let v = objective(&nm.x, &mut grad);
        if !nm.converged || grad.iter().any(|g| g.abs() > 1e-5) {
            return Err(FitError::NotConverged {
                iterations: fit.iterations + nm.iterations,
            });
        }
        fit.x = nm.x;
        fit.value = v;
    }
    let p: Vec<f64> = fit.x.iter().map(|v| v.dexp()).collect();
    Ok(GammaGamma {
        p: p[0],
        q: p[1],
        gamma: p[2],
        log_likelihood: -fit.value * n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_merge_same_day_purchases_and_stop_at_calibration_end() {
        // Customer 1: day 0 (10 + 5 merged), day 14 (20), day 28 (40), day 70 after the end.
        // Customer 2: only day 7.
        let purchases = [
            (1, 0, 10.0),
            (1, 0, 5.0),
            (1, 14, 20.0),
            (1, 28, 40.0),
            (1, 70, 99.0),
            (2, 7, 8.0),
        ];
        let s = summarize(&purchases, 56, 7.0);
        assert_eq!(s.len(), 2);
        // Two repeat purchase days; last at week 4; first at week 0; end at week 8.
        assert_eq!(
            s[0],
            Summary {
                frequency: 2.0,
                recency: 4.0,
                t: 8.0,
                monetary: 30.0
            }
        );
        assert_eq!(
            s[1],
            Summary {
                frequency: 0.0,
                recency: 0.0,
                t: 7.0,
                monetary: 0.0
            }
        );
    }

    #[test]
    fn a_customer_without_repeats_has_the_nbd_likelihood_of_no_purchase() {
        // x = 0: L = (alpha / (alpha + T))^r, whatever a and b.
        let s = Summary {
            frequency: 0.0,
            recency: 0.0,
            t: 10.0,
            monetary: 0.0,
        };
        let ll = bgnbd_ll_one(0.5, 2.0, 1.0, 3.0, &s);
        assert!((ll - 0.5 * (2.0f64 / 12.0).dln()).abs() < 1e-12);
    }

    /// On spend simulated from the Gamma-Gamma story (purchase values ~ Gamma(p, ν), ν ~
    /// Gamma(q, γ)) the fit finds the parameters, and its reported LL is the formula's.
    #[test]
    fn gamma_gamma_fit_recovers_simulated_parameters() {
        let (p, q, g) = (6.0, 4.0, 15.0);
        let mut rng = crate::demo::SplitMix64::new(4);
        let data: Vec<Summary> = (0..20_000)
            .map(|_| {
                let nu = simulate::gamma(&mut rng, q) / g;
                let x = 1 + rng.below(6);
                let total: f64 = (0..x).map(|_| simulate::gamma(&mut rng, p) / nu).sum();
                Summary {
                    frequency: x as f64,
                    recency: 1.0,
                    t: 2.0,
                    monetary: total / x as f64,
                }
            })
            .collect();
        let f = fit_gamma_gamma(&data).unwrap();
        for (got, want) in [(f.p, p), (f.q, q), (f.gamma, g)] {
            assert!((got - want).abs() < 0.15 * want, "{f:?}");
        }
        let direct = gamma_gamma_log_likelihood(f.p, f.q, f.gamma, &data);
        assert!(
            (f.log_likelihood - direct).abs() < 1e-9 * direct.abs(),
            "{f:?} {direct}"
        );
    }

    #[test]
    fn digamma_is_the_slope_of_lgamma() {
        for x in [0.3, 1.0, 2.5, 7.0, 40.0] {
            let h = 1e-5;
            let slope = (lgamma(x + h) - lgamma(x - h)) / (2.0 * h);
            assert!(
                (digamma(x) - slope).abs() < 1e-7,
                "{x}: {} vs {slope}",
                digamma(x)
            );
        }
        // ψ(1) = -γ (Euler-Mascheroni)
        assert!((digamma(1.0) + 0.577_215_664_901_532_9).abs() < 1e-13);
    }

    #[test]
    fn too_few_repeat_buyers_is_an_error_not_a_number() {
        let s = vec![
            Summary {
                frequency: 0.0,
                recency: 0.0,
                t: 5.0,
                monetary: 0.0
            };
            50
        ];
        assert_eq!(
            fit_bgnbd(&s),
            Err(FitError::TooFewRepeatBuyers {
                repeat_buyers: 0,
                needed: 10
            })
        );
        assert!(fit_gamma_gamma(&s).is_err());
    }
}
