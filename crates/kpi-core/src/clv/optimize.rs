//! Nelder-Mead simplex minimisation: derivative-free, robust on the smooth, low-dimensional
//! likelihoods here (3-4 parameters), and small enough to keep in the wasm bundle.

/// The result of a minimisation.
#[derive(Debug, Clone)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    /// The simplex's values agree within the tolerance.
    pub converged: bool,
}

/// Minimise `f` from `start` with the standard coefficients (reflection 1, expansion 2,
/// contraction 1/2, shrink 1/2). Stops when the spread of the simplex's values falls below
/// `tolerance` (relative), or after `max_iterations`.
pub fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
    tolerance: f64,
    max_iterations: usize,
) -> Minimum {
    let n = start.len();
    let mut simplex: Vec<Vec<f64>> = vec![start.to_vec()];
    for i in 0..n {
        let mut p = start.to_vec();
        p[i] += if p[i].abs() > 1e-8 {
            0.5 * p[i].abs().max(0.5)
        } else {
            0.5
        };
        simplex.push(p);
    }
    let mut values: Vec<f64> = simplex.iter().map(|p| f(p)).collect();
    let mut iterations = 0;
    let mut converged = false;
    // Restarted once from the best point: Nelder-Mead can stall on a degenerate simplex.
    for round in 0..2 {
        if round == 1 {
            let best = simplex[0].clone();
            simplex = vec![best.clone()];
            for i in 0..n {
                let mut p = best.clone();
                p[i] += 0.1;
                simplex.push(p);
            }
            values = simplex.iter().map(|p| f(p)).collect();
        }
        converged = false;
        while iterations < max_iterations {
            iterations += 1;
            let mut order: Vec<usize> = (0..=n).collect();
            order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
            simplex = order.iter().map(|i| simplex[*i].clone()).collect();
            values = order.iter().map(|i| values[*i]).collect();
            let (best, worst) = (values[0], values[n]);
            // Converged when the values agree and the simplex has shrunk: likelihoods have
            // flat ridges where the values agree long before the parameters do.
            let extent = simplex[1..]
                .iter()
                .flat_map(|p| p.iter().zip(&simplex[0]).map(|(a, b)| (a - b).abs()))
                .fold(0.0f64, f64::max);
            if (worst - best).abs() <= tolerance * (best.abs() + worst.abs() + 1e-12)
                && extent < 1e-9
            {
                converged = true;
                break;
            }
            let centroid: Vec<f64> = (0..n)
                .map(|j| simplex[..n].iter().map(|p| p[j]).sum::<f64>() / n as f64)
                .collect();
            let along = |t: f64| -> Vec<f64> {
                (0..n)
                    .map(|j| centroid[j] + t * (simplex[n][j] - centroid[j]))
                    .collect()
            };
            let reflected = along(-1.0);
            let fr = f(&reflected);
            if fr < values[0] {
                let expanded = along(-2.0);
                let fe = f(&expanded);
                if fe < fr {
                    simplex[n] = expanded;
                    values[n] = fe;
                } else {
                    simplex[n] = reflected;
                    values[n] = fr;
                }
            } else if fr < values[n - 1] {
                simplex[n] = reflected;
                values[n] = fr;
            } else {
                let contracted = if fr < values[n] {
                    along(-0.5)
                } else {
                    along(0.5)
                };
                let fc = f(&contracted);
                if fc < values[n].min(fr) {
                    simplex[n] = contracted;
                    values[n] = fc;
                } else {
                    for i in 1..=n {
                        simplex[i] = (0..n)
                            .map(|j| simplex[0][j] + 0.5 * (simplex[i][j] - simplex[0][j]))
                            .collect();
                        values[i] = f(&simplex[i]);
                    }
                }
            }
        }
    }
    let best = (0..=n)
        .min_by(|a, b| values[*a].total_cmp(&values[*b]))
        .unwrap_or(0);
    Minimum {
        x: simplex[best].clone(),
        value: values[best],
        iterations,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_rosenbrock() {
        let f = |p: &[f64]| (1.0 - p[0]).powi(2) + 100.0 * (p[1] - p[0] * p[0]).powi(2);
        let m = nelder_mead(&f, &[-1.2, 1.0], 1e-14, 10_000);
        assert!(m.converged);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-4 && (m.x[1] - 1.0).abs() < 1e-4,
            "{:?}",
            m.x
        );
    }
}

/// The result of a gradient minimisation, with its diagnostics.
#[derive(Debug, Clone)]
pub struct GradientMinimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    /// Objective and gradient evaluations.
    pub evaluations: usize,
    /// Largest gradient component at `x`.
    pub gradient_norm: f64,
    pub converged: bool,
}

/// BFGS with a backtracking (Armijo) line search: a handful of iterations where
/// Nelder-Mead needs hundreds of evaluations. `f` returns the value and fills the gradient;
/// a non-finite value is a point outside the model, and the step is shortened. Converged
/// when the largest gradient component is below `gradient_tolerance`.
pub fn bfgs(
    f: &mut dyn FnMut(&[f64], &mut [f64]) -> f64,
    start: &[f64],
    gradient_tolerance: f64,
    max_iterations: usize,
) -> GradientMinimum {
    let n = start.len();
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut value = f(&x, &mut g);
    let mut evaluations = 1;
    // Inverse Hessian estimate, starting from the identity.
    let mut h = vec![vec![0.0; n]; n];
    for (i, row) in h.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let norm = |g: &[f64]| g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut iterations = 0;
    let (mut x_new, mut g_new) = (vec![0.0; n], vec![0.0; n]);
    // Iterations in a row that bought (almost) nothing: a likelihood sliding off towards
    // infinite parameters does this; stop instead of crawling (reported as not converged).
    let mut stalled = 0;
    while iterations < max_iterations && value.is_finite() && norm(&g) > gradient_tolerance {
        iterations += 1;
        let mut direction: Vec<f64> = (0..n)
            .map(|i| -(0..n).map(|j| h[i][j] * g[j]).sum::<f64>())
            .collect();
        let mut slope: f64 = direction.iter().zip(&g).map(|(d, g)| d * g).sum();
        if slope >= 0.0 {
            // Not a descent direction: forget the curvature, go downhill.
            for (i, row) in h.iter_mut().enumerate() {
                row.iter_mut().for_each(|v| *v = 0.0);
                row[i] = 1.0;
            }
            direction = g.iter().map(|v| -v).collect();
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        }
        let mut step = 1.0;
        let mut new_value = f64::INFINITY;
        for _ in 0..60 {
            for i in 0..n {
                x_new[i] = x[i] + step * direction[i];
            }
            new_value = f(&x_new, &mut g_new);
            evaluations += 1;
            if new_value.is_finite() && new_value <= value + 1e-4 * step * slope {
                break;
            }
            step *= 0.5;
        }
        if !new_value.is_finite() || new_value > value {
            break; // no progress possible along any step: report as is
        }
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        let improved = value - new_value;
        value = new_value;
        stalled = if improved <= 1e-13 * value.abs().max(1.0) {
            stalled + 1
        } else {
            0
        };
        if stalled >= 10 && norm(&g) > gradient_tolerance {
            break;
        }
        if sy > 1e-300 {
            // H <- (I - rho s y') H (I - rho y s') + rho s s'
            let rho = 1.0 / sy;
            let hy: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| h[i][j] * y[j]).sum())
                .collect();
            let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
            for i in 0..n {
                for j in 0..n {
                    h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j])
                        + (rho * rho * yhy + rho) * s[i] * s[j];
                }
            }
        }
        if improved == 0.0 && step < 1e-12 {
            break;
        }
    }
    let gradient_norm = norm(&g);
    GradientMinimum {
        converged: value.is_finite() && gradient_norm <= gradient_tolerance,
        x,
        value,
        iterations,
        evaluations,
        gradient_norm,
    }
}

#[cfg(test)]
mod bfgs_tests {
    use super::*;

    #[test]
    fn bfgs_finds_the_minimum_of_the_rosenbrock_valley() {
        let mut f = |x: &[f64], g: &mut [f64]| {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        };
        let m = bfgs(&mut f, &[-1.2, 1.0], 1e-10, 500);
        assert!(m.converged, "{m:?}");
        assert!(
            (m.x[0] - 1.0).abs() < 1e-8 && (m.x[1] - 1.0).abs() < 1e-8,
            "{m:?}"
        );
    }

    #[test]
    fn bfgs_reports_a_function_without_minimum_as_not_converged() {
        // Unbounded below along x: no gradient ever gets small.
        let mut f = |x: &[f64], g: &mut [f64]| {
            g[0] = -1.0;
            -x[0]
        };
        let m = bfgs(&mut f, &[0.0], 1e-8, 50);
        assert!(!m.converged);
    }
}
