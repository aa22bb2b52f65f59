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
