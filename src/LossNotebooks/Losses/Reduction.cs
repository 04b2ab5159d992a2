namespace LossNotebooks.Losses;

/// <summary>How per-row terms are combined into L.</summary>
public enum Reduction
{
    /// <summary>L = Σ_i ℓ_i: the per-example gradient/Hessian layout gradient-boosting custom objectives expect.</summary>
    Sum,
    /// <summary>L = (1/n) Σ_i ℓ_i (divides by the row count n, not by the weight total).</summary>
    Mean,
}
