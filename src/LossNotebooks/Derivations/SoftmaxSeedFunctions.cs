namespace LossNotebooks.Derivations;

/// <summary>
/// The functions of the logits that seed 001's lines talk about, evaluated from scratch at any (perturbed) logit
/// array, so the numeric side of a step never reuses the analytic side's algebra. In a notebook:
/// <c>using static LossNotebooks.Derivations.SoftmaxSeedFunctions;</c>, then e.g. <c>s.NumericGradient(z => CrossEntropy(s, z))</c>.
/// </summary>
public static class SoftmaxSeedFunctions
{
    /// <summary>σ(z)_{row,col} for logits z (n×c, row-major).</summary>
    public static double Sigma(ReadOnlySpan<double> z, int classes, int row, int col)
    {
        var r = z.Slice(row * classes, classes);
        double max = double.NegativeInfinity;
        foreach (var v in r) max = Math.Max(max, v);
        double sum = 0;
        foreach (var v in r) sum += Math.Exp(v - max);
        return Math.Exp(r[col] - max) / sum;
    }

    /// <summary>log Σ_n e^{z_row,n}, shifted by the max for stability.</summary>
    public static double LogSumExp(ReadOnlySpan<double> z, int classes, int row)
    {
        var r = z.Slice(row * classes, classes);
        double max = double.NegativeInfinity;
        foreach (var v in r) max = Math.Max(max, v);
        double sum = 0;
        foreach (var v in r) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    /// <summary>−Σ_i Σ_j y_ij log σ_ij, computed through σ (the seed's first line).</summary>
    public static double CrossEntropy(StepInput s, ReadOnlySpan<double> z)
    {
        double total = 0;
        for (int i = 0; i < s.Rows; i++)
            for (int j = 0; j < s.Classes; j++)
                total -= s.Y(i, j) * Math.Log(Sigma(z, s.Classes, i, j));
        return total;
    }

    /// <summary>KL(y‖σ) = Σ y log(y/σ) with 0·log 0 = 0 (the divergence seed 001's heading names).</summary>
    public static double KullbackLeibler(StepInput s, ReadOnlySpan<double> z)
    {
        ArgumentNullException.ThrowIfNull(s);
        double total = 0;
        for (int i = 0; i < s.Rows; i++)
            for (int j = 0; j < s.Classes; j++)
                if (s.Y(i, j) > 0) total += s.Y(i, j) * (Math.Log(s.Y(i, j)) - Math.Log(Sigma(z, s.Classes, i, j)));
        return total;
    }

    /// <summary>Σ_i Σ_j (σ_ij − y_ij)² w_ij.</summary>
    public static double Brier(StepInput s, ReadOnlySpan<double> z)
    {
        double total = 0;
        for (int i = 0; i < s.Rows; i++)
            for (int j = 0; j < s.Classes; j++)
            {
                double d = Sigma(z, s.Classes, i, j) - s.Y(i, j);
                total += d * d * s.W(i, j);
            }
        return total;
    }

    /// <summary>S_k = Σ_j σ_kj (σ_kj − y_kj) w_kj, the sum the seed differentiates separately.</summary>
    public static double BrierRowSum(StepInput s, ReadOnlySpan<double> z, int k)
    {
        double total = 0;
        for (int j = 0; j < s.Classes; j++)
        {
            double sig = Sigma(z, s.Classes, k, j);
            total += sig * (sig - s.Y(k, j)) * s.W(k, j);
        }
        return total;
    }

    /// <summary>a_kl = (σ_kl − y_kl) w_kl.</summary>
    public static double BrierResidual(StepInput s, ReadOnlySpan<double> z, int k, int l) =>
        (Sigma(z, s.Classes, k, l) - s.Y(k, l)) * s.W(k, l);
}
