//! The reliability formulas of Open-PSA MEF expressions, as SCRAM evaluates them.

/// Constant failure rate over a mission: 1 − e^(−λt).
pub fn exponential(lambda: f64, t: f64) -> f64 {
    -(-lambda * t).exp_m1()
}

/// Repairable component with initial unavailability γ, failure rate λ and repair rate μ.
pub fn glm(gamma: f64, lambda: f64, mu: f64, t: f64) -> f64 {
    let r = lambda + mu;
    (lambda - (lambda - r * gamma) * (-r * t).exp()) / r
}

/// Weibull with scale α, shape β and time shift t0.
pub fn weibull(alpha: f64, beta: f64, t0: f64, t: f64) -> f64 {
    if t <= t0 {
        return 0.0;
    }
    -(-((t - t0) / alpha).powf(beta)).exp_m1()
}

/// Periodically tested component (instant repair): failure rate λ, test interval τ, first test
/// at θ; unavailable if it failed since the last test.
pub fn periodic_test(lambda: f64, tau: f64, theta: f64, t: f64) -> f64 {
    if t <= theta {
        return exponential(lambda, t);
    }
    let since = (t - theta) % tau;
    exponential(lambda, since)
}

/// The standard normal quantile (0.95 → 1.645), by Acklam's rational approximation (relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// σ of the underlying normal of a lognormal whose error factor EF (the ratio of the
/// `level` quantile to the median) is given.
pub fn lognormal_sigma(error_factor: f64, level: f64) -> f64 {
    error_factor.ln() / normal_quantile(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_matches_tables() {
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-8);
        assert!((normal_quantile(0.95) - 1.644_853_627).abs() < 1e-8);
        assert!((normal_quantile(0.5)).abs() < 1e-12);
        assert!((normal_quantile(0.001) + 3.090_232_306).abs() < 1e-8);
    }

    #[test]
    fn glm_tends_to_steady_state() {
        assert!((glm(0.0, 1e-3, 1e-1, 1e6) - 1e-3 / (1e-3 + 1e-1)).abs() < 1e-15);
        assert_eq!(glm(0.25, 1e-3, 1e-1, 0.0), 0.25);
    }

    #[test]
    fn periodic_test_restarts_after_each_test() {
        let p = periodic_test(1e-3, 100.0, 0.0, 250.0);
        assert!((p - exponential(1e-3, 50.0)).abs() < 1e-15);
    }
}
