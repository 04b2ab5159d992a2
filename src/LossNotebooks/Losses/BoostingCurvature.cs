namespace LossNotebooks.Losses;

/// <summary>Which diagonal curvature <see cref="SoftmaxCrossEntropy.BoostingDiagonal"/> writes.</summary>
public enum BoostingCurvature
{
    /// <summary>The true diagonal ∂²L/∂z_j² = w·s·p_j(1 − p_j).</summary>
    Exact,
    /// <summary>XGBoost multi:softprob: max(2·p(1 − p)·w, 1e-16).</summary>
    XGBoost,
    /// <summary>LightGBM multiclass (current versions): K/(K − 1)·p(1 − p)·w.</summary>
    LightGBM,
}
