namespace LossNotebooks.Derivations;

/// <summary>The catalogue: every derivation/check of the seed documents, in notebook order.</summary>
public static class SeedDerivations
{
    /// <summary>Seed 001 part 1.</summary>
    public static Derivation SoftmaxCrossEntropy => SoftmaxCrossEntropyDerivation.Create();
    /// <summary>Seed 001 part 2.</summary>
    public static Derivation BrierScore => BrierScoreDerivation.Create();
    /// <summary>Seed 000.</summary>
    public static Derivation Warp => WarpDerivation.Create();
    /// <summary>Seed 002.</summary>
    public static Derivation MulticlassSvm => SvmDerivation.Create();

    /// <summary>All of them, fresh instances (derivations are immutable; results depend only on their seeds).</summary>
    public static IReadOnlyList<Derivation> All => [SoftmaxCrossEntropy, BrierScore, Warp, MulticlassSvm];
}
