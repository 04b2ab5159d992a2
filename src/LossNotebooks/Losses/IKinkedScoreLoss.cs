namespace LossNotebooks.Losses;

/// <summary>
/// A loss with kinks (hinge, WARP) or curvature jumps (Huber): for each entry z_k, the distance it can move either
/// way, all else fixed, before it reaches one. A finite-difference check whose step is not below this distance
/// straddles a kink and should report the entry as such rather than as a failure.
/// </summary>
public interface IKinkedScoreLoss : IScoreLoss
{
    /// <summary>Writes the per-entry kink distance (n×c, row-major; +∞ where moving z_k crosses none).</summary>
    void KinkDistances(ReadOnlySpan<double> scores, Span<double> distances);
}

internal static class Kinks
{
    /// <summary>
    /// Margins m_ij = Δ + z_ij − z_i,y_i change sign at the kinks: z_ij (j ≠ y) reaches one after |m_ij|, z_i,y after
    /// min_j |m_ij| (it moves every margin of the row).
    /// </summary>
    internal static void MarginDistances(ReadOnlySpan<double> scores, int c, ReadOnlySpan<int> labels, double margin, Span<double> distances)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            double positive = scores[i * c + y], nearest = double.PositiveInfinity;
            for (int j = 0; j < c; j++)
            {
                if (j == y) continue;
                double d = Math.Abs(margin + scores[i * c + j] - positive);
                distances[i * c + j] = d;
                nearest = Math.Min(nearest, d);
            }
            distances[i * c + y] = nearest;
        }
    }
}
