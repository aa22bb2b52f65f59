//! BG/NBD (Fader, Hardie & Lee 2005): the fast likelihood with its analytic gradient, the
//! quasi-Newton fit, and the per-customer predictions (P(alive), expected purchases).
//!
//! Speed: the repeat count x is a whole number, so lnΓ(r+x) − lnΓ(r) = Σ_{i<x} ln(r+i)
//! (and likewise for b and a+b): one table of prefix sums per evaluation replaces every
//! lnΓ call, and its derivative Σ 1/(r+i) replaces the digamma function. Customers with the
//! same (x, t_x, T) are counted once with a weight. The parameters are optimised in logs.

use super::optimize::{bfgs, nelder_mead};
use super::Deterministic;
use super::{BgNbd, FitError, Summary};
use serde::{Deserialize, Serialize};

/// How the fit went.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitDiagnostics {
    pub iterations: usize,
    pub evaluations: usize,
    /// Largest gradient component of the mean negative log-likelihood (log-parameters).
    pub gradient_norm: f64,
    pub converged: bool,
}

/// Customers with the same history, counted once.
struct Groups {
    x: Vec<usize>,
    tx: Vec<f64>,
    t: Vec<f64>,
    weight: Vec<f64>,
    max_x: usize,
    customers: f64,
}

fn groups(data: &[Summary]) -> Groups {
    let mut rows: Vec<(usize, f64, f64)> = data
        .iter()
        .map(|s| (s.frequency.max(0.0).round() as usize, s.recency, s.t))
        .collect();
    rows.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.total_cmp(&b.2))
    });
    let mut g = Groups {
        x: vec![],
        tx: vec![],
        t: vec![],
        weight: vec![],
        max_x: 0,
        customers: data.len() as f64,
    };
    for (x, tx, t) in rows {
        let same = g.x.last() == Some(&x) && g.tx.last() == Some(&tx) && g.t.last() == Some(&t);
        if same {
            *g.weight.last_mut().unwrap_or(&mut 0.0) += 1.0;
        } else {
            g.x.push(x);
            g.tx.push(tx);
            g.t.push(t);
            g.weight.push(1.0);
            g.max_x = g.max_x.max(x);
        }
    }
    g
}

/// Σ_{i<x} ln(v+i) and Σ_{i<x} 1/(v+i) for every x up to `max_x`.
fn prefix(v: f64, max_x: usize) -> (Vec<f64>, Vec<f64>) {
    let (mut logs, mut inv) = (vec![0.0; max_x + 1], vec![0.0; max_x + 1]);
    for i in 0..max_x {
        logs[i + 1] = logs[i] + (v + i as f64).dln();
        inv[i + 1] = inv[i] + 1.0 / (v + i as f64);
    }
    (logs, inv)
}

/// Total log-likelihood at (r, alpha, a, b) and its gradient with respect to those four.
fn ll_and_gradient(p: [f64; 4], g: &Groups, grad: &mut [f64; 4]) -> f64 {
    let [r, alpha, a, b] = p;
    let (lr, ir) = prefix(r, g.max_x);
    let (lb, ib) = prefix(b, g.max_x);
    let (lab, iab) = prefix(a + b, g.max_x);
    let ln_alpha = alpha.dln();
    let mut total = 0.0;
    *grad = [0.0; 4];
    for k in 0..g.x.len() {
        let (x, tx, t, w) = (g.x[k], g.tx[k], g.t[k], g.weight[k]);
        let xf = x as f64;
        let a1 = lr[x] + r * ln_alpha;
        let a2 = lb[x] - lab[x];
        let ln_at = (alpha + t).dln();
        let a3 = -(r + xf) * ln_at;
        // d/d(r, alpha, a, b) of a1 + a2 + a3
        let mut d = [
            ir[x] + ln_alpha - ln_at,
            r / alpha - (r + xf) / (alpha + t),
            -iab[x],
            ib[x] - iab[x],
        ];
        let ll = if x > 0 {
            let ln_atx = (alpha + tx).dln();
            let a4 = a.dln() - (b + xf - 1.0).dln() - (r + xf) * ln_atx;
            let m = a3.max(a4);
            let (e3, e4) = ((a3 - m).dexp(), (a4 - m).dexp());
            let w4 = e4 / (e3 + e4);
            // The second term's derivatives differ from the first's by these amounts.
            d[0] += w4 * (ln_at - ln_atx);
            d[1] += w4 * ((r + xf) / (alpha + t) - (r + xf) / (alpha + tx));
            d[2] += w4 / a;
            d[3] -= w4 / (b + xf - 1.0);
            a1 + a2 + m + (e3 + e4).dln()
        } else {
            a1 + a2 + a3
        };
        total += w * ll;
        for (gi, di) in grad.iter_mut().zip(d) {
            *gi += w * di;
        }
    }
    total
}

/// Fit by maximum likelihood: BFGS on the log-parameters with the analytic gradient, and
/// Nelder-Mead from BFGS's end point if that did not converge.
pub fn fit(data: &[Summary]) -> Result<(BgNbd, FitDiagnostics), FitError> {
    let repeat_buyers = data.iter().filter(|s| s.frequency > 0.0).count();
    if repeat_buyers < 10 {
        return Err(FitError::TooFewRepeatBuyers {
            repeat_buyers,
            needed: 10,
        });
    }
    let g = groups(data);
    let n = g.customers;
    // Mean negative log-likelihood in log-parameters (chain rule: d/dln p = p d/dp).
    let mut objective = |lp: &[f64], out: &mut [f64]| {
        let p = [lp[0].dexp(), lp[1].dexp(), lp[2].dexp(), lp[3].dexp()];
        let mut grad = [0.0; 4];
        let ll = ll_and_gradient(p, &g, &mut grad);
        for i in 0..4 {
            out[i] = -grad[i] * p[i] / n;
        }
        if ll.is_finite() && out.iter().all(|v| v.is_finite()) {
            -ll / n
        } else {
            f64::INFINITY
        }
    };
    // The mean log-likelihood is near 1-10 and summed in f64: gradients below ~1e-8 are
    // round-off, so 1e-7 is as flat as it gets (parameters then agree to ~6 digits).
    let mut m = bfgs(&mut objective, &[0.0; 4], 1e-7, 500);
    let mut diagnostics = FitDiagnostics {
        iterations: m.iterations,
        evaluations: m.evaluations,
        gradient_norm: m.gradient_norm,
        converged: m.converged,
    };
    if !m.converged {
        let value = |lp: &[f64]| objective(lp, &mut [0.0; 4]);
        let nm = nelder_mead(&value, &m.x, 1e-15, 20_000);
        let mut grad = [0.0; 4];
        let v = objective(&nm.x, &mut grad);
        let norm = grad.iter().fold(0.0f64, |a, b| a.max(b.abs()));
        diagnostics = FitDiagnostics {
            iterations: m.iterations + nm.iterations,
            evaluations: m.evaluations + nm.iterations,
            gradient_norm: norm,
            converged: nm.converged && norm < 1e-5,
        };
        m.x = nm.x;
        m.value = v;
    }
    if !diagnostics.converged {
        return Err(FitError::NotConverged {
            iterations: diagnostics.iterations,
        });
    }
    let p: Vec<f64> = m.x.iter().map(|v| v.dexp()).collect();
    Ok((
        BgNbd {
            r: p[0],
            alpha: p[1],
            a: p[2],
            b: p[3],
            log_likelihood: -m.value * n,
        },
        diagnostics,
    ))
}

/// The Gaussian hypergeometric function ₂F₁(a, b; c; z) for 0 <= z < 1, by its series;
/// NaN if it has not settled after many terms (z too close to 1).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let (mut term, mut sum) = (1.0, 1.0);
    for j in 0..100_000 {
        let j = j as f64;
        term *= (a + j) * (b + j) / ((c + j) * (j + 1.0)) * z;
        sum += term;
        if term.abs() <= 1e-15 * sum.abs() {
            return sum;
        }
    }
    f64::NAN
}

/// Probability that the customer is still active at the end of calibration.
pub fn p_alive(m: &BgNbd, s: &Summary) -> f64 {
    let x = s.frequency;
    if x <= 0.0 {
        return 1.0;
    }
    let ratio = (m.a / (m.b + x - 1.0)) * ((m.alpha + s.t) / (m.alpha + s.recency)).dpowf(m.r + x);
    1.0 / (1.0 + ratio)
}

/// Expected purchases in the next `t` units, given the history (FHL 2005, equation 10).
pub fn expected_purchases(m: &BgNbd, s: &Summary, t: f64) -> f64 {
    let (x, tx, big_t) = (s.frequency, s.recency, s.t);
    let (r, alpha, a, b) = (m.r, m.alpha, m.a, m.b);
    let z = t / (alpha + big_t + t);
    let f = hyp2f1(r + x, b + x, a + b + x - 1.0, z);
    let num = (a + b + x - 1.0) / (a - 1.0)
        * (1.0 - ((alpha + big_t) / (alpha + big_t + t)).dpowf(r + x) * f);
    let den = if x > 0.0 {
        1.0 + (a / (b + x - 1.0)) * ((alpha + big_t) / (alpha + tx)).dpowf(r + x)
    } else {
        1.0
    };
    num / den
}

/// Expected repeat purchases in the first `t` units of a new customer's life (FHL 2005,
/// equation 9): the model's line of the tracking plot.
pub fn expected_repeat_purchases_new(m: &BgNbd, t: f64) -> f64 {
    if t <= 0.0 {
        return 0.0;
    }
    let (r, alpha, a, b) = (m.r, m.alpha, m.a, m.b);
    let f = hyp2f1(r, b, a + b - 1.0, t / (alpha + t));
    (a + b - 1.0) / (a - 1.0) * (1.0 - (alpha / (alpha + t)).dpowf(r) * f)
}

/// The CDNOW fit and the customer of the paper's worked example, for tests.
#[cfg(test)]
pub(crate) fn papers_example() -> (BgNbd, Summary) {
    (
        BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
            log_likelihood: 0.0,
        },
        Summary {
            frequency: 2.0,
            recency: 30.43,
            t: 38.86,
            monetary: 0.0,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Vec<Summary> {
        let mut rng = crate::demo::SplitMix64::new(9);
        (0..300)
            .map(|_| {
                let t = 20.0 + 20.0 * rng.unit();
                let x = rng.below(6) as f64;
                let tx = if x > 0.0 { t * rng.unit() } else { 0.0 };
                Summary {
                    frequency: x,
                    recency: tx,
                    t,
                    monetary: 0.0,
                }
            })
            .collect()
    }

    /// The sums of logs equal the lnΓ formula (`super::bgnbd_log_likelihood`), and the
    /// analytic gradient equals central finite differences.
    #[test]
    fn fast_likelihood_and_gradient_agree_with_lgamma_and_finite_differences() {
        let d = data();
        let g = groups(&d);
        let p = [0.7, 3.1, 0.9, 2.4];
        let mut grad = [0.0; 4];
        let fast = ll_and_gradient(p, &g, &mut grad);
        let slow = super::super::bgnbd_log_likelihood(p, &d);
        assert!((fast - slow).abs() < 1e-9 * slow.abs(), "{fast} vs {slow}");
        for i in 0..4 {
            let h = 1e-6 * p[i];
            let (mut up, mut down) = (p, p);
            up[i] += h;
            down[i] -= h;
            let numeric = (super::super::bgnbd_log_likelihood(up, &d)
                - super::super::bgnbd_log_likelihood(down, &d))
                / (2.0 * h);
            assert!(
                (numeric - grad[i]).abs() < 1e-5 * numeric.abs().max(1.0),
                "parameter {i}: {numeric} vs {}",
                grad[i]
            );
        }
    }

    #[test]
    fn hypergeometric_series_matches_closed_forms() {
        // 2F1(1, 1; 2; z) = -ln(1-z)/z ; 2F1(a, b; b; z) = (1-z)^-a
        for z in [0.1, 0.5, 0.9] {
            assert!((hyp2f1(1.0, 1.0, 2.0, z) - (-(1.0f64 - z).dln() / z)).abs() < 1e-12);
            assert!((hyp2f1(2.5, 1.3, 1.3, z) - (1.0 - z).dpowf(-2.5)).abs() < 1e-9);
        }
    }

    /// The paper's worked example (CDNOW, r 0.243, alpha 4.414, a 0.793, b 2.426): a
    /// customer with x = 2, t_x = 30.43, T = 38.86 weeks is expected to make 1.226 purchases
    /// in the next 39 weeks (Fader, Hardie & Lee 2005, section 5).
    #[test]
    fn conditional_expectation_of_the_papers_example() {
        let (m, s) = papers_example();
        let e = expected_purchases(&m, &s, 39.0);
        assert!((e - 1.226).abs() < 0.0005, "{e}");
        let p = p_alive(&m, &s);
        assert!(p > 0.0 && p < 1.0);
        // Without repeats nobody has been seen to drop out.
        let new = Summary {
            frequency: 0.0,
            recency: 0.0,
            t: 38.86,
            monetary: 0.0,
        };
        assert_eq!(p_alive(&m, &new), 1.0);
    }
}
