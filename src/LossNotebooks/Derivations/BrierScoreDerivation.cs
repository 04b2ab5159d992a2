using static LossNotebooks.Derivations.SoftmaxCrossEntropyDerivation;
using static LossNotebooks.Derivations.SoftmaxSeedFunctions;

namespace LossNotebooks.Derivations;

/// <summary>
/// Seed 001, part 2: the weighted Brier score on softmax outputs, L = Σ_i Σ_j (σ_ij − y_ij)² w_ij. Every line of the
/// gradient, the seed's numpy <c>grads</c>, every line of the diagonal Hessian and of the intermediate ∂S_k/∂ŷ_kl with
/// S_k = Σ_j σ_kj (σ_kj − y_kj) w_kj, each against numeric derivatives of the loss (or of S_k).
/// </summary>
public static class BrierScoreDerivation
{
    private static double D(int a, int b) => StepInput.Delta(a, b);

    private static double SumJ(StepInput s, Func<int, double> term) { double t = 0; for (int j = 0; j < s.Classes; j++) t += term(j); return t; }

    private static double SumIJ(StepInput s, Func<int, int, double> term)
    {
        double t = 0;
        for (int i = 0; i < s.Rows; i++) for (int j = 0; j < s.Classes; j++) t += term(i, j);
        return t;
    }

    // Shorthands at row k: σ_kj, a_kj = (σ_kj − y_kj) w_kj, S_k = Σ_j σ_kj a_kj.
    private static double Sg(StepInput s, int j) => s.S(s.K, j);
    private static double A(StepInput s, int j) => (s.S(s.K, j) - s.Y(s.K, j)) * s.W(s.K, j);
    private static double Sk(StepInput s) => SumJ(s, j => Sg(s, j) * A(s, j));

    private static int KL(StepInput s) => s.Index(s.K, s.L);
    private static double NumericGradient(StepInput s) => Numeric.Partial(z => Brier(s, z), s.Logits, KL(s));
    private static double NumericDiagonalHessian(StepInput s) => Numeric.SecondPartial(z => Brier(s, z), s.Logits, KL(s), KL(s));
    private static double NumericDS(StepInput s) => Numeric.Partial(z => BrierRowSum(s, z, s.K), s.Logits, KL(s));

    /// <summary>The first term every Hessian line shares: 2σ_kl(1 − σ_kl)(a_kl − S_k).</summary>
    private static double HessianFirstTerm(StepInput s) => 2 * Sg(s, s.L) * (1 - Sg(s, s.L)) * (A(s, s.L) - Sk(s));

    /// <summary>The seed's last ∂S_k/∂ŷ_kl line: σ_kl (w_kl(2σ_kl − y_kl) − Σ_j w_kj σ_kl (2σ_kj − y_kj)).</summary>
    private static double SeedDS(StepInput s) =>
        Sg(s, s.L) * (s.W(s.K, s.L) * (2 * Sg(s, s.L) - s.Y(s.K, s.L)) - SumJ(s, j => s.W(s.K, j) * Sg(s, s.L) * (2 * Sg(s, j) - s.Y(s.K, j))));

    /// <summary>Corrected: σ_kj, not σ_kl, inside the sum.</summary>
    private static double CorrectDS(StepInput s) =>
        Sg(s, s.L) * (s.W(s.K, s.L) * (2 * Sg(s, s.L) - s.Y(s.K, s.L)) - SumJ(s, j => s.W(s.K, j) * Sg(s, j) * (2 * Sg(s, j) - s.Y(s.K, j))));

    /// <summary>The seed's final Hessian line exactly as printed.</summary>
    private static double SeedFinalHessian(StepInput s)
    {
        double sl = Sg(s, s.L), wl = s.W(s.K, s.L), yl = s.Y(s.K, s.L);
        return HessianFirstTerm(s) + 2 * sl * wl * sl * (1 - sl)
             - 2 * sl * sl * (wl * (2 * sl - yl) - sl * SumJ(s, j => s.W(s.K, j) * (2 * Sg(s, j) - s.Y(s.K, j))));
    }

    /// <summary>The corrected final line: 2σ(1−σ)(a_l − S) + 2σ_l² w_l (1 − σ_l) − 2σ_l · ∂S_k/∂ŷ_kl (corrected).</summary>
    private static double CorrectFinalHessian(StepInput s)
    {
        double sl = Sg(s, s.L), wl = s.W(s.K, s.L);
        return HessianFirstTerm(s) + 2 * sl * wl * sl * (1 - sl) - 2 * sl * CorrectDS(s);
    }

    /// <summary>The seed's numpy grads() as array operations (tmp = Σ preds·(preds−labels)·weights over the row).</summary>
    private static double PythonGrads(StepInput s)
    {
        // weights = dX.weigths  (sic: an AttributeError on any object without that misspelled attribute)
        double tmp = 0;
        for (int j = 0; j < s.Classes; j++) tmp += s.S(s.K, j) * (s.S(s.K, j) - s.Y(s.K, j)) * s.W(s.K, j);
        double p = s.S(s.K, s.L);
        return 2 * p * ((p - s.Y(s.K, s.L)) * s.W(s.K, s.L) - tmp);
    }

    public static Derivation Create()
    {
        var steps = new List<Step>
        {
            new("br.dsigma.1",
                @"\frac{\partial\sigma(\hat y_{ij})}{\partial\hat y_{kl}} = \delta_{ik}\delta_{jl}\sigma(\hat y_{ij})-\delta_{ik}\sigma(\hat y_{ij})\sigma(\hat y_{il})",
                "Softmax Jacobian, expanded.",
                s => Numeric.Partial(z => Sigma(z, s.Classes, s.I, s.J), s.Logits, KL(s)),
                s => D(s.I, s.K) * D(s.J, s.L) * s.S(s.I, s.J) - D(s.I, s.K) * s.S(s.I, s.J) * s.S(s.I, s.L),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.dsigma.2",
                @"= \delta_{ik}\sigma(\hat y_{ij})\left(\delta_{jl}-\sigma(\hat y_{il})\right)",
                "Softmax Jacobian, factored.",
                s => Numeric.Partial(z => Sigma(z, s.Classes, s.I, s.J), s.Logits, KL(s)),
                s => D(s.I, s.K) * s.S(s.I, s.J) * (D(s.J, s.L) - s.S(s.I, s.L)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.grad.1",
                @"\frac{\partial\mathcal L}{\partial\hat y_{kl}} = \sum_i\sum_j 2\left(\delta_{ik}\sigma_{ij}(\delta_{jl}-\sigma_{il})\right)(\sigma_{ij}-y_{ij})w_{ij}",
                "Gradient, line 1: chain rule through the softmax Jacobian.",
                NumericGradient,
                s => SumIJ(s, (i, j) => 2 * D(i, s.K) * s.S(i, j) * (D(j, s.L) - s.S(i, s.L)) * (s.S(i, j) - s.Y(i, j)) * s.W(i, j)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.grad.2",
                @"= \sum_i\sum_j 2\delta_{ik}\delta_{jl}\sigma_{ij}(\sigma_{ij}-y_{ij})w_{ij} - \sum_i\sum_j 2\delta_{ik}\sigma_{ij}\sigma_{il}(\sigma_{ij}-y_{ij})w_{ij}",
                "Gradient, line 2: split into two sums.",
                NumericGradient,
                s => SumIJ(s, (i, j) => 2 * D(i, s.K) * D(j, s.L) * s.S(i, j) * (s.S(i, j) - s.Y(i, j)) * s.W(i, j))
                   - SumIJ(s, (i, j) => 2 * D(i, s.K) * s.S(i, j) * s.S(i, s.L) * (s.S(i, j) - s.Y(i, j)) * s.W(i, j)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.grad.3",
                @"= 2\sigma_{kl}(\sigma_{kl}-y_{kl})w_{kl} - \sum_j 2\sigma_{kj}\sigma_{kl}(\sigma_{kj}-y_{kj})w_{kj}",
                "Gradient, line 3: deltas collapsed.",
                NumericGradient,
                s => 2 * Sg(s, s.L) * A(s, s.L) - SumJ(s, j => 2 * Sg(s, j) * Sg(s, s.L) * A(s, j)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.grad.4",
                @"= 2\sigma_{kl}\left((\sigma_{kl}-y_{kl})w_{kl}-\sum_j\sigma_{kj}(\sigma_{kj}-y_{kj})w_{kj}\right)",
                "Gradient, final: 2σ_kl(a_kl − S_k).",
                NumericGradient,
                s => 2 * Sg(s, s.L) * (A(s, s.L) - Sk(s)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.grad.python",
                @"\texttt{2*preds*((preds-labels)*weights - tmp)}",
                "The numpy grads() as written computes the final gradient line (its `dX.weigths` is a typo that raises AttributeError, the formula is right).",
                NumericGradient,
                PythonGrads,
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.dsigma.ll",
                @"\frac{\partial\sigma(\hat y_{kl})}{\partial\hat y_{kl}} = \sigma(\hat y_{kl})\left(1-\sigma(\hat y_{kl})\right)",
                "Hessian prelude: diagonal of the softmax Jacobian.",
                s => Numeric.Partial(z => Sigma(z, s.Classes, s.K, s.L), s.Logits, KL(s)),
                s => Sg(s, s.L) * (1 - Sg(s, s.L)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.dsigma.jl",
                @"\frac{\partial\sigma(\hat y_{kj})}{\partial\hat y_{kl}} = \sigma(\hat y_{kj})\left(\delta_{jl}-\sigma(\hat y_{kl})\right)",
                "Hessian prelude: a row of the softmax Jacobian.",
                s => Numeric.Partial(z => Sigma(z, s.Classes, s.K, s.J), s.Logits, KL(s)),
                s => Sg(s, s.J) * (D(s.J, s.L) - Sg(s, s.L)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.hess.1",
                @"\frac{\partial^2\mathcal L}{\partial\hat y_{kl}^2} = 2\sigma_{kl}(1-\sigma_{kl})\Big(a_{kl}-S_k\Big) + 2\sigma_{kl}\frac{\partial a_{kl}}{\partial\hat y_{kl}} - 2\sigma_{kl}\frac{\partial S_k}{\partial\hat y_{kl}},\quad a_{kl}=(\sigma_{kl}-y_{kl})w_{kl},\ S_k=\sum_j\sigma_{kj}a_{kj}",
                "Hessian, line 1: product rule on the gradient (the two remaining derivatives taken numerically).",
                NumericDiagonalHessian,
                s => HessianFirstTerm(s)
                     + 2 * Sg(s, s.L) * Numeric.Partial(z => BrierResidual(s, z, s.K, s.L), s.Logits, KL(s))
                     - 2 * Sg(s, s.L) * NumericDS(s),
                SecondDerivativeTol, SecondDerivativeTol, SecondDerivativeReason),
            new("br.hess.2",
                @"= 2\sigma_{kl}(1-\sigma_{kl})\Big(a_{kl}-S_k\Big) + 2\sigma_{kl}w_{kl}\sigma_{kl}(1-\sigma_{kl}) - 2\sigma_{kl}\frac{\partial S_k}{\partial\hat y_{kl}}",
                "Hessian, line 2: ∂a_kl/∂ŷ_kl = w_kl σ_kl(1 − σ_kl) (∂S_k still numeric).",
                NumericDiagonalHessian,
                s => HessianFirstTerm(s) + 2 * Sg(s, s.L) * s.W(s.K, s.L) * Sg(s, s.L) * (1 - Sg(s, s.L)) - 2 * Sg(s, s.L) * NumericDS(s),
                SecondDerivativeTol, SecondDerivativeTol, SecondDerivativeReason),
            new("br.dS.1",
                @"\frac{\partial S_k}{\partial\hat y_{kl}} = \sum_j\sigma_{kj}(\delta_{jl}-\sigma_{kl})(\sigma_{kj}-y_{kj})w_{kj} + \sum_j\sigma_{kj}\sigma_{kj}(\delta_{jl}-\sigma_{kl})w_{kj}",
                "∂S_k/∂ŷ_kl, line 1: product rule inside the sum.",
                NumericDS,
                s => SumJ(s, j => Sg(s, j) * (D(j, s.L) - Sg(s, s.L)) * A(s, j)) + SumJ(s, j => Sg(s, j) * Sg(s, j) * (D(j, s.L) - Sg(s, s.L)) * s.W(s.K, j)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.dS.2",
                @"= \sum_j\sigma_{kj}\delta_{jl}a_{kj} - \sum_j\sigma_{kj}\sigma_{kl}a_{kj} + \sum_j\sigma_{kj}^2\delta_{jl}w_{kj} - \sum_j\sigma_{kj}^2\sigma_{kl}w_{kj}",
                "∂S_k/∂ŷ_kl, line 2: four sums.",
                NumericDS,
                s => SumJ(s, j => Sg(s, j) * D(j, s.L) * A(s, j)) - SumJ(s, j => Sg(s, j) * Sg(s, s.L) * A(s, j))
                   + SumJ(s, j => Sg(s, j) * Sg(s, j) * D(j, s.L) * s.W(s.K, j)) - SumJ(s, j => Sg(s, j) * Sg(s, j) * Sg(s, s.L) * s.W(s.K, j)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.dS.3",
                @"= \sigma_{kl}a_{kl} - \sigma_{kl}\sum_j\sigma_{kj}a_{kj} + \sigma_{kl}^2w_{kl} - \sigma_{kl}\sum_j\sigma_{kj}^2w_{kj}",
                "∂S_k/∂ŷ_kl, line 3: deltas collapsed, σ_kl pulled out of the sums.",
                NumericDS,
                s => Sg(s, s.L) * A(s, s.L) - Sg(s, s.L) * Sk(s) + Sg(s, s.L) * Sg(s, s.L) * s.W(s.K, s.L) - Sg(s, s.L) * SumJ(s, j => Sg(s, j) * Sg(s, j) * s.W(s.K, j)),
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.dS.4-seed",
                @"= \sigma_{kl}\left(w_{kl}(2\sigma_{kl}-y_{kl}) - \sum_j w_{kj}\,\sigma_{kl}\,(2\sigma_{kj}-y_{kj})\right)",
                "Seed's last ∂S_k/∂ŷ_kl line: σ_kl (instead of σ_kj) inside the sum.",
                NumericDS, SeedDS,
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason, ExpectedVerdict.SeedError, "br.dS.4"),
            new("br.dS.4",
                @"= \sigma_{kl}\left(w_{kl}(2\sigma_{kl}-y_{kl}) - \sum_j w_{kj}\,\sigma_{kj}\,(2\sigma_{kj}-y_{kj})\right)",
                "Corrected last ∂S_k/∂ŷ_kl line: σ_kj inside the sum.",
                NumericDS, CorrectDS,
                FirstDerivativeTol, FirstDerivativeTol, FirstDerivativeReason),
            new("br.hess.3-seed",
                @"\frac{\partial^2\mathcal L}{\partial\hat y_{kl}^2} = 2\sigma_{kl}(1-\sigma_{kl})(a_{kl}-S_k) + 2\sigma_{kl}w_{kl}\sigma_{kl}(1-\sigma_{kl}) - 2\sigma_{kl}\sigma_{kl}\left(w_{kl}(2\sigma_{kl}-y_{kl}) - \sigma_{kl}\sum_j w_{kj}(2\sigma_{kj}-y_{kj})\right)",
                "Seed's final diagonal Hessian (σ_kl factored out of the sum).",
                NumericDiagonalHessian, SeedFinalHessian,
                SecondDerivativeTol, SecondDerivativeTol, SecondDerivativeReason, ExpectedVerdict.SeedError, "br.hess.3"),
            new("br.hess.3-inherits",
                @"\text{seed final line} = \text{line 2 with the seed's}\ \partial S_k/\partial\hat y_{kl}\ \text{substituted}",
                "The final line's only error is the one inherited from the ∂S_k line (the regrouping itself is consistent).",
                SeedFinalHessian,
                s => HessianFirstTerm(s) + 2 * Sg(s, s.L) * s.W(s.K, s.L) * Sg(s, s.L) * (1 - Sg(s, s.L)) - 2 * Sg(s, s.L) * SeedDS(s),
                ClosedFormTol, ClosedFormTol, ClosedFormReason),
            new("br.hess.3",
                @"\frac{\partial^2\mathcal L}{\partial\hat y_{kl}^2} = 2\sigma_{kl}(1-\sigma_{kl})(a_{kl}-S_k) + 2\sigma_{kl}^2w_{kl}(1-\sigma_{kl}) - 2\sigma_{kl}^2\left(w_{kl}(2\sigma_{kl}-y_{kl}) - \sum_j w_{kj}\sigma_{kj}(2\sigma_{kj}-y_{kj})\right)",
                "Corrected final diagonal Hessian.",
                NumericDiagonalHessian, CorrectFinalHessian,
                SecondDerivativeTol, SecondDerivativeTol, SecondDerivativeReason),
        };
        return new Derivation("Weighted Brier score on softmax: gradient and diagonal Hessian", SeedFile, steps);
    }
}
