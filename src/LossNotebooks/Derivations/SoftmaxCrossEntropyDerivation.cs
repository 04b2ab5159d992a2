using static LossNotebooks.Derivations.SoftmaxSeedFunctions;

namespace LossNotebooks.Derivations;

/// <summary>Seed 001, part 1: the gradient and the diagonal Hessian of softmax cross-entropy, line by line.</summary>
public static class SoftmaxCrossEntropyDerivation
{
    public const string SeedFile = "001_ddc9ace596f0f920.txt";

    // Tolerances. Closed form vs closed form: a few dozen flops on O(10) values, rounding ~1e-14; 1e-10 leaves room.
    internal const double ClosedFormTol = 1e-10;
    internal const string ClosedFormReason = "both sides are closed forms: they differ by rounding only (~1e-14 at these sizes)";
    // Numeric first derivative (Richardson, O(h⁶) with h = 0.05): measured max error 4e-13 over all first-derivative
    // steps (logit scale ≤ 2.5); 1e-9 keeps >1000× headroom and is still 1e8× below the seed errors it must reveal.
    internal const double FirstDerivativeTol = 1e-9;
    internal const string FirstDerivativeReason = "Richardson central difference, O(h⁶) with h = 0.05: measured error ≤ 4e-13";
    // Numeric second derivative: same expansion plus rounding ε|L|·40/h² ≈ 1e-11·|L|; measured max 8e-11 → 1e-8.
    internal const double SecondDerivativeTol = 1e-8;
    internal const string SecondDerivativeReason = "Richardson second / cross difference, O(h⁶) + ε|L|·40/h² rounding: measured error ≤ 8e-11";

    private static double D(int a, int b) => StepInput.Delta(a, b);

    /// <summary>Σ_j y_kj (not 1 for unnormalized targets, which is why the seed keeps it).</summary>
    internal static double RowMass(StepInput s, int k) { double t = 0; for (int j = 0; j < s.Classes; j++) t += s.Y(k, j); return t; }

    /// <summary>Σ y log(y/σ) with 0·log 0 = 0 (the divergence the seed's heading names).</summary>
    private static double KullbackLeibler(StepInput s, ReadOnlySpan<double> z)
    {
        double total = 0;
        for (int i = 0; i < s.Rows; i++)
            for (int j = 0; j < s.Classes; j++)
                if (s.Y(i, j) > 0) total += s.Y(i, j) * (Math.Log(s.Y(i, j)) - Math.Log(Sigma(z, s.Classes, i, j)));
        return total;
    }

    private static double NumericGradient(StepInput s) => Numeric.Partial(z => CrossEntropy(s, z), s.Logits, s.Index(s.K, s.L));

    private static double NumericDiagonalHessian(StepInput s) =>
        Numeric.SecondPartial(z => CrossEntropy(s, z), s.Logits, s.Index(s.K, s.L), s.Index(s.K, s.L));

    /// <summary>Σ_i Σ_j over the whole matrix.</summary>
    private static double SumIJ(StepInput s, Func<int, int, double> term)
    {
        double t = 0;
        for (int i = 0; i < s.Rows; i++) for (int j = 0; j < s.Classes; j++) t += term(i, j);
        return t;
    }

    private static double SumN(StepInput s, Func<int, double> term) { double t = 0; for (int n = 0; n < s.Classes; n++) t += term(n); return t; }

    public static Derivation Create()
    {
        var steps = new List<Step>
        {
            new("ce.loss.1",
                @"-\sum_i\sum_j y_{ij}\log\sigma(\hat y_{ij}) = -\sum_i\sum_j y_{ij}\left(\hat y_{ij}-\log\sum_n e^{\hat y_{in}}\right)",
                "The loss rewritten with log-sum-exp.",
                s => CrossEntropy(s, s.Logits),
                s => -SumIJ(s, (i, j) => s.Y(i, j) * (s.Z(i, j) - Math.Log(SumN(s, n => Math.Exp(s.Z(i, n)))))),
                ClosedFormTol, ClosedFormTol, ClosedFormReason),
            new("ce.grad.1",
                @"\frac{\partial\mathcal L}{\partial\hat y_{kl}} = -\sum_i\sum_j y_{ij}\left(\delta_{ik}\delta_{jl}-\frac{\partial}{\partial\hat y_{kl}}\log\sum_n e^{\hat y_{in}}\right)",
                "Gradient, line 1: differentiate term by term (the log-sum-exp derivative taken numerically here).",
                NumericGradient,
                s => -SumIJ(s, (i, j) => s.Y(i, j) * (D(i, s.K) * D(j, s.L) - Numeric.Partial(z => LogSumExp(z, s.Classes, i), s.Logits, s.Index(s.K, s.L)))),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("ce.grad.2",
                @"= -\sum_i\sum_j y_{ij}\left(\delta_{ik}\delta_{jl}-\frac{\sum_n\delta_{ik}\delta_{nl}e^{\hat y_{in}}}{\sum_n e^{\hat y_{in}}}\right)",
                "Gradient, line 2: derivative of log-sum-exp with Kronecker deltas.",
                NumericGradient,
                s => -SumIJ(s, (i, j) => s.Y(i, j) * (D(i, s.K) * D(j, s.L)
                    - SumN(s, n => D(i, s.K) * D(n, s.L) * Math.Exp(s.Z(i, n))) / SumN(s, n => Math.Exp(s.Z(i, n))))),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("ce.grad.3",
                @"= -\sum_i\sum_j y_{ij}\left(\delta_{ik}\delta_{jl}-\frac{\delta_{ik}e^{\hat y_{il}}}{\sum_n e^{\hat y_{in}}}\right)",
                "Gradient, line 3: the sum over n collapsed by δ_nl.",
                NumericGradient,
                s => -SumIJ(s, (i, j) => s.Y(i, j) * (D(i, s.K) * D(j, s.L) - D(i, s.K) * Math.Exp(s.Z(i, s.L)) / SumN(s, n => Math.Exp(s.Z(i, n))))),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("ce.grad.4",
                @"= -\sum_i\sum_j y_{ij}\delta_{ik}\delta_{jl}+\sum_i\sum_j y_{ij}\delta_{ik}\frac{e^{\hat y_{il}}}{\sum_n e^{\hat y_{in}}}",
                "Gradient, line 4: split into two sums.",
                NumericGradient,
                s => -SumIJ(s, (i, j) => s.Y(i, j) * D(i, s.K) * D(j, s.L))
                     + SumIJ(s, (i, j) => s.Y(i, j) * D(i, s.K) * Math.Exp(s.Z(i, s.L)) / SumN(s, n => Math.Exp(s.Z(i, n)))),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("ce.grad.5",
                @"= -y_{kl}+\sigma_{kl}\sum_j y_{kj}",
                "Gradient, final: −y_kl + σ_kl Σ_j y_kj (Σ_j y_kj kept: it is 1 only for normalized targets).",
                NumericGradient,
                s => -s.Y(s.K, s.L) + s.S(s.K, s.L) * RowMass(s, s.K),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("ce.name-kl",
                @"\mathrm{KL}(y\,\|\,\sigma)=\sum_{ij}y_{ij}\log y_{ij}-\sum_{ij}y_{ij}\log\sigma_{ij}\ \Rightarrow\ \nabla_{\hat y}\mathrm{KL}=\nabla_{\hat y}\mathcal L",
                "The section is titled 'Kulbach Lieber divergence' but the loss is the cross-entropy. Harmless for the derivatives: KL(y‖σ) differs by Σ y log y, a constant in ŷ, so its gradient is the same −y_kl + σ_kl Σ_j y_kj.",
                s => Numeric.Partial(z => KullbackLeibler(s, z), s.Logits, s.Index(s.K, s.L)),
                s => -s.Y(s.K, s.L) + s.S(s.K, s.L) * RowMass(s, s.K),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("ce.hess.seed-literal",
                @"\frac{\partial^2\mathcal L}{\partial\hat y_{kl}^2} = \sigma(\hat y_{kj})\left(1-\sigma(\hat y_{kl})\right)\sum_j y_{kj}\ \text{read as}\ (1-\sigma_{kl})\sum_j\sigma_{kj}y_{kj}",
                "Seed's diagonal Hessian as printed, with the free j bound by the sum: (1 − σ_kl) Σ_j σ_kj y_kj.",
                NumericDiagonalHessian,
                s => (1 - s.S(s.K, s.L)) * SumN(s, j => s.S(s.K, j) * s.Y(s.K, j)),
                SecondDerivativeTol, SecondDerivativeTol, SecondDerivativeReason, ExpectedVerdict.SeedError, "ce.hess.diag"),
            new("ce.hess.seed-free-j",
                @"\frac{\partial^2\mathcal L}{\partial\hat y_{kl}^2} = \sigma_{kj}\left(1-\sigma_{kl}\right)\sum_j y_{kj}\ \text{for a fixed}\ j",
                "Seed's diagonal Hessian as printed, with j a free index (random j; right only when j = l).",
                NumericDiagonalHessian,
                s => s.S(s.K, s.J) * (1 - s.S(s.K, s.L)) * RowMass(s, s.K),
                SecondDerivativeTol, SecondDerivativeTol, SecondDerivativeReason, ExpectedVerdict.SeedError, "ce.hess.diag"),
            new("ce.hess.diag",
                @"\frac{\partial^2\mathcal L}{\partial\hat y_{kl}^2} = \sigma_{kl}\left(1-\sigma_{kl}\right)\sum_j y_{kj}",
                "Corrected diagonal Hessian (what the seed meant): σ_kl (1 − σ_kl) Σ_j y_kj.",
                NumericDiagonalHessian,
                s => s.S(s.K, s.L) * (1 - s.S(s.K, s.L)) * RowMass(s, s.K),
                SecondDerivativeTol, SecondDerivativeTol, SecondDerivativeReason),
            new("ce.hess.block",
                @"\frac{\partial^2\mathcal L}{\partial\hat y_{kl}\partial\hat y_{ij}} = \delta_{ik}\Big(\sum_m y_{km}\Big)\left(\delta_{lj}\sigma_{kl}-\sigma_{kl}\sigma_{kj}\right)",
                "Full Hessian: block diagonal over rows, each block (Σ_m y_km)(diag σ_k − σ_k σ_kᵀ).",
                s => Numeric.SecondPartial(z => CrossEntropy(s, z), s.Logits, s.Index(s.K, s.L), s.Index(s.I, s.J)),
                s => D(s.I, s.K) * RowMass(s, s.K) * (D(s.L, s.J) * s.S(s.K, s.L) - s.S(s.K, s.L) * s.S(s.K, s.J)),
                SecondDerivativeTol, SecondDerivativeTol, SecondDerivativeReason),
        };
        return new Derivation("Softmax cross-entropy: gradient and Hessian", SeedFile, steps);
    }
}
